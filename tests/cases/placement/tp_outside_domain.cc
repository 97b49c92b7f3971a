# Two 40-GPU scaleX40 nodes: a 64-wide TP group takes one node and part of the other; the
# engines span servers only in whole ones (SGLang: (tp * pp) % nnodes == 0).
import "std/sugon"
import "std/models/llama"
import "std/toolkits/vllm"
cluster c { server = scalex40  nodes = 2 }
deployment d { model = llama3_1_70b
  cluster = c  # warning[CC2101]@3
  toolkit = vllm  # warning[CC3009]@3
  parallel { tp = 64 } }  # error[CC3006]@14

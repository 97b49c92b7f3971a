import "std/nvidia"
import "std/models/llama"
import "std/toolkits/vllm"
cluster c { server = hgx_h200  nodes = 2 }
deployment d { model = llama3_1_70b  cluster = c  toolkit = vllm  parallel { tp = 16 } }  # error[CC3006]@78

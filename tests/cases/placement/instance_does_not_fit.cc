import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"
cluster c { server = hgx_h200  nodes = 1 }
deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  replicas = 4  # error[CC3005]@64
  parallel { tp = 4  dp = 1  pp = 1 } }

import "std/nvidia"
import "std/models/llama"
import "std/toolkits/vllm"
cluster c { server = hgx_h200  nodes = 1 }
deployment d { model = llama3_1_70b  cluster = c  toolkit = vllm  replicas = 1
  parallel { tp = 8  dp = 1  pp = 1 }
  workload { input_tokens = 100 K  output_tokens = 28 K  concurrency = 512 } }  # error[CC3010]@58

import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"
cluster c { server = hgx_h200  nodes = 1 }
deployment d { model = qwen3_30b_a3b  cluster = c  toolkit = vllm
  parallel { tp = 2  dp = 1  ep = 3 } }  # error[CC3003]@30

# One HGX H200 of Llama 3.1 70B at TP8 holds few 128 K-token requests: with `queue = true`
# the 512 in flight are predicted, most of them waiting, and a warning says how many.
import "std/nvidia"
import "std/models/llama"
import "std/toolkits/vllm"

cluster box {
  server = hgx_h200
  nodes = 1
}

deployment long_chat {
  model = llama3_1_70b
  cluster = box
  toolkit = vllm
  replicas = 1
  parallel {
    tp = 8
    dp = 1
    pp = 1
  }
  workload {
    input_tokens = 100 K
    output_tokens = 28 K
    concurrency = 512  # warning[CC4005]@5
    queue = true
  }
}

# No plan of Qwen3-32B on one HGX H200 decodes a token in 1 ms: the closest misses by most
# on tpot, and the error points at that key.
import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster box {
  server = hgx_h200
  nodes = 1
}

deployment chat {
  model = qwen3_32b
  cluster = box
  toolkit = vllm
  workload {
    input_tokens = 2048
    output_tokens = 512
    concurrency = 64
  }
  slo {
    ttft <= 2 s
    tpot <= 1 ms  # error[CC4001]@5
  }
}

import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster c {
  server = hgx_h200
  nodes = 1
}

deployment d {
  model = qwen3_30b_a3b
  cluster = c
  toolkit = vllm
  weights = bf16
  image = "vllm/vllm-openai:v0.11.0"
  devices = 4
  parallel {
    tp = 2
    dp = 2
    ep = 2  # error[CC3003]@5
    pp = 1
  }
}

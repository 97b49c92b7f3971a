import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster c {
  server = hgx_h200
  nodes = 1
}

deployment d {  # warning[CC5003]@1
  model = qwen3_32b
  checkpoint = "/models/Qwen3-32B"
  cluster = c
  toolkit = vllm
  weights = bf16
  devices = 2
  parallel {
    tp = 2
    dp = 1
    pp = 1
  }
}

import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster c {
  server = hgx_h200
  nodes = 1
}

deployment d {
  model = qwen3_32b
  cluster = c
  toolkit = vllm
  weights = bf16
  image = "vllm/vllm-openai:v0.11.0"
  checkpoint = "Qwen/Qwen3-32B"  # warning[CC5007]@3
}

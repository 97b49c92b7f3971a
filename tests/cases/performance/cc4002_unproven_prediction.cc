# The Kunlunxin P800's memory bandwidth is unknown in the catalog: the prediction uses the
# bandwidth inferred from calibration rows and says it is unproven.
import "std/kunlunxin"
import "std/models/qwen"
import "std/toolkits/vllm_kunlun"

cluster box {
  server = p800x8
  nodes = 1
}

deployment chat {
  model = qwen3_8b
  cluster = box  # warning[CC2101]@3  # warning[CC2101]@3  # warning[CC4002]@3
  toolkit = vllm_kunlun
  weights = fp16
  kv_cache = fp16
  workload {
    input_tokens = 2048
    output_tokens = 512
  }
}

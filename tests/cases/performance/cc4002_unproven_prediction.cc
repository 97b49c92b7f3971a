# The Ascend 910B's bf16 rate and memory bandwidth are unknown in the catalog: the prediction
# uses peaks inferred from calibration rows and says it is unproven.
import "std/ascend"
import "std/models/qwen"
import "std/toolkits/vllm_ascend"

cluster box {
  server = atlas_800t_a2
  nodes = 1
}

deployment chat {
  model = qwen3_32b
  cluster = box  # warning[CC2101]@3  # warning[CC4002]@3
  toolkit = vllm_ascend
  workload {
    input_tokens = 2048
    output_tokens = 512
  }
}

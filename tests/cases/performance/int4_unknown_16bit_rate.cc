# Weight-only int4 dequantizes to 16 bits, so on an H200 whose 16-bit rates are unknown the
# prediction reads the unknown bf16 rate: `ccc check` warns of it and the plan is unproven.
import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"

accelerator h extends nvidia_h200_sxm {
  compute { bf16 = unknown  fp16 = unknown }
}
server box extends hgx_h200 { accelerator = h }
cluster c { server = box  nodes = 1 }
deployment d {
  model = qwen3_32b
  cluster = c  # warning[CC2101]@3  # warning[CC4002]@3
  toolkit = vllm
  weights = int4
  workload {
    input_tokens = 2048
    output_tokens = 512
  }
}

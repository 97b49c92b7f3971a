# DeepSeek-V4-Flash on a 64 GB-class card: one Atlas 800T A2 (8 x Ascend 910B, 64 GB)
# with vllm-ascend, W8A8 with INT4 routed experts (the W4A8 checkpoints vllm-ascend serves).
import "std/ascend"
import "std/models/deepseek"
import "std/toolkits/vllm_ascend"

cluster a2_box {
  server = atlas_800t_a2
  nodes = 1
}

deployment v4_flash {
  model = deepseek_v4_flash
  cluster = a2_box
  toolkit = vllm_ascend
  weights = int8
  expert_weights = int4
  kv_cache = bf16

  image = "quay.io/ascend/vllm-ascend:v0.11.0"  # illustrative tag
  checkpoint = "/models/DeepSeek-V4-Flash-w4a8"
  namespace = "inference"
  port = 8000

  workload {
    input_tokens = 4096
    output_tokens = 1024
    concurrency = 16
    context = 128 K
  }
  slo {
    ttft <= 5 s
    tpot <= 100 ms
  }
  parallel {
    tp = 8
    ep = 8
    pp = 1
  }
}

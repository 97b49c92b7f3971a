# DeepSeek-V4-Pro on part of an Atlas 950 SuperPoD (8,192 Ascend 950DT in one UB domain)
# with vllm-ascend: MXFP8 weights with MXFP4 routed experts, 512 devices in instances of 64.
# Expect warnings: most Atlas 950 figures are vendor roadmap claims or unpublished.
import "std/ascend"
import "std/models/deepseek"
import "std/toolkits/vllm_ascend"

cluster superpod {
  supernode = atlas_950_superpod
  supernodes = 1
}

deployment v4_pro {
  model = deepseek_v4_pro
  cluster = superpod
  toolkit = vllm_ascend
  weights = mxfp8
  expert_weights = mxfp4
  kv_cache = bf16

  image = "quay.io/ascend/vllm-ascend:v0.11.0-950dt"  # illustrative tag of the 950DT image
  checkpoint = "/models/DeepSeek-V4-Pro"
  namespace = "inference"

  devices = 512
  workload {
    input_tokens = 8192
    output_tokens = 1024
    concurrency = 2048
  }
  # The 950DT's link bandwidths are unknown, so every prediction here is unproven: the
  # SLO leaves room for that rather than sitting at the predicted edge (vllm-ascend
  # prefills 2,048 tokens a step by default: an 8K prompt takes four).
  slo {
    ttft <= 6 s
    tpot <= 150 ms
  }
  parallel {
    tp = 1
    dp = 64
    ep = 64
    pp = 1
  }
}

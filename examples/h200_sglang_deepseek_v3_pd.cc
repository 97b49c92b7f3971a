# DeepSeek-V3 on two HGX H200 servers with SGLang, prefill and decode disaggregated as
# SGLang's PD guide deploys it (docs/advanced_features/pd_disaggregation.md): one server
# prefills, the other decodes, KV moves over Mooncake, and SGLang's router sends each
# request to both. FP8 is the checkpoint's own precision (671 B parameters, about 700 GB):
# one server's 8 x 141 GB holds a whole instance.
import "std/nvidia"
import "std/models/deepseek"
import "std/toolkits/sglang"

cluster h200_pair {
  server = hgx_h200
  nodes = 2
}

deployment v3_pd {
  model = deepseek_v3
  cluster = h200_pair
  toolkit = sglang
  weights = fp8
  kv_cache = bf16

  image = "lmsysorg/sglang:v0.5.3-cu129"  # illustrative tag: pin the one you run
  engine_version = "0.5.3"
  checkpoint = "deepseek-ai/DeepSeek-V3"
  namespace = "inference"
  port = 30000

  storage {
    cache_claim = "hf-cache"  # your site's PersistentVolumeClaim: the download is kept
    token_secret = "hf-token"  # a Secret whose key `token` is the Hugging Face token
  }
  workload {
    input_tokens = 4096
    output_tokens = 1024
  }
  slo {
    ttft <= 4 s
    tpot <= 60 ms
  }
  prefill {
    devices = 8
    parallel {
      tp = 8
    }
  }
  decode {
    devices = 8
    parallel {
      tp = 1
      dp = 8
      ep = 8
    }
  }
  scheduling {
    slurm_gres = "gpu"
  }
}

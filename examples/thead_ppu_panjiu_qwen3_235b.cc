# Qwen3-235B-A22B on an Alibaba Panjiu rack of T-Head PPUs (96 GB each), one replica
# per 8 PPUs. Expect warnings: the PPU's bandwidth and compute are unpublished, and no
# engine documents PPU support (unverified).
import "std/thead"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster panjiu {
  supernode = panjiu128
  supernodes = 1
}

deployment qwen3_moe {
  model = qwen3_235b_a22b
  cluster = panjiu
  toolkit = vllm
  weights = bf16
  kv_cache = bf16

  image = "registry.example.com/vllm-ppu:latest"  # illustrative
  checkpoint = "Qwen/Qwen3-235B-A22B"
  namespace = "inference"

  storage {
    cache_claim = "hf-cache"  # your site's PersistentVolumeClaim: the download is kept
    token_secret = "hf-token"  # a Secret whose key `token` is the Hugging Face token
  }
  workload {
    input_tokens = 2048
    output_tokens = 512
    concurrency = 512
  }
  slo {
    ttft <= 2 s
    tpot <= 60 ms
  }
  parallel {
    tp = 8
    ep = 8
  }
}

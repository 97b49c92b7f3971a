# DeepSeek-V3 on one Sugon scaleX40 node: 40 GPUs (144 GB each, vendor claim) in one
# scale-up domain. The GPU is unnamed in Sugon's announcement; its figures are vendor
# claims. Expect warnings for what was not published.
import "std/sugon"
import "std/models/deepseek"
import "std/toolkits/vllm"

cluster scalex {
  server = scalex40
  nodes = 1
}

deployment v3_chat {
  model = deepseek_v3
  cluster = scalex
  toolkit = vllm
  weights = fp8
  kv_cache = bf16

  image = "registry.example.com/vllm-scalex:latest"  # illustrative
  checkpoint = "deepseek-ai/DeepSeek-V3"
  namespace = "inference"

  storage {
    cache_claim = "hf-cache"  # your site's PersistentVolumeClaim: the download is kept
    token_secret = "hf-token"  # a Secret whose key `token` is the Hugging Face token
  }
  workload {
    input_tokens = 2048
    output_tokens = 512
    concurrency = 256
  }
  slo {
    ttft <= 2 s
    tpot <= 80 ms
  }
  parallel {
    tp = 1
    dp = 40
    ep = 40
    # 256 routed experts do not split over 40 GPUs: 24 redundant copies of the busiest make
    # 280 slots, 7 per GPU (the EP320 CloudMatrix recipe's idea at this size)
    extra_experts = 24
  }
}

# The NVIDIA reference: Qwen3-32B on one HGX H200 server with vLLM.
# Every figure this contract needs is published, so it checks with no warning.
import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster h200_box {
  server = hgx_h200
  nodes = 1
}

deployment qwen3_chat {
  model = qwen3_32b
  cluster = h200_box
  toolkit = vllm
  weights = bf16
  kv_cache = bf16

  image = "vllm/vllm-openai:v0.11.0"  # illustrative tag: pin the one you run
  engine_version = "0.11.0"
  checkpoint = "Qwen/Qwen3-32B"
  namespace = "inference"
  port = 8000

  storage {
    cache_claim = "hf-cache"  # your site's PersistentVolumeClaim: the download is kept
    token_secret = "hf-token"  # a Secret whose key `token` is the Hugging Face token
  }
  workload {
    input_tokens = 2048
    output_tokens = 512
    concurrency = 64
  }
  slo {
    ttft <= 2 s
    tpot <= 50 ms
  }
  parallel {
    tp = auto
    pp = 1
  }
}

# Llama 3.1 405B at bf16 on two HGX H100 servers with vLLM: 810 GB of weights exceed one
# server's 640 GB, and tensor parallelism must stay on NVLink, so the plan pipelines the
# model over the two servers (vLLM's multi-node recipe: tensor parallel 8, pipeline 2).
import "std/nvidia"
import "std/models/llama"
import "std/toolkits/vllm"

cluster h100_pair {
  server = hgx_h100
  nodes = 2
}

deployment llama405b {
  model = llama3_1_405b
  cluster = h100_pair
  toolkit = vllm
  weights = bf16
  kv_cache = bf16

  image = "vllm/vllm-openai:v0.11.0"  # illustrative tag: pin the one you run
  engine_version = "0.11.0"
  checkpoint = "meta-llama/Llama-3.1-405B-Instruct"
  namespace = "inference"

  storage {
    cache_claim = "hf-cache"  # your site's PersistentVolumeClaim: the download is kept
    token_secret = "hf-token"  # a Secret whose key `token` is the Hugging Face token
  }
  workload {
    input_tokens = 4096
    output_tokens = 1024
    concurrency = 32
  }
  slo {
    ttft <= 5 s
    tpot <= 150 ms
  }
}

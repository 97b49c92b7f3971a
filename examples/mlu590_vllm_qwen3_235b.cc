# Qwen3-235B-A22B on one 8-card Cambricon MLU590 server with vLLM (Cambricon's build).
# Expect warnings: the MLU590's memory and bandwidth are unpublished, and vLLM's own
# documents do not list Cambricon (support is unverified).
import "std/cambricon"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster mlu_box {
  server = mlu590x8
  nodes = 1
}

deployment qwen3_moe {
  model = qwen3_235b_a22b
  cluster = mlu_box
  toolkit = vllm
  weights = int8
  kv_cache = bf16

  image = "registry.example.com/cambricon-vllm:latest"  # illustrative
  checkpoint = "/models/Qwen3-235B-A22B-w8a8"
  namespace = "inference"

  workload {
    input_tokens = 2048
    output_tokens = 512
    concurrency = 32
  }
  slo {
    ttft <= 3 s
    tpot <= 80 ms
  }
  parallel {
    tp = 8
    ep = 8
    pp = 1
  }
}

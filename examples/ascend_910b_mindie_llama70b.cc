# Llama-3.1-70B on one Atlas 800T A2 (8 x Ascend 910B, 64 GB each) with MindIE.
# `ascend_910b` is the 910B2 (Huawei's own modelling tool's figures); a server of another SKU
# names its entry (`ascend_910b3`, `ascend_910b4`, `ascend_910b4_1`) or states its own (see
# `extends` below, commented out).
import "std/ascend"
import "std/models/llama"
import "std/toolkits/mindie"

# A site that knows its SKU states it, and every check then uses its figures:
# accelerator our_910b extends ascend_910b { memory_bw = ...  compute { bf16 = ... } }

cluster a2_box {
  server = atlas_800t_a2
  nodes = 1
}

deployment llama_chat {
  model = llama3_1_70b
  cluster = a2_box
  toolkit = mindie
  weights = bf16
  kv_cache = bf16

  image = "registry.example.com/mindie:2.0"  # illustrative
  checkpoint = "/models/Meta-Llama-3.1-70B-Instruct"
  namespace = "inference"
  port = 1025  # MindIE ServerConfig.port default

  workload {
    input_tokens = 2048
    output_tokens = 256
    concurrency = 32
  }
  slo {
    ttft <= 3 s
    tpot <= 100 ms
  }
  parallel {
    tp = 8
    pp = 1
  }
}

# DeepSeek-R1 on a CloudMatrix384 supernode (384 Ascend 910C = 768 dies), prefill and
# decode disaggregated as CloudMatrix-Infer ran it: six 32-die prefill instances (EP32)
# and one 320-die decode instance (EP320: 256 routed experts + 64 extra slots, one per die).
import "std/ascend"
import "std/models/deepseek"
import "std/toolkits/vllm_ascend"

cluster cm384 {
  supernode = cloudmatrix384
  supernodes = 1
}

deployment r1_pd {
  model = deepseek_r1
  cluster = cm384
  toolkit = vllm_ascend
  weights = int8  # W8A8, as CloudMatrix-Infer served it
  kv_cache = int8

  image = "quay.io/ascend/vllm-ascend:v0.11.0-a3"  # illustrative tag of the A3 image
  checkpoint = "/models/DeepSeek-R1-w8a8"
  namespace = "inference"

  workload {
    input_tokens = 4096
    output_tokens = 1024
    # No concurrency: ccc sweeps it and picks the highest throughput under the SLO
    # (CloudMatrix-Infer ran 96 sequences per 910C package, 15360 on the decode instance).
    draft_tokens = 1  # MTP
    acceptance = 0.7
  }
  slo {
    tpot <= 50 ms  # CloudMatrix-Infer's decode SLO (seed 004); it states no TTFT target
  }
  prefill {
    devices = 192
    replicas = 6
    parallel {
      tp = 1
      dp = 32
      ep = 32
    }
  }
  decode {
    devices = 320
    replicas = 1
    parallel {
      tp = 1
      dp = 320
      ep = 320
      extra_experts = 64
    }
  }
  scheduling {
    supernode_key = "example.com/supernode"  # your site's node label for the supernode
  }
}

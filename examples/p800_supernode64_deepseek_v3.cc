# DeepSeek-V3 on a Kunlunxin P800 64-card supernode (XPU Link, OISA) with FastDeploy,
# INT8 weights, experts spread over the whole supernode.
import "std/kunlunxin"
import "std/models/deepseek"
import "std/toolkits/fastdeploy"

cluster p800_pod {
  supernode = p800_supernode64
  supernodes = 1
}

deployment v3_chat {
  model = deepseek_v3
  cluster = p800_pod
  toolkit = fastdeploy
  weights = int8  # FastDeploy `--quantization wint8`
  kv_cache = bf16

  image = "registry.example.com/fastdeploy-xpu:2.0.0"  # illustrative
  engine_version = "2.0.0"
  checkpoint = "/models/DeepSeek-V3"
  namespace = "inference"

  workload {
    input_tokens = 2048
    output_tokens = 512
    concurrency = 256
  }
  slo {
    ttft <= 2 s
    tpot <= 50 ms
  }
  parallel {
    tp = auto
    ep = auto
    pp = 1
  }
  scheduling {
    supernode_key = "example.com/supernode"  # the node label your site puts on each pod
  }
}

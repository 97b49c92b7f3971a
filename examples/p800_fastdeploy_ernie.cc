# ERNIE-4.5-300B-A47B on one Kunlunxin P800 8-card server with FastDeploy: two 4-card
# instances, as FastDeploy's P800 guide recommends WINT4 on 4 XPUs (cards 0-3 or 4-7).
# Expect warnings: Kunlunxin has not published the P800's memory bandwidth (its 96 GiB is
# what its xpu_smi shows) nor its XPU Link's.
import "std/kunlunxin"
import "std/models/ernie"
import "std/toolkits/fastdeploy"

cluster p800_box {
  server = p800x8
  nodes = 1
}

deployment ernie_chat {
  model = ernie4_5_300b_a47b
  cluster = p800_box
  toolkit = fastdeploy
  weights = int4  # FastDeploy `--quantization wint4`: weight-only INT4
  kv_cache = bf16

  image = "registry.example.com/fastdeploy-xpu:2.0.0"  # illustrative: your registry's image
  engine_version = "2.0.0"
  checkpoint = "baidu/ERNIE-4.5-300B-A47B-Paddle"
  namespace = "inference"
  port = 8188  # the port of FastDeploy's P800 guide

  replicas = 2
  storage {
    cache_claim = "hf-cache"  # your site's PersistentVolumeClaim: the download is kept
    token_secret = "hf-token"  # a Secret whose key `token` is the Hugging Face token
  }
  workload {
    input_tokens = 4096
    output_tokens = 1024
    concurrency = 16
    context = 32 K
  }
  slo {
    ttft <= 3 s
    tpot <= 80 ms
  }
  parallel {
    tp = 4
    dp = 1
    pp = 1
  }
}

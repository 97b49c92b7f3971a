import "std/ascend"
import "std/models/deepseek"
import "std/toolkits/research"

cluster c {
  supernode = cloudmatrix384
  supernodes = 1
}

deployment d {
  model = deepseek_r1
  cluster = c
  toolkit = cloudmatrix_infer  # warning[CC5001]@3
  weights = int8
  kv_cache = int8
  image = "registry.example.com/engine:1"
  devices = 32
  parallel {
    tp = 1
    dp = 32
    ep = 32
    pp = 1
  }
}

import "std/ascend"
import "std/models/deepseek"
import "std/toolkits/mindie"
cluster c { server = atlas_800t_a2  nodes = 1 }
deployment d { model = deepseek_v3  cluster = c  toolkit = mindie  weights = bf16  # error[CC3001]@68
  parallel { tp = 8  dp = 1  pp = 1  ep = 1 } }

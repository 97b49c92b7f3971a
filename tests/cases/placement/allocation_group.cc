server odd extends p800x8 { allocation_groups = [[0, 1, 2], [3, 4, 5], [6, 7]] }
import "std/kunlunxin"
import "std/models/ernie"
import "std/toolkits/fastdeploy"
cluster c { server = odd  nodes = 1 }
deployment d { model = ernie4_5_300b_a47b  cluster = c  toolkit = fastdeploy  # warning[CC2101]@44
  weights = int4  parallel { tp = 4 } }  # error[CC3007]@30

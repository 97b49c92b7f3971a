import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/mindie"
cluster c { server = hgx_h200  nodes = 1 }
deployment d { model = qwen3_32b  cluster = c  toolkit = mindie }  # error[CC3008]@48

import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"
cluster c { server = hgx_h200  nodes = 1 }
deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  parallel { tp = 3 } }  # error[CC3002]@75

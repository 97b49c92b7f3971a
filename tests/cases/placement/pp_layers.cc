import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"
cluster c { server = hgx_h200  nodes = 16 }
deployment d { model = qwen3_8b  cluster = c  toolkit = vllm  parallel { tp = 1  pp = 128 } }  # error[CC3004]@82

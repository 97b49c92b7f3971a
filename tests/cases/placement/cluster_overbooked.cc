# Two deployments on one 8-GPU server: the first holds all of it, so the second has no room.
import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"

cluster c { server = hgx_h200  nodes = 1 }

deployment chat { model = qwen3_32b  cluster = c  toolkit = vllm }
deployment batch { model = qwen3_32b  cluster = c  toolkit = vllm  devices = 4 }  # error[CC3012]@68

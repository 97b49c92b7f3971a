import "std/cambricon"
import "std/models/qwen"
import "std/toolkits/vllm"
cluster c { server = mlu590x8  nodes = 1 }
deployment d { model = qwen3_32b  cluster = c  toolkit = vllm }  # warning[CC2101]@35  # warning[CC3009]@48

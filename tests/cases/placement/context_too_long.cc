# Qwen3-32B's window is 40,960 tokens; SGLang needs 2 past input + output, so a
# 40,000-token prompt leaves room for 958 output tokens, not 960.
import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/sglang"
cluster c { server = hgx_h200  nodes = 1 }
deployment d { model = qwen3_32b  cluster = c  toolkit = sglang
  workload { input_tokens = 40000
    output_tokens = 960 } }  # error[CC3014]@5

import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"
accelerator fast extends nvidia_h200_sxm { memory_bw = 1e40 TB/s }  # error[CC7004]@56
cluster c { server = hgx_h200  nodes = 1 }
deployment d {
  model = qwen3_32b  cluster = c  toolkit = vllm
  workload { concurrency = 1e308 }  # error[CC7004]@28
}

import "std/ascend"
import "std/models/llama"
import "std/toolkits/mindie"

cluster c {
  server = atlas_800t_a2
  nodes = 2
}

deployment d {
  model = llama3_1_70b
  cluster = c
  toolkit = mindie
  weights = bf16
  image = "registry.example.com/mindie:2.1"
  checkpoint = "/models/Meta-Llama-3.1-70B-Instruct"
  scheduling {
    slurm_gres = "npu"
  }
  workload {
    input_tokens = 2048
    output_tokens = 256
  }
  prefill {  # error[CC5006]@3
    devices = 8
    parallel {
      tp = 8
    }
  }
  decode {
    devices = 8
    parallel {
      tp = 8
    }
  }
}

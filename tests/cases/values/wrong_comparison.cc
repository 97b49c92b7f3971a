import "_catalog"
deployment d {
  model = m
  cluster = c
  toolkit = t
  workload { input_tokens = 1024  output_tokens = 256 }
  slo {
    ttft >= 2 s  # error[CC2010]@5
    throughput <= 5000 tok/s  # error[CC2010]@5
  }
}

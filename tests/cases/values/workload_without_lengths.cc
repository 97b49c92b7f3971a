import "_catalog"
# Traffic and an SLO, but no lengths to predict them at: refused at the workload block.
deployment d {
  model = m
  cluster = c
  toolkit = t
  workload {  # error[CC2004]@3
    input_tokens = 1024
    concurrency = 32
  }
  slo {
    tpot <= 50 ms
  }
}

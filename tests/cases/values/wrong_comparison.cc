import "_catalog"
deployment d {
  model = m
  cluster = c
  toolkit = t
  slo {
    ttft >= 2 s  # error[CC2010]@5
    throughput <= 5000 tok/s  # error[CC2010]@5
  }
}

import "_catalog"
# An SLO with no workload at all: refused at the SLO.
deployment e {
  model = m
  cluster = c
  toolkit = t
  slo {  # error[CC2004]@3
    ttft <= 2 s
  }
}

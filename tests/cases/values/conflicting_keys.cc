import "_catalog"
supernode pod {
  server = box
  servers = 2
  fabric = link
}
cluster both {
  server = box
  nodes = 2
  supernode = pod  # error[CC2011]@3
}
deployment d {
  model = m
  cluster = c
  toolkit = t
  parallel {  # error[CC2011]@3
    tp = 8
  }
  prefill {
    devices = 4
  }
  decode {
    devices = 4
  }
}

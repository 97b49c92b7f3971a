import "_catalog"

# The catalog's card, as a site that has not measured its memory would declare it.
accelerator unmeasured extends card {
  memory = unknown
}
server unmeasured_box extends box {
  accelerator = unmeasured
}
cluster site {
  server = unmeasured_box
  nodes = 1
}
deployment d {
  model = m
  cluster = site  # warning[CC2101]@3
  toolkit = t
}

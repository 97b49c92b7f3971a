accelerator card {
  memory = 64 GiB
  memory_bw = 1.6 TB/s
  compute {
    bf16 = 300 TFLOPS
  }
}
interconnect link {
  scope = scale_up
  bandwidth = 200 GB/s
}
server box {
  accelerator = card
  devices = 8
  scale_up = link
}
cluster c {
  server = box
  nodes = 1
}
model m {
  layers = 2
  hidden_size = 64
  heads = 4
}
toolkit t {
  weights = [bf16]
}

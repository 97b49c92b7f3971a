# Sugon (曙光, formerly Dawning) scaleX40 supernode server: 40 accelerators in one scale-up
# domain. The source does not name the accelerator ("GPU"), so it is declared here as
# sugon_scalex40_gpu with the per-card figures derived from the vendor's per-node claims.
# Source: seed 003 (Sugon scaleX40 launch article; its translation says "Inspur (formerly
# Dawning)", but Dawning is Sugon). All figures are vendor claims, quoted second-hand, and
# most are lower bounds ("more than"). Collected in /work/shared/catalog-facts.md, section B.

accelerator sugon_scalex40_gpu {
  # vendor not named by the source (the accelerator is an unnamed "GPU")
  memory = 144 GB  # vendor claim: seed 003 ("144 G" per GPU; unit prefix as written)
  # derived lower bound: ">80 TB/s" memory bandwidth per node (vendor claim, seed 003) / 40
  # cards = more than 2.0 TB/s per card
  memory_bw = 2 TB/s
  compute {
    # derived lower bound: ">28 PFLOPS FP8" per node (vendor claim, seed 003) / 40 = more than
    # 700 TFLOPS per card; dense or sparse not stated
    fp8 = 700 TFLOPS
    bf16 = unknown  # not published
    int8 = unknown  # not published
  }
  power = unknown  # not published
  # device variable and Kubernetes resource unknown: the accelerator is not named
}

interconnect scalex40_bus {
  scope = scale_up
  # "bus technology" over a cable-less orthogonal backplane (vendor claim, seed 003)
  technology = "Sugon scale-up bus"
  # not published; ">10x traditional NDR networks" (vendor claim, seed 003) is not a
  # per-device figure
  bandwidth = unknown
  # vendor claim, seed 003: point-to-point one-way latency "< 100 ns" (one layer): an upper bound
  latency = 100 ns
  # topology not stated beyond the orthogonal backplane
}

server scalex40 {
  accelerator = sugon_scalex40_gpu
  devices = 40  # vendor claim, seed 003: 40 GPUs per node (scales down to 32)
  scale_up = scalex40_bus
  # scale-out network not published; a cluster states its own `scale_out`
  # Per node, vendor claim (seed 003): >28 PFLOPS FP8, >5 TB HBM, >80 TB/s memory bandwidth,
  # 16U 19-inch chassis; power not published.
  power = unknown
}

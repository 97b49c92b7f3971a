# Kunlunxin (Baidu) P800 accelerator, its XPU Link, the 8-card P800 server and the 64-card
# P800 supernode.
# Sources: PaddlePaddle/FastDeploy docs/usage/kunlunxin_xpu_deployment.md (device variable,
# 4-card groups); Project-HAMi/HAMi pkg/device/kunlun/config.go (resource names); seed 000
# (Kunlunxin P800 cluster article), seed 002 (domestic chip roadmap article). Collected in
# /work/shared/catalog-facts.md, sections A and B.
# Kunlunxin publishes no P800 datasheet that was found: memory size and type, memory bandwidth,
# INT8, TDP and XPU Link bandwidth are unknown. The 96 GiB / 2.76 TB/s / 690 TOPS values seen in
# some drafts are NOT confirmed by any source and are not used.

accelerator kunlunxin_p800 {
  vendor = "Kunlunxin"
  # xpu_smi as PaddlePaddle/ERNIE @7355784e docs/devices/README_XPU.md prints it (vendor
  # software output): "P800 OAM ... 88W / 400W | 0MiB / 98304MiB". Seed 001's "32 GB/64 GB
  # GPU-class memory clusters" is not a P800 spec.
  memory = 96 GiB
  memory_bw = unknown  # not published; same searches
  compute {
    fp16 = 345 TFLOPS  # second-hand: Guosen Securities research estimate, quoted in seed 002
    bf16 = unknown  # not published
    int8 = unknown  # not published
  }
  power = unknown  # xpu_smi's 400 W is the board's power cap, not a stated TDP
  device_env = "XPU_VISIBLE_DEVICES"  # FastDeploy docs/usage/kunlunxin_xpu_deployment.md
  # HAMi's default whole-card name (`kunlun-name`, pkg/device/kunlun/config.go); the vendor
  # device plugin's own name was not verified separately
  k8s_resource = "kunlunxin.com/xpu"
  # HAMi virtual XPU (vXPU) resource; memory share is kunlunxin.com/vxpu-memory
  hami_resource = "kunlunxin.com/vxpu"
}

interconnect xpu_link {
  scope = scale_up
  technology = "XPU Link (OISA-compatible)"  # vendor claim: seed 000, seed 002
  # not published; "reportedly close to H20" (second-hand, seed 002) is not a figure. OISA 2.0
  # promises "TB/s-class" bandwidth (vendor claim, seed 000): not a per-device figure.
  bandwidth = unknown
  # OISA 2.0: "hundreds of ns" (vendor claim, seed 000): not a figure
  latency = unknown
  # Topology not published. FastDeploy allows 4-card tensor parallelism only on cards 0-3 or
  # 4-7, "constrained by hardware limitations such as interconnect capabilities", so the 8-card
  # server is not a uniform full mesh; see allocation_groups on p800x8.
}

server p800x8 {
  accelerator = kunlunxin_p800
  # FastDeploy kunlunxin_xpu_deployment.md: ERNIE-4.5-300B-A47B on 8 XPUs; seed 000
  devices = 8
  scale_up = xpu_link
  # FastDeploy kunlunxin_xpu_deployment.md: a 4-card TP group must be cards 0-3 or 4-7
  allocation_groups = [[0, 1, 2, 3], [4, 5, 6, 7]]
  # scale-out NIC of a P800 server not published; a cluster states its own `scale_out`
}

supernode p800_supernode64 {
  # 64 P800 cards in one cabinet with "full interconnection" (vendor claim, seed 000: shown with
  # China Mobile at the Zhongguancun Forum, March 2025). The number of cards per server inside
  # the cabinet is not published.
  # ASSUMPTION: built of the 8-card p800x8 servers, so 8 servers (64 / 8, derived). Whether the
  # 0-3 / 4-7 group rule of p800x8 still applies inside the supernode is not documented.
  server = p800x8
  servers = 8
  fabric = xpu_link
  power = unknown  # not published
}

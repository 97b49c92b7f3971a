# Moore Threads MTT S5000 accelerator (MUSA "Pinghu" architecture, training and inference card).
# No server is declared: no server specification was found.
# Sources: seed 001 (names MTT S5000, FP8 via FlagOS); press reports of Moore Threads' February
# 2026 disclosure: ldeepai.com "Moore Threads MTT S5000 1000 TFLOPS FP8 GPU", rutab.net,
# reportify.ai (傅里叶的猫 summary), app.myzaker.com (快科技); Project-HAMi/HAMi
# pkg/device/mthreads/device.go (resource names); code-index tables of multi-vendor projects for
# the visibility variable. All figures are vendor claims reported second-hand.

accelerator mthreads_s5000 {
  vendor = "Moore Threads"
  # vendor claim, second-hand: ldeepai.com, rutab.net, reportify.ai ("80 GB of memory"); a
  # code-index acceptance table also lists "MTT S5000 80 GB"
  memory = 80 GB
  # memory_type: not stated in the sources read
  memory_bw = 1.6 TB/s  # vendor claim, second-hand: ldeepai.com, rutab.net, reportify.ai
  compute {
    # vendor claim, second-hand: "1000 TFLOPS single-card ... FP8" (ldeepai.com); reportify.ai:
    # 1000 TFLOPS liquid-cooled, 920 TFLOPS air-cooled; 快科技 via myzaker: 1024 TFLOPS. Whether
    # dense or sparse is not stated. The liquid-cooled 1000 is written here.
    fp8 = 1000 TFLOPS
    bf16 = unknown  # not published
    fp16 = unknown  # not published
    int8 = unknown  # not published
  }
  power = unknown  # not published
  # MUSA runtime variable: FlagOS vendor table (摩尔线程 `mthreads-gmi` / MUSA_VISIBLE_DEVICES)
  # and a multi-vendor acceptance table (MTT S5000, torch_musa), code index, second-hand
  device_env = "MUSA_VISIBLE_DEVICES"
  # vendor device-plugin resource name not found
  # HAMi pkg/device/mthreads/device.go; shares: mthreads.com/sgpu-memory, mthreads.com/sgpu-core
  hami_resource = "mthreads.com/vgpu"
  # Inter-card MTLink: "784 GB/s" (vendor claim, second-hand: ldeepai.com), direction not
  # stated; no server or interconnect is declared here because no server spec was found.
}

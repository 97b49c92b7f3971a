# Hygon DCU accelerator (the DCU line FastDeploy supports: "Hygon K100AI"; another project names
# "海光 DCU BW1000"). No server is declared: no server specification was found.
# Sources: seed 000 (FastDeploy 2.0 blog: K100AI), seed 001 ("HaiGuang (DCU)");
# Project-HAMi/HAMi pkg/device/hygon/device.go (resource names); code-index tables of two
# multi-vendor projects (second-hand) for the visibility variable. Collected in
# /work/shared/catalog-facts.md, section A.
# No specification source was found for the K100-AI (pages corpus "海光 DCU K100-AI 显存 64GB
# 带宽 FP16 算力": nothing usable), so every figure is unknown.

accelerator hygon_dcu {
  vendor = "Hygon"
  # not found for K100-AI. A code-index acceptance table lists "Hygon BW1000 64 GB" (second-
  # hand) — a different product name, so not used for this generic entry.
  memory = unknown
  memory_bw = unknown  # not found
  compute {
    bf16 = unknown  # not found
    fp16 = unknown  # not found
    int8 = unknown  # not found
  }
  power = unknown  # not found
  # second-hand: FlagOS deployment-skill vendor table (海光 `hy-smi` / HIP_VISIBLE_DEVICES) and a
  # multi-vendor acceptance table (Hygon BW1000, DTK build, HIP_VISIBLE_DEVICES), both in the
  # code index; DTK is ROCm-derived. Not from a Hygon manual.
  device_env = "HIP_VISIBLE_DEVICES"
  # vendor device-plugin resource name not found
  # HAMi pkg/device/hygon/device.go; shares: hygon.com/dcumem, hygon.com/dcucores
  hami_resource = "hygon.com/dcunum"
}

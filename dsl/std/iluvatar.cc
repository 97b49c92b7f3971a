# Iluvatar CoreX (天数智芯) BI-V150 (天垓150) accelerator. No server is declared: no server
# specification was found.
# Sources: seed 000 (FastDeploy supports "Iluvatar BI-V150"); Project-HAMi/HAMi charts/values
# (resource names); a code-index multi-vendor table for the visibility variable. Collected in
# /work/shared/catalog-facts.md, section A.
# No BI-V150 specification source was found (pages corpus "天数智芯 天垓150 BI-V150 显存 带宽
# 算力 规格": nothing usable), so every figure is unknown.

accelerator iluvatar_bi150 {
  vendor = "Iluvatar CoreX"
  memory = unknown  # not found
  memory_bw = unknown  # not found
  compute {
    bf16 = unknown  # not found
    fp16 = unknown  # not found
    int8 = unknown  # not found
  }
  power = unknown  # not found
  # second-hand: FlagOS deployment-skill vendor table (天数 `ixsmi` / CUDA_VISIBLE_DEVICES), code
  # index; CoreX is CUDA-compatible. Not from an Iluvatar manual.
  device_env = "CUDA_VISIBLE_DEVICES"
  # vendor device-plugin resource name not found
  # HAMi charts/values; shares: iluvatar.ai/BI-V150.vCore, iluvatar.ai/BI-V150.vMem
  hami_resource = "iluvatar.ai/BI-V150-vgpu"
}

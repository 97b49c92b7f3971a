# MetaX (沐曦, "Muxi") C500 accelerator. No server is declared: no server specification was found.
# Sources: seed 001 (names "Muxi" only); Project-HAMi/HAMi pkg/device/metax/config.go and
# examples/metax/gpu/*.yaml (resource names); code-index tables of multi-vendor projects for the
# visibility variable. Collected in /work/shared/catalog-facts.md, section A.
# No C500 specification source was found (pages corpus "沐曦 曦云 C500 显存 带宽 FP16 算力 功耗":
# nothing usable), so every figure is unknown.

accelerator metax_c500 {
  vendor = "MetaX"
  # not found. A code-index acceptance table lists "MetaX C550 64 GB" (second-hand): a different
  # model, not used.
  memory = unknown
  memory_bw = unknown  # not found
  compute {
    bf16 = unknown  # not found
    fp16 = unknown  # not found
    int8 = unknown  # not found
  }
  power = unknown  # not found
  # second-hand: FlagOS deployment-skill vendor table (沐曦 `mx-smi` / CUDA_VISIBLE_DEVICES) and a
  # multi-vendor acceptance table (MetaX C550, CUDA_VISIBLE_DEVICES), code index; not from a
  # MetaX manual
  device_env = "CUDA_VISIBLE_DEVICES"
  k8s_resource = "metax-tech.com/gpu"  # HAMi default `metax-name` (pkg/device/metax/config.go)
  # HAMi virtual GPU; shares: metax-tech.com/vcore, metax-tech.com/vmemory
  hami_resource = "metax-tech.com/sgpu"
}

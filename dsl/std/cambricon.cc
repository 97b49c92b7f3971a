# Cambricon MLU590 and MLU370 accelerators, MLU-Link, and one assumed 8-card MLU590 server.
# Sources: seed 002 (domestic chip roadmap article: TFLOPS only); Project-HAMi/HAMi
# pkg/device/cambricon/device.go (resource names); FlagOS deployment skill table (code index,
# second-hand) and many Cambricon training scripts for MLU_VISIBLE_DEVICES. Collected in
# /work/shared/catalog-facts.md, section A.
# Memory size, type and bandwidth, INT8 and TDP of MLU590/MLU370 were searched (pages corpus
# "寒武纪 思元590 MLU590 显存 HBM 带宽 MLU-Link"): only older MLU100/270/290 material was found.

accelerator cambricon_mlu590 {
  vendor = "Cambricon"
  memory = unknown  # not found (searched pages corpus; only MLU290 material)
  memory_bw = unknown  # not found
  compute {
    fp16 = 345 TFLOPS  # second-hand: seed 002 ("peak 345 Tflops at FP16")
    bf16 = unknown  # not published
    fp8 = unknown  # seed 002 says MLU590 "introduced FP8 support"; no throughput given
    int8 = unknown  # not found
  }
  power = unknown  # not found
  # second-hand: FlagOS deployment-skill vendor table (code index) lists 寒武纪 `cnmon` /
  # MLU_VISIBLE_DEVICES; the same variable is set in many Cambricon training scripts. Not from a
  # Cambricon manual.
  device_env = "MLU_VISIBLE_DEVICES"
  # HAMi default `cambricon-mlu-name`, which is the Cambricon device plugin's name
  # (pkg/device/cambricon/device.go)
  k8s_resource = "cambricon.com/mlu"
  # HAMi virtual MLU; shares: cambricon.com/mlu.smlu.vmemory, cambricon.com/mlu.smlu.vcore
  hami_resource = "cambricon.com/vmlu"
}

accelerator cambricon_mlu370 {
  vendor = "Cambricon"
  memory = unknown  # not found
  memory_bw = unknown  # not found
  compute {
    fp16 = 96 TFLOPS  # second-hand: seed 002 ("MLU 370 … 96 Tflops at FP16")
    bf16 = unknown  # not published
    int8 = unknown  # not found
    # no fp8 key: no FP8 on MLU370 (seed 002 dates FP8 to the MLU590)
  }
  power = unknown  # not found
  device_env = "MLU_VISIBLE_DEVICES"  # second-hand, as for cambricon_mlu590
  k8s_resource = "cambricon.com/mlu"  # as for cambricon_mlu590
  hami_resource = "cambricon.com/vmlu"  # as for cambricon_mlu590
}

interconnect mlu_link {
  scope = scale_up
  technology = "MLU-Link"
  # not found for MLU590/MLU370 (MLU290 had 600 GB/s total, second-hand: t.zoukankan.com;
  # not this chip)
  bandwidth = unknown
  latency = unknown
  # topology of an MLU590 server not found
}

server mlu590x8 {
  accelerator = cambricon_mlu590
  # ASSUMPTION: 8 cards per server. No MLU590 server specification was found; 8 is the size of
  # the MLU training runs seen in Cambricon scripts (MLU_VISIBLE_DEVICES=0,...,7). Override with
  # `server my_box extends mlu590x8 { devices = ... }` where the real server differs.
  devices = 8
  scale_up = mlu_link
  # scale-out NIC not found; a cluster states its own `scale_out`
}

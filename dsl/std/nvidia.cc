# NVIDIA accelerators (H800, H100 SXM, H200 SXM, H20, A100 80GB SXM, B200, GB200), NVLink and
# InfiniBand links, HGX 8-GPU servers and the GB200 NVL72 rack.
# Main source: NVIDIA's AIConfigurator (repo ai-dynamo/aiconfigurator) system files —
#   aic-core/src/aiconfigurator_core/systems/{h100_sxm,h200_sxm,a100_sxm,b200_sxm,gb200}.yaml at
#   commit 095f58a51c4ca8e61b66ec108d86f223f8d559ce (via catalog-facts A/B), and
#   src/aiconfigurator/systems/h800_sxm.yaml (commit 77f0282e) and h20_sxm.yaml (commit e9fbc0a5)
#   read directly. AIC writes link bandwidth "per GPU, single direction" — NVIDIA datasheet
#   values (450 GB/s = half of H100's 900 GB/s bidirectional NVLink).
# Also: DeepSeek-V3 Technical Report (arXiv 2412.19437) for the H800 cluster; seed 004 for the
# NVL72 rack power; Project-HAMi/HAMi for the Kubernetes resource; memory types are second-hand.
# AIC figures are dense tensor throughput. Collected in /work/shared/catalog-facts.md.

# ---- Hopper ----------------------------------------------------------------------------------

accelerator nvidia_h100_sxm {
  vendor = "NVIDIA"
  memory = 80 GiB  # AIC h100_sxm.yaml (85,899,345,920 B)
  memory_type = "HBM3"  # second-hand: lzwjava.github.io/nvidia-h200-gpu-specs-en
  memory_bw = 3.35 TB/s  # AIC h100_sxm.yaml
  compute {
    bf16 = 989 TFLOPS  # AIC h100_sxm.yaml
    fp16 = 989 TFLOPS  # catalog-facts A.1 gives one BF16/FP16 dense figure
    fp8 = 1978 TFLOPS  # AIC h100_sxm.yaml
    int8 = 1978 TOPS  # AIC h100_sxm.yaml
  }
  power = 700 W  # AIC h100_sxm.yaml
  device_env = "CUDA_VISIBLE_DEVICES"  # CUDA runtime
  k8s_resource = "nvidia.com/gpu"  # NVIDIA device plugin; HAMi uses the same name
}

accelerator nvidia_h200_sxm {
  vendor = "NVIDIA"
  # AIC h200_sxm.yaml: 151,397,597,184 B = 141 GiB; NVIDIA markets "141 GB"
  memory = 141 GiB
  memory_type = "HBM3e"  # second-hand: lzwjava.github.io/nvidia-h200-gpu-specs-en
  memory_bw = 4.8 TB/s  # AIC h200_sxm.yaml
  compute {
    bf16 = 989 TFLOPS  # AIC h200_sxm.yaml
    fp16 = 989 TFLOPS  # catalog-facts A.1 gives one BF16/FP16 dense figure
    fp8 = 1978 TFLOPS  # AIC h200_sxm.yaml
    int8 = 1978 TOPS  # AIC h200_sxm.yaml
  }
  power = 700 W  # AIC h200_sxm.yaml
  device_env = "CUDA_VISIBLE_DEVICES"
  k8s_resource = "nvidia.com/gpu"
}

accelerator nvidia_h800 {
  # SXM, the China-market H100: AIC h800_sxm.yaml "Compute (TFLOPS), HBM capacity, and HBM
  # bandwidth are identical to H100 SXM"; NVLink is capped (see nvlink_h800)
  vendor = "NVIDIA"
  memory = 80 GiB  # AIC h800_sxm.yaml (85,899,345,920 B)
  memory_type = "HBM3"  # second-hand: philisun.com "NVIDIA H800 vs H100"
  memory_bw = 3.35 TB/s  # AIC h800_sxm.yaml
  compute {
    bf16 = 989 TFLOPS  # AIC h800_sxm.yaml
    fp16 = 989 TFLOPS  # one BF16/FP16 figure (catalog-facts A.1); same silicon as H100
    fp8 = 1978 TFLOPS  # AIC h800_sxm.yaml
    int8 = 1978 TOPS  # AIC h800_sxm.yaml
  }
  power = 700 W  # AIC h800_sxm.yaml (a blog's 550 W cap is unreliable and not used)
  device_env = "CUDA_VISIBLE_DEVICES"
  k8s_resource = "nvidia.com/gpu"
}

accelerator nvidia_h20 {
  vendor = "NVIDIA"
  # AIC h20_sxm.yaml at e9fbc0a5 (103,079,215,104 B = 96 GiB; "96 GB" second-hand:
  # willitrunai.com). Another stored version of the same file (commit 16417930) prints
  # 141,899,345,920 B with comments copied from the H100 file — taken as a copy error.
  memory = 96 GiB
  # memory_type: HBM3 on some pages, HBM3e on others (second-hand) — inconsistent, not set
  memory_bw = 4 TB/s  # AIC h20_sxm.yaml; second-hand: willitrunai.com
  compute {
    fp16 = 148 TFLOPS  # AIC h20_sxm.yaml (float16); second-hand: willitrunai.com
    bf16 = 148 TFLOPS  # second-hand: willitrunai.com, zangshuxian.com (one BF16/FP16 figure)
    fp8 = 296 TFLOPS  # AIC h20_sxm.yaml at e9fbc0a5; second-hand: willitrunai.com
    int8 = 296 TOPS  # AIC h20_sxm.yaml at e9fbc0a5; second-hand: willitrunai.com
  }
  # Inconsistent: AIC h20_sxm.yaml says 350 W (e9fbc0a5) and 700 W (16417930, copied from
  # H100); second-hand pages say 400 W. No NVIDIA datasheet found. Not guessed.
  power = unknown
  device_env = "CUDA_VISIBLE_DEVICES"
  k8s_resource = "nvidia.com/gpu"
}

interconnect nvlink4 {
  scope = scale_up
  technology = "NVLink 4 + NVSwitch"
  # AIC h100_sxm.yaml and h200_sxm.yaml, per GPU per direction (900 GB/s bidirectional)
  bandwidth = 450 GB/s
  # derived from measurements: nccl-tests all-reduce of 256 bytes on H100 takes 6.18 us over
  # 2 GPUs and 15.6 us over 8 (ai-dynamo/aiconfigurator @095f58a5 aic-core/src/
  # aiconfigurator_core/systems/data/h100_sxm/comm/nccl/*/nccl_perf.parquet, vendor software,
  # measured); a ring's 2 (n - 1) hops fit 4.6 us + 0.79 us a hop (H200, 8 GPUs: 16.0 us).
  # The per-hop part is this latency; the fixed part is in the fitted per-layer latency.
  latency = 0.79 us
  topology = switched  # NVSwitch
}

interconnect nvlink_h800 {
  scope = scale_up
  technology = "NVLink 4 + NVSwitch (H800, capped)"
  # AIC h800_sxm.yaml: "capped at ~400 GB/s bidirectional (200 GB/s per direction)". DeepSeek-V3
  # report §3.2.2: about 160 GB/s achievable in practice.
  bandwidth = 200 GB/s
  latency = unknown
  # DeepSeek-V3 report §3.1: "8 GPUs connected by NVLink and NVSwitch within nodes"
  topology = switched
}

interconnect nvlink_h20 {
  scope = scale_up
  technology = "NVLink 4 + NVSwitch"
  # AIC h20_sxm.yaml intra_node_bw, per GPU single direction; second-hand: willitrunai.com
  # "NVLink 900 GB/s" (bidirectional), halved
  bandwidth = 450 GB/s
  latency = unknown
  topology = switched  # HGX baseboard NVSwitch, as for the other HGX parts (AIC models it so)
}

interconnect ib_ndr_400g {
  scope = scale_out
  technology = "InfiniBand NDR (ConnectX-7), one NIC per GPU"
  # AIC h100/h200/h800_sxm.yaml inter_node_bw 50e9 B/s per GPU single direction, "1:1 CX7 NDR
  # 400Gb/s"; DeepSeek-V3 report: IB 50 GB/s on the H800 cluster
  bandwidth = 400 Gb/s
  latency = unknown  # not in the sources read
  # fabric topology (rail, fat tree) varies by site; not declared
}

interconnect cx7_h20 {
  scope = scale_out
  technology = "ConnectX-7, one NIC per GPU"
  # AIC h20_sxm.yaml inter_node_bw 25e9 B/s per GPU, single direction ("1:1 CX7") = 200 Gb/s
  bandwidth = 200 Gb/s
  latency = unknown
}

server hgx_h100 {
  accelerator = nvidia_h100_sxm
  devices = 8  # AIC h100_sxm.yaml num_gpus_per_node
  scale_up = nvlink4
  scale_out = ib_ndr_400g
}

server hgx_h200 {
  accelerator = nvidia_h200_sxm
  devices = 8  # AIC h200_sxm.yaml
  scale_up = nvlink4
  scale_out = ib_ndr_400g
}

server hgx_h800 {
  accelerator = nvidia_h800
  devices = 8  # AIC h800_sxm.yaml; DeepSeek-V3 report §3.1 ("Each node ... contains 8 GPUs")
  scale_up = nvlink_h800
  scale_out = ib_ndr_400g
}

server hgx_h20 {
  accelerator = nvidia_h20
  devices = 8  # AIC h20_sxm.yaml num_gpus_per_node
  scale_up = nvlink_h20
  scale_out = cx7_h20
}

# ---- Ampere ----------------------------------------------------------------------------------

accelerator nvidia_a100_80g {
  # SXM
  vendor = "NVIDIA"
  memory = 80 GiB  # AIC a100_sxm.yaml
  memory_type = "HBM2e"  # second-hand: jishuzhan.net NVIDIA table
  memory_bw = 2.039 TB/s  # AIC a100_sxm.yaml
  compute {
    bf16 = 312 TFLOPS  # AIC a100_sxm.yaml
    fp16 = 312 TFLOPS  # one BF16/FP16 figure (catalog-facts A.1)
    int8 = 624 TOPS  # AIC a100_sxm.yaml
    # no fp8 key: Ampere has no FP8 (AIC a100_sxm.yaml has none)
  }
  power = 400 W  # AIC a100_sxm.yaml
  device_env = "CUDA_VISIBLE_DEVICES"
  k8s_resource = "nvidia.com/gpu"
}

interconnect nvlink3 {
  scope = scale_up
  technology = "NVLink 3 + NVSwitch"
  bandwidth = 300 GB/s  # AIC a100_sxm.yaml, per GPU per direction (600 GB/s bidirectional)
  # derived from measurements (AIC @095f58a5 a100_sxm nccl_perf.parquet, vendor software):
  # 256-byte all-reduce 9.98 us over 2 GPUs, 22.6 us over 8: 1.05 us a ring hop (as nvlink4)
  latency = 1.05 us
  topology = switched
}

interconnect ib_hdr_200g {
  scope = scale_out
  technology = "InfiniBand HDR (ConnectX-6), one NIC per GPU"
  bandwidth = 200 Gb/s  # AIC a100_sxm.yaml ("CX6, 1:1")
  latency = unknown
}

server hgx_a100 {
  accelerator = nvidia_a100_80g
  devices = 8  # AIC a100_sxm.yaml
  scale_up = nvlink3
  scale_out = ib_hdr_200g
}

# ---- Blackwell -------------------------------------------------------------------------------

accelerator nvidia_b200 {
  # HGX B200
  vendor = "NVIDIA"
  memory = 180 GiB  # AIC b200_sxm.yaml (193,273,528,320 B)
  # memory_type: HBM3e is widely reported but not stated in the source used; not set
  memory_bw = 7.7 TB/s  # AIC b200_sxm.yaml
  compute {
    bf16 = 2250 TFLOPS  # AIC b200_sxm.yaml
    fp16 = 2250 TFLOPS  # one BF16/FP16 figure (catalog-facts A.1)
    fp8 = 4500 TFLOPS  # AIC b200_sxm.yaml
    int8 = 4500 TOPS  # AIC b200_sxm.yaml
    fp4 = 9000 TFLOPS  # AIC b200_sxm.yaml ("fp4")
  }
  power = 1000 W  # AIC b200_sxm.yaml
  device_env = "CUDA_VISIBLE_DEVICES"
  k8s_resource = "nvidia.com/gpu"
}

accelerator nvidia_gb200 {
  # one Blackwell GPU of a GB200 superchip (2 GPUs + 1 Grace CPU)
  vendor = "NVIDIA"
  memory = 189471 MiB  # AIC gb200.yaml: "reported by nvidia-smi" (198,674,743,296 B)
  # memory_type: not stated in the source used; not set
  memory_bw = 8 TB/s  # AIC gb200.yaml
  compute {
    bf16 = 2500 TFLOPS  # AIC gb200.yaml
    fp16 = 2500 TFLOPS  # one BF16/FP16 figure (catalog-facts A.1)
    fp8 = 5000 TFLOPS  # AIC gb200.yaml
    int8 = 5000 TOPS  # AIC gb200.yaml
    fp4 = 10000 TFLOPS  # AIC gb200.yaml ("fp4")
  }
  power = 1200 W  # AIC gb200.yaml
  device_env = "CUDA_VISIBLE_DEVICES"
  k8s_resource = "nvidia.com/gpu"
}

interconnect nvlink5 {
  scope = scale_up
  technology = "NVLink 5 + NVSwitch"
  bandwidth = 900 GB/s  # AIC b200_sxm.yaml, per GPU per direction (1.8 TB/s bidirectional)
  # derived from measurements (AIC @095f58a5 b200_sxm nccl_perf.parquet, vendor software):
  # 256-byte all-reduce 10.3 us over 2 GPUs, 25.1 us over 8: 1.23 us a ring hop (as nvlink4)
  latency = 1.23 us
  topology = switched
}

interconnect nvlink5_nvl72 {
  scope = scale_up
  technology = "NVLink 5 + NVLink Switch trays, rack-wide"
  bandwidth = 900 GB/s  # AIC gb200.yaml, per GPU per direction, across all 72 GPUs of the rack
  # derived from measurements (AIC @095f58a5 gb200 nccl_perf.parquet, vendor software):
  # 256-byte all-reduce 10.9 us over 2 GPUs, 15.6 us over 4: 1.18 us a ring hop (as nvlink4)
  latency = 1.18 us
  topology = switched
}

interconnect ib_xdr_800g {
  scope = scale_out
  technology = "InfiniBand XDR (ConnectX-8), one NIC per GPU"
  bandwidth = 800 Gb/s  # AIC b200_sxm.yaml and gb200.yaml ("CX8 XDR")
  # AIC gb200.yaml models 5 µs between racks — a modelling assumption of the tool, not a
  # measured or datasheet figure, so not used
  latency = unknown
}

server hgx_b200 {
  accelerator = nvidia_b200
  devices = 8  # AIC b200_sxm.yaml
  scale_up = nvlink5
  scale_out = ib_xdr_800g
}

server gb200_tray {
  # one NVL72 compute tray: 2 Grace CPUs + 4 Blackwell GPUs (AIC gb200.yaml "18 compute trays
  # x 4 GPUs")
  accelerator = nvidia_gb200
  devices = 4
  scale_up = nvlink5_nvl72
  scale_out = ib_xdr_800g
}

supernode gb200_nvl72 {
  server = gb200_tray
  servers = 18  # AIC gb200.yaml: "num_gpus_per_rack: 72 ... 18 compute trays x 4 GPUs"
  fabric = nvlink5_nvl72
  scale_out = ib_xdr_800g
  power = 132 kW  # second-hand: seed 004 (also ~180 PFLOPS BF16 per rack, second-hand)
}

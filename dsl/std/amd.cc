# AMD Instinct MI300X accelerator, its Infinity Fabric (XGMI) link and the 8-GPU MI300X server.
# Sources: AMD ROCm documentation docs/conceptual/gpu-arch/mi300.md ("Peak-performance
# capabilities of the MI300X", node-level architecture; read from the copy in the GitHub fork
# prbasyal-amd/ROCm at commit d534f755); MLCommons inference v4.1
# closed/AMD/systems/8xMI300X_2xEPYC-9374F.json; MicrosoftDocs/azure-docs
# articles/virtual-machines/sizes/gpu-accelerated/nd-mi300x-v5-series.md; Project-HAMi/HAMi
# pkg/scheduler/config/config.go. Collected in /work/shared/catalog-facts.md.

import "std/nvidia"  # ib_ndr_400g, the NDR InfiniBand scale-out link (one 400 Gb/s NIC per GPU)

accelerator amd_mi300x {
  vendor = "AMD"
  # MLCommons v4.1 8xMI300X system JSON ("accelerator_memory_capacity": "192 GB",
  # "MI300X-NPS1-SPX-192GB-750W")
  memory = 192 GB
  memory_type = "HBM3"  # MLCommons v4.1 system JSON ("accelerator_memory_configuration")
  memory_bw = 5.3 TB/s  # ROCm mi300.md: peak memory bandwidth "is 5.3 TB per second"
  compute {
    # ROCm mi300.md peak-performance table (Matrix cores, theoretical peak of the OAM)
    bf16 = 1307.4 TFLOPS
    fp16 = 1307.4 TFLOPS
    fp8 = 2614.9 TFLOPS
    int8 = 2614.9 TOPS
  }
  power = 750 W  # MLCommons v4.1 system JSON ("...-192GB-750W")
  # ROCm convention (ROCR_VISIBLE_DEVICES also exists); not re-verified in an AMD doc here
  device_env = "HIP_VISIBLE_DEVICES"
  k8s_resource = "amd.com/gpu"  # HAMi pkg/scheduler/config/config.go (resourceCountName)
}

interconnect xgmi_mi300x {
  scope = scale_up
  technology = "AMD Infinity Fabric (XGMI)"  # MLCommons v4.1 system JSON: "XGMI"
  # Per GPU per direction, all seven links: 7 x 64 GB/s. AMD's figure, second-hand (Microprocessor
  # Report via wheelersnetwork.com, 2024-01, "AMD Looks to Infinity for AI Interconnects"): "Each
  # MI300X GPU has up to seven Infinity Fabric links, each with 16 lanes ... 32Gbps per lane,
  # yielding 128GB/s of bidirectional bandwidth per link". Vendor claim.
  bandwidth = 448 GB/s
  latency = unknown
  # ROCm mi300.md: "seven high-bandwidth, low-latency AMD Infinity Fabric links ... to form a
  # fully connected 8-GPU system"
  topology = full_mesh
}

server mi300x_x8 {
  accelerator = amd_mi300x
  devices = 8  # MLCommons v4.1 system JSON ("accelerators_per_node": 8); ROCm mi300.md
  scale_up = xgmi_mi300x
  # Azure ND MI300X v5: 8 x 400 Gb/s NDR InfiniBand for 8 GPUs (MicrosoftDocs azure-docs
  # nd-mi300x-v5-series.md); other MI300X servers may differ
  scale_out = ib_ndr_400g
}

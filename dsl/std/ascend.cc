# Huawei Ascend accelerators, links and systems: Ascend 910B (Atlas 800T A2), Ascend 910C
# (Atlas 800 A3, CloudMatrix384 = Atlas 900 A3 SuperPoD), Ascend 950PR / 950DT (an 8-card 950PR
# server, Atlas 950 SuperPoD).
# Sources (details on each line; all collected in /work/shared/catalog-facts.md, sections A and B):
#   vllm-project/vllm-ascend docs: installation.md (/dev/davinci[0-7] on A2, [0-15] on A3),
#     tutorials/models/DeepSeek-V4-Pro.md ("Atlas 800 A3 (128GB × 8)", "Atlas 800 A2 (64GB × 8)");
#   hiascend MindCluster doc clustersched/schedulingug/dl_affinity_0040 (HiAM two-die modules);
#   Ascend/ascend-device-plugin pkg/common/constants.go; Project-HAMi/HAMi charts and examples;
#   arXiv 2506.12708 (CloudMatrix384) via second-hand summaries; seed 002 (chip roadmap article),
#   seed 004 (CloudMatrix384 + DeepSeek blog); press reports of Huawei Connect 2025.
# Figures marked "vendor claim" are Huawei's own (keynotes, roadmap), not measured;
# "second-hand" figures come from press, blogs or summaries, not from a Huawei datasheet.

# ---- Ascend 910B, Atlas 800T A2 ------------------------------------------------------------
# The 910B comes in SKUs with different peaks (catalog-facts G.1). Figures are Huawei's own
# modelling tool's device profiles (vendor software): Ascend/msmodeling
# @84fec853d6708256ca4fecf143d8b656a3a3496e `tensor_cast/device.py`, memory in GiB and bandwidth
# 1.6 x 1024^4 bytes/s (= 1.76 TB/s); bf16 from commit c4143f7, which lowered it from the fp16
# figure to the cube rate (CANN Ascend910B2.ini: 24 cores x 8,192 x 1.8 GHz = 353.9 TFLOPS).
# JiusiServe/light-llm-simulator @574f4cd2 conf/hardware_config.py agrees (third party).
# `ascend_910b` is the 910B2 (msModeling's ATLAS_800_A2_376T_64G, the A2 profile its examples
# and tests run on); the other SKUs are entries of their own. This replaces the earlier
# `unknown` peaks and the 64 GB (decimal) reading of vllm-ascend's "64GB".

accelerator ascend_910b {
  vendor = "Huawei"
  memory = 64 GiB  # msModeling ATLAS_800_A2_376T_64G (vendor software)
  memory_type = "HBM2e"  # second-hand: jishuzhan.net / blog tables (catalog-facts A.1)
  memory_bw = 1.759 TB/s  # msModeling: 1.6 TiB/s (vendor software)
  compute {
    bf16 = 353.9 TFLOPS  # msModeling (vendor software), = 24 cube cores x 8,192 x 1.8 GHz
    fp16 = 376 TFLOPS  # msModeling (vendor software)
    int8 = 752 TOPS  # msModeling (vendor software)
    # no fp8 key: FP8 arrives with the 950 series (Huawei roadmap, vendor claim, second-hand)
  }
  # FlagPerf @1b5a0303 (vendor-submitted, third party): Atlas 800T A2 TDP 350 W, SKU not
  # stated; not taken for one SKU
  power = unknown
  # runtime/CANN visibility variable, used throughout vllm-ascend docs and MindIE docs
  device_env = "ASCEND_RT_VISIBLE_DEVICES"
  # Huawei MindCluster ascend-device-plugin, pkg/common/constants.go (ResourceNamePrefix
  # "huawei.com/" + "Ascend910"; the same name is advertised on 910B and 910C hosts)
  k8s_resource = "huawei.com/Ascend910"
  # HAMi splits by SKU (Project-HAMi/HAMi @4707fb02 device-configmap.yaml): the 910B2's name
  hami_resource = "huawei.com/Ascend910B2"
}

# The 910B3: msModeling ATLAS_800_A2_313T_64G (20 cube cores; vendor software)
accelerator ascend_910b3 extends ascend_910b {
  compute {
    bf16 = 294.9 TFLOPS
    fp16 = 313 TFLOPS
    int8 = 626 TOPS
  }
  hami_resource = "huawei.com/Ascend910B3"  # HAMi @4707fb02
}

# The 910B4-1 (64 GB): msModeling ATLAS_800_A2_280T_64G (20 cores at 1.5 GHz; vendor software)
accelerator ascend_910b4_1 extends ascend_910b {
  compute {
    bf16 = 245.8 TFLOPS
    fp16 = 280 TFLOPS
    int8 = 560 TOPS
  }
  hami_resource = "huawei.com/Ascend910B4-1"  # HAMi @4707fb02
}

# The 910B4 (32 GB, PCIe card): msModeling ATLAS_800_A2_280T_32G_PCIE (vendor software)
accelerator ascend_910b4 extends ascend_910b4_1 {
  memory = 32 GiB
  memory_bw = 0.880 TB/s  # msModeling: 0.8 TiB/s
  hami_resource = "huawei.com/Ascend910B4"  # HAMi @4707fb02
}

interconnect hccs_a2 {
  scope = scale_up
  technology = "HCCS"
  # msModeling A2_INTERCONNECT tier 1 (vendor software): 196 GB/s per NPU per direction in
  # the full mesh of 8 (its bandwidths are unidirectional); LLS agrees (third party). A
  # modelling input, not a measurement; the PCIe-only 32 GB parts get 64 GB/s.
  bandwidth = 196 GB/s
  latency = 0.5 us  # msModeling A2_INTERCONNECT tier 1 (a modelling input)
  topology = full_mesh  # HCCS full mesh inside the 8-NPU A2 node (catalog-facts A.2)
}

interconnect roce_a2 {
  scope = scale_out
  technology = "RoCE"
  # msModeling A2_INTERCONNECT tier 0 (vendor software): 200 Gb/s per NPU (LLS writes 50 GB/s,
  # perhaps both directions)
  bandwidth = 200 Gb/s
  latency = 1.5 us  # msModeling A2_INTERCONNECT tier 0 (a modelling input)
}

server atlas_800t_a2 {
  accelerator = ascend_910b
  # vllm-ascend installation.md: "Atlas A2: /dev/davinci[0-7]"; tutorials "Atlas 800 A2 (64GB × 8)"
  devices = 8
  scale_up = hccs_a2
  scale_out = roce_a2
}

# ---- Ascend 910C, Atlas 800 A3, CloudMatrix384 -----------------------------------------------

accelerator ascend_910c {
  vendor = "Huawei"
  # one package = two runtime devices (dies): vllm-ascend installation.md, Atlas A3 exposes
  # /dev/davinci[0-15] for 8 packages; MindCluster dl_affinity_0040 pairs them by SIO
  dies = 2
  # Per package = two dies of Huawei's own device profile ATLAS_800_A3_752T_128G_DIE
  # (Ascend/msmodeling @84fec853 tensor_cast/device.py, vendor software): per die 64 GiB at
  # 1.6 TiB/s, fp16 376, bf16 353.9 (the cube rate, msModeling c4143f7), int8 752. This
  # replaces the second-hand 128 GB, 3.2 TB/s and bf16 752 (= 2 x the fp16 376 a summary of
  # arXiv 2506.12708 gives per die); the vendor's software wins the conflict. A lower bin
  # (ATLAS_800_A3_560T_128G_DIE: 280 / 245.8 / 560) is used in the 800I A3.
  memory = 128 GiB
  memory_type = "HBM2e"  # second-hand: seed 004
  memory_bw = 3.518 TB/s  # 2 x 1.6 TiB/s (msModeling, vendor software)
  compute {
    bf16 = 707.8 TFLOPS  # 2 x 353.9 (msModeling, vendor software)
    fp16 = 752 TFLOPS  # 2 x 376 (msModeling, vendor software)
    # 2 x 752 (msModeling, vendor software); CloudMatrix-Infer's 4.45 and 1.29 tok/s/TFLOPS
    # (seed 004) imply the same 1,503-1,506 TFLOPS per package
    int8 = 1504 TOPS
    # no fp8 key: no FP8 documented for 910C
  }
  power = unknown  # not found
  device_env = "ASCEND_RT_VISIBLE_DEVICES"  # vllm-ascend docs
  k8s_resource = "huawei.com/Ascend910"  # Ascend/ascend-device-plugin pkg/common/constants.go
  hami_resource = "huawei.com/Ascend910C"  # HAMi examples/ascend/job-910C.yaml
}

interconnect hccs_a3 {
  scope = scale_up
  # hiascend MindCluster dl_affinity_0040: the two dies of a package are joined by SIO into a
  # "HiAM module"; the eight HiAM modules of a server are joined by HCCS. The two tiers (SIO
  # inside a package, HCCS between packages) cannot both be written here; allocation_unit on the
  # server keeps groups on whole modules.
  technology = "HCCS"
  # msModeling A3_INTERCONNECT tier 1 (vendor software): 196 GB/s per die per direction
  # between packages; the SIO between a package's two dies (224 GB/s, 0.2 us, tier 2) is
  # faster, and one tier per server takes the slower
  bandwidth = 196 GB/s
  latency = 0.5 us  # msModeling A3_INTERCONNECT tier 1 (a modelling input)
  # topology not stated by the source for a standalone A3 server; left undeclared
}

interconnect roce_a3 {
  scope = scale_out
  technology = "RoCE"
  # msModeling A3_INTERCONNECT_ROCE and docs/design/a3_roce_device_profile_design.md (vendor
  # software): 196e9 / 8 bytes/s per die ("about 1/8 of HCCS")
  bandwidth = 24.5 GB/s
  latency = 5.5 us  # msModeling A3_INTERCONNECT_ROCE (a modelling input)
}

server atlas_800_a3 {
  accelerator = ascend_910c
  devices = 16  # runtime devices = dies: 8 packages x 2 (vllm-ascend installation.md)
  scale_up = hccs_a3
  scale_out = roce_a3
  # MindCluster dl_affinity_0040: a job takes 1, 2, 4, ..., 16 processors; even counts must
  # occupy whole HiAM (two-die) modules
  allocation_unit = 2
}

interconnect ub_cm384 {
  scope = scale_up
  technology = "UB (Unified Bus)"
  # msModeling A3_INTERCONNECT tier 0 (vendor software): 196 GB/s per die per direction over
  # the two-level UB Clos (the paper's "> 392 GB/s unidirectional per 910C" is per package,
  # second-hand); the second-hand "196 GB/s / NPU" (chinaresearchcollective.substack.com)
  # agrees per die
  bandwidth = 196 GB/s
  latency = 5.5 us  # msModeling A3_INTERCONNECT tier 0 (a modelling input)
  # all-to-all through two tiers of UB switches (L1 on board, L2 in the rack), second-hand:
  # chinaresearchcollective.substack.com, SemiAnalysis via press
  topology = switched
}

interconnect roce_cm384 {
  scope = scale_out
  technology = "RoCE (RDMA plane)"  # seed 004: UB, RDMA and VPC planes
  bandwidth = unknown  # per-NPU RDMA rate not found
  latency = unknown
}

supernode cloudmatrix384 {
  # = Atlas 900 A3 SuperPoD: 384 Ascend 910C packages + 192 Kunpeng CPUs (arXiv 2506.12708
  # abstract); 8 packages per node and 48 nodes (second-hand), so 384 packages = 768 dies
  server = atlas_800_a3
  servers = 48
  fabric = ub_cm384
  scale_out = roce_cm384
  power = 559 kW  # second-hand: seed 004
}

# ---- Ascend 950PR / 950DT, Atlas 950 SuperPoD ------------------------------------------------
# Both are announced packages of one shared 950 die (Huawei Connect 2025, vendor claim). Whether
# the quoted FP8/MXFP4 figures are dense is not stated.

accelerator ascend_950pr {
  vendor = "Huawei"
  # Huawei's own device profiles (Ascend/msmodeling @84fec853 tensor_cast/device.py, vendor
  # software): the Atlas 350 card (npu-smi name Ascend950PR) A5.A350_112G with memory
  # A5.Mem.M112G_1_4T and chip A5.Chip.C425T, the 28-core bin (Ascend950PR_9579.ini: 28 cube
  # cores at 1,650 MHz). These replace the roadmap's 128 GB, 1.6 TB/s and "FP8 1 PFLOPS,
  # MXFP4 2 PFLOPS" (vendor claims, second-hand: m.968545.com, 05bd.com/news/13452.html); an
  # 84 GiB variant (A5.Mem.M84G_1_4T) exists.
  memory = 112 GiB
  memory_type = "HiBL 1.0"  # Huawei in-house HBM; vendor claim, second-hand (same sources)
  memory_bw = 1.539 TB/s  # 1.4 TiB/s (msModeling, vendor software)
  compute {
    bf16 = 378 TFLOPS  # msModeling A5.Chip.C425T (vendor software)
    fp8 = 756 TFLOPS  # msModeling (vendor software)
    mxfp8 = 756 TFLOPS  # msModeling's fp8 rate (vendor software)
    mxfp4 = 1512 TFLOPS  # msModeling's fp4 rate (vendor software)
    int8 = 756 TOPS  # msModeling (vendor software)
  }
  power = unknown  # not published
  # assumed: the CANN runtime variable of earlier Ascend parts; vllm-ascend runs on 950 products
  # (SOC_VERSION ascend950*) but no doc states the variable for 950 separately
  device_env = "ASCEND_RT_VISIBLE_DEVICES"
  # k8s resource name for 950 not found
}

accelerator ascend_950dt {
  vendor = "Huawei"
  memory = 144 GB  # vendor claim, second-hand: medcom.id citing TechPowerUp; lucaberton.com
  # vendor claim, second-hand: lucaberton.com "Huawei Atlas 950 AI SuperPoD" ("144 GB HiZQ 2.0
  # HBM with 4 TB/s")
  memory_type = "HiZQ 2.0"
  memory_bw = 4 TB/s  # vendor claim, second-hand: medcom.id (TechPowerUp); lucaberton.com
  compute {
    bf16 = unknown  # not published
    # "1 PFLOPS FP8/MXFP8/HiF8": vendor claim, second-hand: lucaberton.com, seed 002
    fp8 = 1000 TFLOPS
    mxfp8 = 1000 TFLOPS  # vendor claim, second-hand: lucaberton.com
    mxfp4 = 2000 TFLOPS  # "2 PFLOPS in MXFP4": vendor claim, second-hand: lucaberton.com
    int8 = unknown  # not published
  }
  power = unknown  # not published
  # vllm-ascend ships a -950dt image (catalog-facts A.2); the variable is assumed to be the CANN
  # one, not separately documented
  device_env = "ASCEND_RT_VISIBLE_DEVICES"
  # k8s resource name for 950 not found
}

interconnect ub_950 {
  scope = scale_up
  technology = "UB (Lingqu / UnifiedBus) in groups of 4, PCIe between them"
  # msModeling A5.Interconnect.PCIE2_UB4 (vendor software): 159 GB/s per card inside a group
  # of 4 (3 UB links x 53 GB/s, a full mesh), 32 GB/s PCIe between the two groups (24 GB/s
  # across CPUs). One tier per server: the path a group of more than 4 crosses is taken
  bandwidth = 32 GB/s
  latency = 3 us  # msModeling PCIe tier (a modelling input); UB inside a group: 1.5 us
}

server ascend_950pr_x8 {
  # the single 8-card 950PR server on which vllm-ascend and cann-recipes-infer measured
  # DeepSeek-V4-Flash (rows in data/calibration.json); its product name was not found
  accelerator = ascend_950pr
  devices = 8
  scale_up = ub_950
}

interconnect ub_atlas950 {
  scope = scale_up
  technology = "UB 2.0 (UnifiedBus, all-optical)"
  # chip-level "2 TB/s" (vendor claim, second-hand: lucaberton.com, seed 002); 16.3 PB/s in total
  # for 8,192 chips (vendor claim, second-hand: 05bd.com), i.e. about 2 TB/s per chip, derived.
  # Whether that is per direction is not stated, so it is not used.
  bandwidth = unknown
  # vendor claim, second-hand: notebookcheck.it and pawanpatra.com report "2.1 µs" latency for
  # the UnifiedBus interconnect; whether per hop or end to end is not stated
  latency = 2.1 us
  # topology not published in the sources read
}

interconnect uboe_atlas950 {
  scope = scale_out
  # vendor claim, second-hand: notebookcheck.it (Atlas 950 SuperCluster article)
  technology = "UBoE or RoCE"
  bandwidth = unknown  # not published
  latency = unknown
}

server atlas_950_node {
  accelerator = ascend_950dt
  # ASSUMPTION (see atlas_950_superpod): the host that runs the runtime exposes 8 devices, as
  # vllm-ascend installation.md documents for its 950 image (/dev/davinci[0-7], catalog-facts
  # A.2). Huawei has not published the node size of the Atlas 950 SuperPoD.
  devices = 8
  scale_up = ub_atlas950
  scale_out = uboe_atlas950
}

supernode atlas_950_superpod {
  # 8,192 Ascend 950DT in one UB domain (vendor claim: seed 002, Huawei Connect 2025, second-hand
  # via 05bd.com, lucaberton.com); 160 cabinets = 128 compute + 32 interconnect (second-hand),
  # i.e. 64 chips per compute cabinet (derived). Huawei gives no per-server count.
  # Decomposition chosen, an ASSUMPTION: 8-device nodes (atlas_950_node, the device count
  # vllm-ascend documents for a 950 host) x 1,024 = 8,192 chips (derived). A 64-chip cabinet is
  # not a runtime host, so it is not used as the server.
  # Also vendor claim: 8 EFLOPS FP8, 16 EFLOPS FP4, 1,152 TB memory (= 8,192 x 144 GB / 1,024).
  server = atlas_950_node
  servers = 1024
  fabric = ub_atlas950
  scale_out = uboe_atlas950
  power = unknown  # not published
}

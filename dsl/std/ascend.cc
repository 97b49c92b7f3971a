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

accelerator ascend_910b {
  vendor = "Huawei"
  # per device, as written by vllm-ascend DeepSeek-V4-Pro tutorial: "4 Atlas 800 A2 (64GB × 8)
  # nodes"; the source writes "GB" (decimal assumed; the conservative reading)
  memory = 64 GB
  memory_type = "HBM2e"  # second-hand: jishuzhan.net / blog tables (catalog-facts A.1)
  # Published figures disagree: 1.6, 1.2 and 0.768 TB/s are all seen (second-hand) and the SKU
  # (910B1-B4) is rarely stated; no Huawei datasheet found. Not guessed.
  memory_bw = unknown
  compute {
    # Inconsistent across SKUs 910B1-B4 (second-hand): 256, 313, 320 and 376 TFLOPS FP16 are all
    # published; the Atlas 800T A2 datasheet per SKU was not available. Not guessed.
    bf16 = unknown
    fp16 = unknown
    int8 = unknown  # second-hand values range 512-640 TOPS by SKU; not guessed
    # no fp8 key: FP8 arrives with the 950 series (Huawei roadmap, vendor claim, second-hand)
  }
  power = unknown  # second-hand values 350-400 W by SKU; not guessed
  # runtime/CANN visibility variable, used throughout vllm-ascend docs and MindIE docs
  device_env = "ASCEND_RT_VISIBLE_DEVICES"
  # Huawei MindCluster ascend-device-plugin, pkg/common/constants.go (ResourceNamePrefix
  # "huawei.com/" + "Ascend910"; the same name is advertised on 910B and 910C hosts)
  k8s_resource = "huawei.com/Ascend910"
  # HAMi splits by SKU: huawei.com/Ascend910B2, -B3, -B4 (charts/hami/values.yaml); the SKU of
  # this generic entry is not known, so no HAMi name is set here
}

interconnect hccs_a2 {
  scope = scale_up
  technology = "HCCS"
  # only a community yaml (hudingyi688/aiconfigurator-npu, "not official") says 56 GB/s per
  # die; no Huawei figure found
  bandwidth = unknown
  latency = unknown  # not found
  topology = full_mesh  # HCCS full mesh inside the 8-NPU A2 node (catalog-facts A.2)
}

interconnect roce_a2 {
  scope = scale_out
  technology = "RoCE"
  bandwidth = unknown  # per-device NIC rate of Atlas 800T A2 not found
  latency = unknown
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
  # per package: vllm-ascend DeepSeek-V4-Pro tutorial "Atlas 800 A3 (128GB × 8)" (= 64 GB per
  # die); "GB" as written
  memory = 128 GB
  memory_type = "HBM2e"  # second-hand: seed 004
  memory_bw = 3.2 TB/s  # per package, second-hand: seed 004 (1.6 TB/s per die, derived)
  compute {
    # per package, second-hand: reportify.ai summary of arXiv 2506.12708 (376 per die);
    # corroborated by seed 002 ("just under 800" = 300 PFLOPS / 384). Caveat: seed 004 also
    # prints 320 TFLOPS, which conflicts; 752 is the value catalog-facts A.1 supports.
    bf16 = 752 TFLOPS
    fp16 = 752 TFLOPS  # same source and caveat (one BF16/FP16 figure is given)
    # derived, per package: seed 004 reports 6,688 tok/s at 4.45 tok/s/TFLOPS and 1,943 tok/s at
    # 1.29 tok/s/TFLOPS for INT8 serving, i.e. a denominator of 1,503-1,506 TFLOPS per package
    # (= 2 x 752). Not a published datasheet value.
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
  bandwidth = unknown  # per-device figure not found
  latency = unknown
  # topology not stated by the source for a standalone A3 server; left undeclared
}

interconnect roce_a3 {
  scope = scale_out
  technology = "RoCE"
  bandwidth = unknown  # per-device RDMA rate not found
  latency = unknown
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
  # "196 GB/s / NPU" appears in a second-hand analysis (chinaresearchcollective.substack.com)
  # with direction and die/package unstated; catalog-facts A.2 says treat as unknown
  bandwidth = unknown
  latency = unknown  # not found
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
  # vendor claim, second-hand: m.968545.com "昇騰950PR芯片" wiki page, matching Huawei Connect
  # 2025 keynote as reported by 05bd.com/news/13452.html
  memory = 128 GB
  memory_type = "HiBL 1.0"  # Huawei in-house HBM; vendor claim, second-hand (same sources)
  memory_bw = 1.6 TB/s  # vendor claim, second-hand (same sources)
  compute {
    bf16 = unknown  # not published
    fp8 = 1000 TFLOPS  # "FP8/MXFP8/HiF8 1 PFLOPS": vendor claim, second-hand (same sources)
    mxfp8 = 1000 TFLOPS  # vendor claim, second-hand (same sources)
    mxfp4 = 2000 TFLOPS  # "MXFP4 2 PFLOPS": vendor claim, second-hand (same sources)
    int8 = unknown  # not published
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
  technology = "UB (Lingqu / UnifiedBus)"
  # chip-level "up to 2 TB/s" interconnect (vendor claim, second-hand: seed 002, lucaberton.com),
  # direction not stated; per-device figure inside a server not published
  bandwidth = unknown
  latency = unknown
  # topology of a single 950 server not published
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

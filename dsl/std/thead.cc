# T-Head (Alibaba) PPU accelerator and Alibaba Cloud's Panjiu (磐久) 128-chip AI rack.
# Sources: hxjkbz.com/n/959285 (CCTV comparison table as reported, second-hand); seed 002
# (96 GB HBM, PCIe 5.0, "rival to H20"; Panjiu 128 AI chips per rack, vendor claim);
# hao.cnyes.com/post/197412 (a visitor's write-up of the Panjiu supernode at the 2025 Apsara
# Conference, second-hand); code-index multi-vendor tables for the visibility variable.
# Collected in /work/shared/catalog-facts.md, sections A and B.

accelerator thead_ppu {
  vendor = "T-Head"
  # second-hand: hxjkbz.com/n/959285 ("HBM2e, 96GB"); seed 002 (96 GB HBM); a code-index
  # acceptance table lists "T-Head PPU-ZW810E 96 GB"
  memory = 96 GB
  memory_type = "HBM2e"  # second-hand: hxjkbz.com/n/959285
  memory_bw = unknown  # not found
  compute {
    bf16 = unknown  # not found
    fp16 = unknown  # not found
    int8 = unknown  # not found
  }
  power = 400 W  # second-hand: hxjkbz.com/n/959285 (CCTV table)
  # second-hand: FlagOS deployment-skill vendor table (平头哥 / CUDA_VISIBLE_DEVICES) and a
  # multi-vendor acceptance table (PPU-ZW810E through its CUDA-compatible PyTorch bridge), code
  # index; not from a T-Head manual
  device_env = "CUDA_VISIBLE_DEVICES"
  # Kubernetes resource names not found
  # Inter-chip bandwidth "700 GB/s" (片间带宽, second-hand: hxjkbz.com) — direction not stated,
  # so it is not written as a per-direction figure anywhere in this file.
}

interconnect panjiu_link {
  scope = scale_up
  # link technology not named in the sources read
  # not published for the rack; the chip's "700 GB/s" inter-chip figure (second-hand) has no
  # stated direction
  bandwidth = unknown
  latency = unknown  # not found
  # second-hand (hao.cnyes.com/post/197412): compute nodes in front, switch nodes behind,
  # plugged orthogonally without a backplane — a switched fabric
  topology = switched
}

server panjiu_node {
  # ASSUMPTION on the chip: seed 002 does not name the rack's chip; hao.cnyes.com/post/197412
  # (second-hand) says each node carries "4 of Alibaba's self-developed GPUs", i.e. T-Head's PPU
  # line, model not stated
  accelerator = thead_ppu
  devices = 4  # second-hand: hao.cnyes.com/post/197412 ("每個計算節點上有4顆阿里的自研GPU")
  scale_up = panjiu_link
  # scale-out network not found; a cluster states its own `scale_out`
}

# Two readings of the rack, which disagree on the scale-up domain:
# - panjiu128: the vendor claim (seed 002) of 128 AI chips in one supernode rack, as
#   catalog-facts B records it: 32 nodes x 4 chips (node size second-hand, count derived).
# - panjiu64: hao.cnyes.com/post/197412 (second-hand) says the rack is two 64-GPU supernodes,
#   16 nodes above and 16 below, and "64 GPUs form one scale-up group". If that is right, a
#   128-chip rack is `cluster { supernode = panjiu64  supernodes = 2 }` and tensor/expert groups
#   must stay within 64 chips; prefer panjiu64 for placement until Alibaba documents otherwise.

supernode panjiu128 {
  server = panjiu_node
  servers = 32  # 128 chips per rack (vendor claim, seed 002) / 4 per node (second-hand), derived
  fabric = panjiu_link
  power = unknown  # not found (rack is fully liquid-cooled, vendor claim, seed 002)
}

supernode panjiu64 {
  server = panjiu_node
  servers = 16  # second-hand: hao.cnyes.com/post/197412 (16 nodes x 4 GPUs per scale-up group)
  fabric = panjiu_link
  power = unknown  # not found
}

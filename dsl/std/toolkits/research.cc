# Serving stacks that published measurements but ship no public launcher to emit for.
# They exist so calibration rows (shared/data/calibration.json) resolve; launcher = false.
# None states a default batch (`max_batch`): there is no engine code to read one from, and
# their rows state the batches they ran.
# Sources per entry below.
import "std/ascend"
import "std/nvidia"

# Huawei / SiliconFlow CloudMatrix-Infer: "Serving Large Language Models on Huawei
# CloudMatrix384" (Zuo et al., arXiv 2506.12708) and seed 004. Peer-to-peer
# prefill / decode / caching disaggregation, EP320 decode with DP attention (one expert per
# 910C die), SP-TP-SP hybrid for MLA in prefill, INT8 quantization of DeepSeek-R1.
toolkit cloudmatrix_infer {
  engine = "CloudMatrix-Infer"
  accelerators = [ascend_910c]  # CloudMatrix384: 384 Ascend 910C NPUs
  parallelism = [tp, dp, ep, attention_dp, pd]
  weights = [int8]  # paper: INT8 (W8A8) DeepSeek-R1
  # as recorded by the calibration.json cm384-* rows [2H]; the paper summaries read here
  # state INT8 weights and activations, not the KV precision
  kv_cache = [int8]
  launcher = false
}

# Huawei Cloud xDeepServe: "xDeepServe: Model-as-a-Service on Huawei CloudMatrix384"
# (arXiv 2508.02520, abstract). Disaggregated prefill-decode and MoE-attention ("Transformerless")
# on CloudMatrix384, decentralized DP groups (FlowServe), MoE expert parallelism over XCCL.
# Weight and KV precisions are not in the abstract: left empty.
toolkit xdeepserve {
  engine = "xDeepServe"
  accelerators = [ascend_910c]  # "384 Ascend 910C chips connected by a high-bandwidth UB fabric"
  parallelism = [dp, ep, attention_dp, pd]
  launcher = false
}

# Ascend cann-recipes-infer (hicann/cann-recipes-infer @fbc225d2, README.md;
# docs/common/inference_config_guide.md; docs/design/executor_design.md): model scripts on
# CANN, offline and online (PD-disaggregated) inference.
toolkit cann_recipes_infer {
  engine = "cann-recipes-infer"
  # README: "支持 Atlas A3 / A2 / 950PR·DT" (910C, 910B, 950PR, 950DT)
  accelerators = [ascend_910b, ascend_910c, ascend_950pr, ascend_950dt]
  # inference_config_guide.md: attn_tp_size, attn_dp_size, moe_tp_size, moe_ep_size;
  # executor_design.md: disaggregation_mode PREFILL / DECODE (also CP, not in the enum)
  parallelism = [tp, dp, ep, attention_dp, pd]
  # README: BF16, W8A8 (int8), W4A16 / MXFP w4a8 (int4 / mxfp4 experts), mxfp8 a8w8,
  # native MXFP4 experts; also HiF8 (no dtype in the IR for it)
  weights = [bf16, int8, int4, mxfp8, mxfp4]
  kv_cache = [bf16, int8]  # README: W8A8C8 (INT8 KV) for DeepSeek-V3.2-Exp, Qwen3-next
  # No default batch: executor/core/config/inference_config.py @eb3d5067 takes a static
  # batch_size from the run's YAML (1 when unset), so a run's batch is what it states.
  launcher = false
}

# DeepSeek's production V3/R1 serving (DeepSeek "Day 6 One More Thing: DeepSeek-V3/R1
# Inference System Overview", deepseek-ai/open-infra-index 202502OpenSourceWeek; DeepSeek-V3
# Technical Report arXiv 2412.19437 sec. 3.4). Prefill "Routed Expert EP32, MLA/Shared Expert
# DP32", decode "Routed Expert EP144, MLA/Shared Expert DP144", prefill-decode disaggregation.
toolkit deepseek_internal {
  engine = "DeepSeek inference system"
  accelerators = [nvidia_h800]  # Day 6: "H800 GPUs"
  parallelism = [dp, ep, attention_dp, pd]
  # Day 6: "matrix multiplications and dispatch transmissions adopt the FP8 format"
  weights = [fp8]
  # [D] Day 6: "core MLA computations and combine transmissions use the BF16 format"; the
  # KV-cache storage precision itself is not stated
  kv_cache = [bf16]
  launcher = false
}

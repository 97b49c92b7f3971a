# vLLM Ascend: the vLLM hardware plugin for Huawei Ascend NPUs (launch is `vllm serve`).
# Sources: vllm-project/vllm-ascend @182b75ea docs/source/installation.md,
# user_guide/support_matrix/supported_features.md, user_guide/feature_guide/quantization.md,
# tutorials/models/DeepSeek-V3.1.md, DeepSeek-V4-Pro.md, DeepSeek-V4-Flash.md, GLM5.2.md.
import "std/ascend"

toolkit vllm_ascend {
  engine = "vLLM Ascend"
  # installation.md: "Atlas A2/A3/950DT inference products" with SOC_VERSION
  # ascend910b1 (Atlas A2 = 910B), ascend910_9391 (Atlas A3 = 910C), ascend950dt_9582
  # (Ascend 950DT). Atlas 300I Duo (310P) is also supported but is not in the catalog.
  accelerators = [ascend_910b, ascend_910c, ascend_950dt]
  # catalog-facts B says vllm-ascend measured DeepSeek-V4-Flash on an 8-card 950PR server;
  # no 950PR mention in the docs at @182b75ea (only "Ascend 950 Products" in Gemma4.md).
  unverified = [ascend_950pr]
  # supported_features.md: Tensor, Pipeline, Expert, Data Parallel and Prefill Decode
  # Disaggregation "Functional"; attention-DP as upstream vLLM (DP attention with EP experts,
  # the tutorials' --data-parallel-size with --enable-expert-parallel).
  parallelism = [tp, pp, dp, ep, attention_dp, pd]
  # bf16 checkpoints; quantization.md: ModelSlim W8A8 (static/dynamic), W4A8 (e.g.
  # DeepSeek-V4-Pro-w4a8-mtp), run with --quantization ascend; DeepSeek-V3.1.md:
  # w8a8c8-mxfp8 and w4a4c8-mxfp4 weights (Ascend 950DT).
  # A2 / A3 (910B, 910C): bf16 and the INT ModelSlim schemes. vllm_ascend/device/
  # device_op.py: the base (A2/A3) adaptor raises "MXFP MoE quantization is only supported on
  # Ascend A5"; fp8_config.py's AscendFp8Config raises NotImplementedError for block-FP8
  # checkpoints on every chip (only deepseek_v4_fp8 is implemented).
  weights = [bf16, int8, int4]
  # model dtype, or INT8 "C8" KV (GLM-5.2-w4a8c8, DeepSeek-V3.1-w8a8c8 tutorials)
  kv_cache = [bf16, int8]
  # Ascend 950 (A5): also MXFP8 / MXFP4 (W8A8_MXFP8, W4A4_MXFP4, W4A16_MXFP4), W8A8FP8_DYNAMIC
  # (fp8 per-channel, release notes v0.23.0: "added W8A8FP8 and W4A16 MXFP quantization
  # paths for Ascend 950") and DeepSeek-V4's own fp8 + fp4 checkpoint (fp8_config.py
  # deepseek_v4_fp8; supported-models: DeepSeek V4 "Native mixed MXFP8/MXFP4 weights").
  chip_weights {
    ascend_950dt = [bf16, int8, int4, fp8, mxfp8, mxfp4]
    ascend_950pr = [bf16, int8, int4, fp8, mxfp8, mxfp4]
  }
  # modelslim_config.py: the quantized KV cache is float8_e4m3fn on A5, int8 elsewhere
  chip_kv_cache {
    ascend_950dt = [bf16, fp8]
    ascend_950pr = [bf16, fp8]
  }
  port = 8000  # the upstream `vllm serve` default; tutorials pass --port explicitly
  # upstream vLLM's --gpu-memory-utilization default; the DeepSeek-V4-Pro tutorial passes 0.9
  memory_fraction = 0.9
  # vLLM's batch defaults apply: vllm_ascend/platform.py get_device_total_memory raises
  # NotImplementedError ("DO NOT IMPLEMENT", HEAD 182b75ea), so vLLM's
  # EngineArgs.get_batch_defaults (vllm/engine/arg_utils.py, 0.34.0 wheel) catches it and
  # takes its small tier: `vllm serve` runs --max-num-batched-tokens 2048 and --max-num-seqs
  # 256 unless told (the DeepSeek-V4-Pro tutorial passes 4096; ccc's launch passes neither)
  prefill_chunk = 2048
  max_batch = 256
  # vLLM's V1 scheduler (the AscendScheduler is opt-in, ascend_scheduler_config): its cache
  # is allocated as tokens are computed, the newest request preempted by recompute (see vllm)
  kv_admission = computed
  launcher = true
}

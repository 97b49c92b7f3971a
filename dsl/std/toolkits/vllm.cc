# vLLM (upstream, CUDA and ROCm builds). Other hardware runs vLLM through out-of-tree plugins;
# the Ascend one is its own entry (vllm_ascend.cc).
# Sources: vllm-project/vllm docs getting_started/installation/gpu.md (docs.vllm.ai, v0.14 and
# later), serving/data_parallel_deployment.md, features/quantization/ (supported-hardware
# table, modelopt.md, llm_compressor/fp8.md); launch flags as in shared catalog-facts D.2.
import "std/nvidia"
import "std/amd"
import "std/cambricon"
import "std/thead"
import "std/sugon"

toolkit vllm {
  engine = "vLLM"
  # installation/gpu.md: "GPU: compute capability 7.5 or higher (e.g., T4, RTX20xx, A100,
  # L4, H100, B200, ...)": A100 is sm80; H100, H200, H800, H20 are sm90 (Hopper); B200 and
  # GB200 are sm100. Same page, ROCm: "MI300 (gfx942)".
  accelerators = [nvidia_a100_80g, nvidia_h100_sxm, nvidia_h200_sxm, nvidia_h800, nvidia_h20, nvidia_b200, nvidia_gb200, amd_mi300x]
  # Claimed but not in vLLM's own documents: Cambricon ships its own vLLM fork for MLU
  # (vllm-mlu, not read here); T-Head PPU and the scaleX40's unnamed GPU are said to be
  # CUDA-compatible (second-hand, seed 002 / seed 003), which no vLLM document confirms.
  unverified = [cambricon_mlu590, thead_ppu, sugon_scalex40_gpu]
  # tp --tensor-parallel-size, pp --pipeline-parallel-size, dp --data-parallel-size,
  # ep --enable-expert-parallel; attention_dp: data_parallel_deployment.md, "for MoE models
  # ... data parallel for the attention layers and expert or tensor parallel (EP or TP) for
  # the expert layers"; pd: --kv-transfer-config with a KV connector (disaggregated prefill).
  parallelism = [tp, pp, dp, ep, attention_dp, pd]
  # checkpoint dtype (auto: bf16/fp16); features/quantization: FP8 W8A8, INT8 W8A8,
  # INT4 W4A16 (AWQ/GPTQ); modelopt.md: NVFP4 ("modelopt_fp4") and MXFP8 ("modelopt_mxfp8");
  # MXFP4 (quantization="mxfp4", gpt-oss format; vllm-project/vllm issue 35528 lists it).
  weights = [bf16, fp16, fp8, int8, int4, nvfp4, mxfp8, mxfp4]
  # --kv-cache-dtype auto (model dtype) or fp8 (fp8_e4m3 / fp8_e5m2): Quantized KV Cache page
  kv_cache = [bf16, fp16, fp8]
  port = 8000  # `vllm serve` default; the HF ERNIE-4.5 model card's vLLM snippet queries :8000
  # engine args: --gpu-memory-utilization defaults to 0.9 of each GPU's memory
  memory_fraction = 0.9
  # engine args: --max-num-batched-tokens, 8192 by default for `vllm serve` (V1 engine)
  prefill_chunk = 8192
  # vllm/engine/arg_utils.py EngineArgs.get_batch_defaults (vllm 0.33.0 wheel): `vllm serve`
  # takes --max-num-seqs 1024 on devices of >= 70 GiB other than A100 (H100, H200, MI300X,
  # B200), 256 on smaller ones and on A100; the larger tier is taken here
  max_batch = 1024
  # vllm/v1/core/sched/scheduler.py (0.34.0 wheel) schedule(): "First, schedule the RUNNING
  # requests" (l. 809), then "the WAITING requests" (l. 1065) in what is left of one token
  # budget (max_num_batched_tokens, l. 735): prompt chunks ride with the decodes
  schedule = mixed
  # the same file: a request's blocks are allocated for the tokens a step computes
  # (allocate_slots, l. 930); when they run out the newest running request is preempted
  # (`self.running.pop()`, l. 986) by recompute (_preempt_request: num_computed_tokens = 0,
  # prepended to the waiting queue, l. 1853-1896)
  kv_admission = computed
  launcher = true
}

# TensorRT-LLM (NVIDIA), served with `trtllm-serve`.
# Sources: nvidia.github.io/TensorRT-LLM supported-hardware.html, reference/support-matrix.html
# (precision), commands/trtllm-serve.html; attention-DP and disaggregated serving from the
# TensorRT-LLM docs and examples (extra_llm_api_options `enable_attention_dp: true`,
# `trtllm-serve disaggregated`); NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md.
import "std/nvidia"

toolkit trtllm {
  engine = "TensorRT-LLM"
  # supported-hardware.html: "NVIDIA Blackwell: B200, GB200, B300, GB300 ...; NVIDIA Hopper:
  # H100, H200, GH200; ... NVIDIA Ampere: A100"
  accelerators = [nvidia_a100_80g, nvidia_h100_sxm, nvidia_h200_sxm, nvidia_b200, nvidia_gb200]
  # Hopper parts the supported-hardware page does not name
  unverified = [nvidia_h800, nvidia_h20]
  # trtllm-serve --tp_size, --pp_size, --ep_size; enable_attention_dp; disaggregated serving
  parallelism = [tp, pp, ep, attention_dp, pd]
  # support-matrix.html: Hopper FP32, FP16, BF16, FP8, INT8, INT4; NVFP4 on Blackwell
  # (perf-overview.md measures NVFP4 Llama and Qwen3 on B200/GB200)
  weights = [bf16, fp16, fp8, int8, int4, nvfp4]
  # kv_cache_config.dtype fp8 in the DeepSeek/Kimi examples; INT8 KV cache in TensorRT-backend
  # engine builds (user build scripts in the code index [2H]); otherwise the model dtype
  kv_cache = [bf16, fp16, fp8, int8]
  port = 8000  # trtllm-serve: clients use http://localhost:8000/v1 (docs' OpenAI examples)
  # LLM API BaseLlmArgs / BuildConfig: max_batch_size 2048, max_num_tokens 8192
  max_batch = 2048
  prefill_chunk = 8192
  # KvCacheConfig.free_gpu_memory_fraction 0.9 (also trtllm-serve's
  # --kv_cache_free_gpu_memory_fraction default)
  memory_fraction = 0.9
  launcher = true
}

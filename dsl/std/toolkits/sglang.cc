# SGLang (sgl-project/sglang).
# Sources: docs/advanced_features/server_arguments.md (flags, port, dtypes);
# docs/basic_usage/deepseek.md (hardware table); docs/platforms/ascend_npu.md,
# amd_gpu.md, cambricon_mlu.md, metax_gpu.md, mthreads_gpu.md; LMSYS blogs on large-scale
# EP (H100, 2025-05-05), Kimi K2 (H200, 2025-07-17) and GB200 NVL72 (2025-06-16, 2025-09-25).
import "std/nvidia"
import "std/amd"
import "std/ascend"
import "std/cambricon"
import "std/metax"
import "std/mthreads"

toolkit sglang {
  engine = "SGLang"
  # deepseek.md hardware table: "8 x H200", "8 x B200", "8 x MI300X", "2 x 8 x H100/800/20",
  # "4 x 8 x A100/A800", "4 x Atlas 800I A3" (910C); ascend_npu.md: Atlas 800I A3 and
  # Atlas 800I A2 (910B); GB200 NVL72: the LMSYS GB200 blogs.
  accelerators = [nvidia_a100_80g, nvidia_h100_sxm, nvidia_h200_sxm, nvidia_h800, nvidia_h20, nvidia_b200, nvidia_gb200, amd_mi300x, ascend_910b, ascend_910c]
  # platform pages exist for Cambricon MLU, MetaX (MACA) and Moore Threads (MUSA) GPUs, but
  # they name no chip model, so these catalog chips are not documented as such.
  unverified = [cambricon_mlu590, metax_c500, mthreads_s5000]
  # server_arguments.md: --tp-size, --pp-size, --dp-size, --ep-size, --enable-dp-attention;
  # --disaggregation-mode {prefill,decode} (ascend_npu.md example and sglang tests).
  parallelism = [tp, pp, dp, ep, attention_dp, pd]
  # --quantization: fp8, w8a8_int8, w8a8_fp8, awq/gptq (int4), w4afp8, modelopt_fp4
  # (nvfp4), petit_nvfp4, mxfp4, mxfp8, modelslim (Ascend W8A8); else the checkpoint dtype.
  weights = [bf16, fp16, fp8, int8, int4, nvfp4, mxfp4, mxfp8]
  # --kv-cache-dtype auto, fp8_e5m2, fp8_e4m3, bf16/bfloat16, fp4_e2m1
  kv_cache = [bf16, fp8, fp4]
  port = 30000  # server_arguments.md: --port default 30000 (--host default 127.0.0.1)
  # mem_cache/kv_cache_configurator.py resolve_max_num_reqs (sglang 0.5.23 wheel): with
  # --max-running-requests unset, each DP worker runs min(clamp(KV tokens / context * 512,
  # 2048, 4096), KV tokens / 2) requests; the floor is taken (speculative decoding sets 48)
  max_batch = 2048
  # arg_groups/memory_hook.py: --chunked-prefill-size 8192 on GPUs of 60-160 GB (16384 above)
  prefill_chunk = 8192
  # managers/scheduler.py get_next_batch_to_run (sglang 0.5.23 wheel, l. 3992): "Run prefill
  # first if possible": a prompt batch runs alone and decoding waits for it;
  # arg_groups/fields/schedule.py: --enable-mixed-chunk defaults to False
  schedule = prefill_first
  # schedule_policy.py l. 785-795 and 1636: admission reserves each request's remaining
  # output (all of it under bench_serving's default ignore_eos), so nothing is preempted
  kv_admission = reserved
  launcher = true
}

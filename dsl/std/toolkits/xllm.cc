# xLLM (jd-opensource/xllm), JD's inference engine for domestic accelerators.
# Sources: jd-opensource/xllm @87e8d6ed README.md (Hardware Support table),
# docs/en/getting_started/quick_start.md, launch_xllm.md, docs/en/cli_reference.md,
# docs/en/supported_models.md, docker/Dockerfile.cuda, xllm/core/framework/config/
# service_config.cpp, xllm/core/framework/quant_args.h and hf_model_loader.cpp.
import "std/ascend"
import "std/cambricon"
import "std/iluvatar"
import "std/mthreads"
import "std/hygon"
import "std/metax"
import "std/nvidia"

toolkit xllm {
  engine = "xLLM"
  # README Hardware Support: NPU "A2, A3" (910B, 910C), ILU "BI150", MUSA "S5000",
  # DCU "BW1000" (a Hygon DCU), MACA "MXC500" (MetaX C500). quick_start.md has an NVIDIA GPU
  # section; Dockerfile.cuda builds TORCH_CUDA_ARCH_LIST "8.0 8.9 9.0a 10.0a 12.0a"
  # (A100; H100/H200/H800/H20; B200/GB200).
  accelerators = [ascend_910b, ascend_910c, iluvatar_bi150, mthreads_s5000, hygon_dcu, metax_c500, nvidia_a100_80g, nvidia_h100_sxm, nvidia_h200_sxm, nvidia_h800, nvidia_h20, nvidia_b200, nvidia_gb200]
  # README lists "MLU" with no chip model
  unverified = [cambricon_mlu590]
  # cli_reference.md: tensor parallel over the launched devices (nnodes, one per device),
  # dp_size "the dp scale size for the Attention part" (attention-DP; whole-model replicas
  # are separate instances), ep_size / expert_parallel_degree, enable_disagg_pd with
  # instance_role PREFILL/DECODE. No pipeline-parallel flag documented.
  parallelism = [tp, attention_dp, ep, pd]
  # the checkpoint dtype; quant_args.h / hf_model_loader.cpp: fp8, smoothquant and
  # W8A8_DYNAMIC int8, mixed W4A8 (int4 routed experts) (code, not docs)
  weights = [bf16, fp8, int8, int4]
  # cli_reference.md kv_cache_dtype: "auto" (model dtype) or "int8" ("MLU backend only")
  kv_cache = [bf16, int8]
  port = 8010  # service_config.cpp: DEFINE_int32(port, 8010, "Port for brpc server.")
  # xllm/core/framework/config/scheduler_config.cpp @d06d0fdb: max_seqs_per_batch 1024 and
  # max_tokens_per_batch 10240 (enable_chunked_prefill true; a prefill chunk of -1 takes the
  # batch's tokens). The cap is the scheduler's, over the instance: with attention DP a rank
  # holds fewer, which this per-rank default overstates.
  max_batch = 1024
  prefill_chunk = 10240
  # scheduler_config.cpp @d06d0fdb l. 33: enable_chunked_prefill defaults to true (prompt
  # chunks share a step with the running decodes)
  schedule = mixed
  launcher = true
}

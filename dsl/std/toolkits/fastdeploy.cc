# FastDeploy 2.x (PaddlePaddle/FastDeploy), the ERNIE serving engine.
# Sources: docs/parameters.md; docs/get_started/installation/README.md, nvidia_gpu.md,
# kunlunxin_xpu.md, iluvatar_gpu.md, hygon_dcu.md, metax_gpu.md;
# docs/usage/kunlunxin_xpu_deployment.md; docs/quantization/README.md; seed 000 (P800).
import "std/nvidia"
import "std/kunlunxin"
import "std/iluvatar"
import "std/hygon"
import "std/metax"

toolkit fastdeploy {
  engine = "FastDeploy"
  # nvidia_gpu.md: prebuilt for "SM80/90 GPU (e.g. H800/A800)", "(e.g A30/A100/H100/)" ->
  # A100 (sm80), H100/H200/H800/H20 (sm90); no Blackwell build documented.
  # kunlunxin_xpu_deployment.md: P800; iluvatar_gpu.md: "16xBI150";
  # hygon_dcu.md: "DCU Model: K100AI" (the catalog's hygon_dcu).
  accelerators = [nvidia_a100_80g, nvidia_h100_sxm, nvidia_h200_sxm, nvidia_h800, nvidia_h20, kunlunxin_p800, iluvatar_bi150, hygon_dcu]
  # metax_gpu.md names the "MetaX C550", not the C500 the catalog defines.
  unverified = [metax_c500]
  # parameters.md: --tensor-parallel-size, --data-parallel-size, --enable-expert-parallel,
  # --splitwise-role {mixed,prefill,decode}; pipeline parallelism not documented there.
  # attention_dp: fastdeploy/config.py ParallelConfig, with --enable-expert-parallel
  # "expert_parallel_size = data_parallel_size * tensor_parallel_size": the DP ranks of one
  # instance share its experts (args_utils.py: data_parallel_size divides the --ips nodes).
  parallelism = [tp, dp, ep, attention_dp, pd]
  # quantization/README.md: BF16 checkpoints; WINT8 / WINT4 (online, GPU+XPU), Block-wise
  # FP8 (GPU), WINT2 (offline, GPU), MixQuant INT4/INT8 weights.
  weights = [bf16, int8, int4, fp8, int2]
  # quantization/README.md: KVCache BF16, or INT8 with MixQuant (C8)
  kv_cache = [bf16, int8]
  port = 8000  # parameters.md --port default (metrics 8001); the XPU and DCU docs use 8188
  # kunlunxin_xpu_deployment.md launches with --gpu-memory-utilization 0.9
  memory_fraction = 0.9
  # parameters.md: --max-num-seqs 8 by default (deployments raise it; ccc writes it)
  max_batch = 8
  # fastdeploy/config.py FDConfig.check(): "The parameter `max_num_seqs` is not allowed to
  # exceed 256" (an assert; PaddlePaddle/FastDeploy @013ec98)
  batch_cap = 256
  launcher = true
}

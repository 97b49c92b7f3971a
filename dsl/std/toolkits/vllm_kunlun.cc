# vLLM Kunlun: Baidu's vLLM hardware plugin for the Kunlunxin P800 (vendor software). It runs
# upstream vLLM's own server ("python -m vllm.entrypoints.openai.api_server", vLLM "same
# version as vllm-kunlun"), so the launch and its rules are vLLM's: it extends `vllm`.
# Sources: baidu/vLLM-Kunlun @09869ee7 README.md (Hardware: Kunlun3 P800),
# docs/source/user_guide/support_matrix/supported_features.md,
# docs/source/user_guide/feature_guide/quantization.md, docs/source/faqs.md,
# vllm_kunlun/platforms/kunlun.py.
import "std/kunlunxin"
import "std/toolkits/vllm"

toolkit vllm_kunlun extends vllm {
  engine = "vLLM Kunlun"
  accelerators = [kunlunxin_p800]  # README.md Prerequisites: "Hardware: Kunlun3 P800"
  unverified = []
  # supported_features.md ("aligned with the vLLM"): Tensor Parallel and Experts Parallel
  # "Functional"; pipeline and data parallelism are not listed.
  parallelism = [tp, ep]
  # quantization.md: compressed-tensors W8A8-INT8 (dense and MoE), AWQ and GPTQ W4A16,
  # GPTQ W8A16; the tutorials serve bf16 and fp16 checkpoints (dtype "float16").
  weights = [bf16, fp16, int8, int4]
  # the tutorials pass --kv-cache-dtype bfloat16; no quantized KV cache is documented
  kv_cache = [bf16, fp16]
  # faqs.md: "--gpu-memory-utilization: If unspecified, the default value is 0.9"
  memory_fraction = 0.9
  # platforms/kunlun.py get_device_total_memory returns the host's memory (psutil) and
  # get_device_name "kunlun", so vLLM's get_batch_defaults takes its large tier (1024), as
  # `vllm` states: max_batch is inherited.
}

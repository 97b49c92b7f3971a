# MindIE (Huawei Ascend's inference server; MindIE Service with the MindIE-LLM backend).
# Sources: hiascend MindIE docs mindie_service0285 (ServerConfig), MindIE LLM doc mindie_llm0004
# and forum thread-0226183959793268036 (config.json example); gitcode.com/Ascend/MindIE-LLM
# docs/zh/user_guide/user_manual/service_parameter_configuration.md; MindFormers r1.3.0
# mindie_deployment.html (worldSize and ASCEND_RT_VISIBLE_DEVICES). See catalog-facts D.
import "std/ascend"

toolkit mindie {
  engine = "MindIE"
  # MindIE docs: Atlas 800I A2 (910B) and Atlas 800I A3 (910C) inference servers
  accelerators = [ascend_910b, ascend_910c]
  # tp: ModelConfig[].worldSize; dp: BackendConfig.modelInstanceNumber instances, each with
  # its own npuDeviceIds list; pd: MindIE Motor / MS prefill-decode deployment. Expert and
  # pipeline parallel configuration were not found in the documents read.
  parallelism = [tp, dp, pd]
  # bf16 checkpoints; W8A8 ("quantize": "w8a8_dynamic" in a MindIE-LLM ERNIE-MoE unit-test
  # config; a code fixture, not a document page) [2H]
  weights = [bf16, int8]
  # KV cache in the model dtype; quantized KV options not found
  kv_cache = [bf16]
  port = 1025  # ServerConfig.port "默认值:1025" (managementPort 1026)
  # MindIE-LLM config.json ScheduleConfig: maxBatchSize 200, maxPrefillTokens 8192 (documented
  # defaults and the shipped config); NPU_MEMORY_FRACTION defaults to 0.8
  max_batch = 200
  # MindIE-LLM @8b4871ad schedule_config.cpp: CheckMaxMinValue(maxBatchSize, 819200U, 1U)
  batch_cap = 819200
  prefill_chunk = 8192
  memory_fraction = 0.8
  # MindIE-LLM @8b4871ad src/scheduler/scheduler.cpp l. 539-559: a step prefills whenever a
  # request waits (and 5 % of the KV blocks are free), else decodes; fcfs_policy.cpp l. 42-48:
  # a step is prefill or decode, never both (splitfuse is off unless plugin_params name it,
  # llm_manager_impl.cpp l. 686). Prefill admission counts KV blocks, not maxBatchSize
  # (scheduler.cpp l. 297-308); a decode step takes at most maxBatchSize of the running
  # sequences from the front of the queue and puts them at the back (l. 690-726): in turn.
  schedule = prefill_first_rotating
  # self_attn_block_manager.cpp l. 95-115: admission takes the prompt's blocks, nothing for
  # the output; fcfs_policy.cpp l. 377-401: out of blocks, the last pulled sequence is
  # preempted, by recompute (maxPreemptCount 0: never swapped)
  kv_admission = computed
  launcher = true
}

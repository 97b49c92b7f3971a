# Baidu ERNIE 4.5 MoE (text): ERNIE-4.5-300B-A47B.
# No verbatim Hugging Face config.json was found (see shared/data/hf_configs/README.md), so
# every architecture figure here is second-hand [2H]: a MindIE-LLM atb_llm unit-test
# fixture (ErniemoeRouter test, model_type "ernie_moe") reproduces the config, and
# apxml.com / crafiq.ai model pages agree on 54 layers, 64/8 heads, 64 experts top-8 and
# 131072 context. Names in the comments are the ERNIE config keys.
# Left at the default because the second-hand sources disagree and the language has no
# `unknown` for whole numbers or booleans: tie_embeddings (the MindIE fixture says
# tie_word_embeddings True; a reduced ERNIE-4.5-MoE test config in FastDeploy says False)
# and mtp_layers (that FastDeploy test config has num_nextn_predict_layers 1).

model ernie4_5_300b_a47b {
  hf_repo = "baidu/ERNIE-4.5-300B-A47B-PT"
  params = 300 B  # HF Transformers docs, model_doc/ernie4_5_moe: "300B total, 47B active"
  active_params = 47 B  # same
  layers = 54  # num_hidden_layers [2H]
  hidden_size = 8192  # hidden_size [2H]
  heads = 64  # num_attention_heads [2H]
  kv_heads = 8  # num_key_value_heads [2H]
  head_dim = 128  # [D] hidden_size / heads (no head_dim key in the fixture)
  attention = gqa  # kv_heads < heads
  vocab_size = 103424  # vocab_size [2H]
  context = 131072  # max_position_embeddings [2H]
  intermediate_size = 28672  # intermediate_size, the dense layers' FFN [2H]
  moe_intermediate_size = 3584  # moe_intermediate_size [2H]
  experts = 64  # moe_num_experts [2H]
  experts_per_token = 8  # moe_k [2H]
  shared_experts = 0  # moe_num_shared_experts [2H]
  first_dense_layers = 3  # moe_layer_start_index 3 (end 53, interval 1) [2H]
  dtype = bf16  # FastDeploy docs: wint4/wint8 are online quantization of the BF16 checkpoint
}

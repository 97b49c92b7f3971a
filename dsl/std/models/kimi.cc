# Moonshot AI Kimi K2: the DeepSeek-V3 architecture (DeepseekV3ForCausalLM) with 384 experts,
# 64 heads, one dense layer and no MTP layer.
# Architecture from the Hugging Face config.json of moonshotai/Kimi-K2-Instruct, read through
# the copy in ai-dynamo/aiconfigurator aic-core/src/aiconfigurator_core/model_configs/
# @095f58a5 (moonshotai--Kimi-K2-Instruct_config.json), mapped as dsl/hfconfig.py does.
# Parameter counts from the Model Summary of MoonshotAI/Kimi-K2 README.md @11062d11.

model kimi_k2 {
  hf_repo = "moonshotai/Kimi-K2-Instruct"
  params = 1 T  # README Model Summary: "Total Parameters 1T"
  active_params = 32 B  # README Model Summary: "Activated Parameters 32B"
  layers = 61  # config.json num_hidden_layers
  hidden_size = 7168  # hidden_size
  heads = 64  # num_attention_heads
  kv_heads = 64  # num_key_value_heads (MLA: the cache holds the latent)
  head_dim = 192  # qk_nope_head_dim 128 + qk_rope_head_dim 64
  attention = mla  # kv_lora_rank present
  vocab_size = 163840  # vocab_size
  context = 131072  # max_position_embeddings (yarn factor 32, original 4096)
  intermediate_size = 18432  # dense FFN of the first layer
  moe_intermediate_size = 2048  # moe_intermediate_size
  experts = 384  # n_routed_experts
  experts_per_token = 8  # num_experts_per_tok (n_group 1, topk_group 1)
  shared_experts = 1  # n_shared_experts
  first_dense_layers = 1  # first_k_dense_replace
  q_lora_rank = 1536  # q_lora_rank
  kv_lora_rank = 512  # kv_lora_rank
  qk_rope_head_dim = 64  # qk_rope_head_dim
  qk_nope_head_dim = 128  # qk_nope_head_dim
  v_head_dim = 128  # v_head_dim
  mtp_layers = 0  # num_nextn_predict_layers
  tie_embeddings = false  # tie_word_embeddings
  dtype = fp8  # quantization_config: fp8 e4m3, 128x128 blocks, dynamic activations
  quant_block = 128  # quantization_config.weight_block_size [128, 128]
}

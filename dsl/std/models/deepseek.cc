# DeepSeek models: V3, R1, V4-Pro, V4-Flash.
# Architecture from each model's Hugging Face config.json, read through the copies in
# ai-dynamo/aiconfigurator aic-core/src/aiconfigurator_core/model_configs/ @095f58a5
# (deepseek-ai--DeepSeek-{V3,R1,V4-Pro,V4-Flash}_config.json), mapped to keys as
# dsl/hfconfig.py does. Parameter counts from DeepSeek's technical reports, as cited.

model deepseek_v3 {
  hf_repo = "deepseek-ai/DeepSeek-V3"
  params = 671 B  # DeepSeek-V3 Technical Report (arXiv 2412.19437): 671B total
  active_params = 37 B  # same report: 37B activated per token
  layers = 61  # config.json num_hidden_layers
  hidden_size = 7168  # hidden_size
  heads = 128  # num_attention_heads
  kv_heads = 128  # num_key_value_heads (MLA: the cache holds the latent)
  head_dim = 192  # qk_nope_head_dim 128 + qk_rope_head_dim 64
  attention = mla  # kv_lora_rank present
  vocab_size = 129280  # vocab_size
  context = 163840  # max_position_embeddings (yarn factor 40, original 4096)
  intermediate_size = 18432  # dense FFN of the first_k_dense_replace layers
  moe_intermediate_size = 2048  # moe_intermediate_size
  experts = 256  # n_routed_experts
  experts_per_token = 8  # num_experts_per_tok (n_group 8, topk_group 4)
  shared_experts = 1  # n_shared_experts
  first_dense_layers = 3  # first_k_dense_replace
  q_lora_rank = 1536  # q_lora_rank
  kv_lora_rank = 512  # kv_lora_rank
  qk_rope_head_dim = 64  # qk_rope_head_dim
  qk_nope_head_dim = 128  # qk_nope_head_dim
  v_head_dim = 128  # v_head_dim
  mtp_layers = 1  # num_nextn_predict_layers
  # arXiv:2412.19437 section 5.4.3: "the acceptance rate of the second token prediction ranges
  # between 85% and 90%"; the lower end
  mtp_acceptance = 0.85
  tie_embeddings = false  # tie_word_embeddings
  dtype = fp8  # quantization_config: fp8 e4m3, 128x128 blocks, dynamic activations
  quant_block = 128  # quantization_config.weight_block_size [128, 128]
}

# Same architecture: the config differs from V3's only in transformers_version.
model deepseek_r1 extends deepseek_v3 {
  hf_repo = "deepseek-ai/DeepSeek-R1"
  params = 671 B  # DeepSeek-R1 model card: 671B total (built on DeepSeek-V3-Base)
  active_params = 37 B  # same: 37B activated
}

# DeepSeek-V4: hybrid compressed attention (CSA ratio 4 with a top-k indexer, HCA ratio 128)
# over a single shared KV head, plus a 128-token sliding window; FP4 routed experts.
# Keys the IR has no place for, left out: o_lora_rank 1024, o_groups 16, index_n_heads 64,
# index_head_dim 128, index_topk 1024, num_hash_layers 3 (hash-routed first layers),
# hc_mult 4 (mHC residual streams), compress_rope_theta 160000, scoring_func sqrtsoftplus.
model deepseek_v4_pro {
  hf_repo = "deepseek-ai/DeepSeek-V4-Pro"
  params = 1.6 T  # DeepSeek-V4 technical report abstract (also the HF model card):
  active_params = 49 B  #   "DeepSeek-V4-Pro with 1.6T parameters (49B activated)"
  layers = 61  # config.json num_hidden_layers
  hidden_size = 7168  # hidden_size
  heads = 128  # num_attention_heads
  kv_heads = 1  # num_key_value_heads
  head_dim = 512  # head_dim
  attention = compressed  # compress_ratios present
  vocab_size = 129280  # vocab_size
  context = 1048576  # max_position_embeddings (yarn factor 16, original 65536)
  moe_intermediate_size = 3072  # moe_intermediate_size; the config has no intermediate_size
  experts = 384  # n_routed_experts
  experts_per_token = 6  # num_experts_per_tok
  shared_experts = 1  # n_shared_experts
  q_lora_rank = 1536  # q_lora_rank
  qk_rope_head_dim = 64  # qk_rope_head_dim
  sliding_window = 128  # sliding_window
  # compress_ratios: 62 entries = 61 layers + the MTP layer; 0 = sliding window only
  compress_ratios = [128, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 0]
  mtp_layers = 1  # num_nextn_predict_layers
  tie_embeddings = false  # tie_word_embeddings
  dtype = fp8  # quantization_config: fp8 e4m3, ue8m0 scales, 128x128 blocks
  quant_block = 128  # quantization_config.weight_block_size [128, 128]
  expert_dtype = fp4  # expert_dtype
}

model deepseek_v4_flash {
  hf_repo = "deepseek-ai/DeepSeek-V4-Flash"
  params = 284 B  # DeepSeek-V4 technical report abstract (also the HF model card):
  active_params = 13 B  #   "DeepSeek-V4-Flash with 284B parameters (13B activated)"
  layers = 43  # config.json num_hidden_layers
  hidden_size = 4096  # hidden_size
  heads = 64  # num_attention_heads
  kv_heads = 1  # num_key_value_heads
  head_dim = 512  # head_dim
  attention = compressed  # compress_ratios present
  vocab_size = 129280  # vocab_size
  context = 1048576  # max_position_embeddings (yarn factor 16, original 65536)
  moe_intermediate_size = 2048  # moe_intermediate_size; the config has no intermediate_size
  experts = 256  # n_routed_experts
  experts_per_token = 6  # num_experts_per_tok
  shared_experts = 1  # n_shared_experts
  q_lora_rank = 1024  # q_lora_rank
  qk_rope_head_dim = 64  # qk_rope_head_dim
  sliding_window = 128  # sliding_window
  # compress_ratios: 44 entries = 43 layers + the MTP layer (o_groups 8, index_topk 512)
  compress_ratios = [0, 0, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 0]
  mtp_layers = 1  # num_nextn_predict_layers
  tie_embeddings = false  # tie_word_embeddings
  dtype = fp8  # quantization_config: fp8 e4m3, ue8m0 scales, 128x128 blocks
  quant_block = 128  # quantization_config.weight_block_size [128, 128]
  expert_dtype = fp4  # expert_dtype
}

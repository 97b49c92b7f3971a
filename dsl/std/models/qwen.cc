# Qwen3 models (Alibaba Qwen team): two dense, two MoE.
# Architecture from each model's Hugging Face config.json, read through the copies in
# ai-dynamo/aiconfigurator aic-core/src/aiconfigurator_core/model_configs/ @095f58a5
# (Qwen--Qwen3-{8B,32B,30B-A3B,235B-A22B}_config.json), mapped as dsl/hfconfig.py does.
# Parameter counts from the "Model Overview" of each Hugging Face model card
# (huggingface.co/Qwen/<name>), as quoted in copies of those cards.
# All four: rope_theta 1e6, no rope_scaling (YaRN to 131072 is opt-in), sliding_window null.

model qwen3_8b {
  hf_repo = "Qwen/Qwen3-8B"
  params = 8.2 B  # model card: "Number of Parameters: 8.2B" (6.95B non-embedding)
  layers = 36  # config.json num_hidden_layers
  hidden_size = 4096  # hidden_size
  heads = 32  # num_attention_heads
  kv_heads = 8  # num_key_value_heads
  head_dim = 128  # head_dim
  attention = gqa  # kv_heads < heads
  vocab_size = 151936  # vocab_size
  context = 40960  # max_position_embeddings
  intermediate_size = 12288  # intermediate_size
  tie_embeddings = false  # tie_word_embeddings
  dtype = bf16  # torch_dtype bfloat16
}

model qwen3_32b {
  hf_repo = "Qwen/Qwen3-32B"
  params = 32.8 B  # model card: "Number of Parameters: 32.8B" (31.2B non-embedding)
  layers = 64  # config.json num_hidden_layers
  hidden_size = 5120  # hidden_size
  heads = 64  # num_attention_heads
  kv_heads = 8  # num_key_value_heads
  head_dim = 128  # head_dim
  attention = gqa  # kv_heads < heads
  vocab_size = 151936  # vocab_size
  context = 40960  # max_position_embeddings
  intermediate_size = 25600  # intermediate_size
  tie_embeddings = false  # tie_word_embeddings
  dtype = bf16  # torch_dtype bfloat16
}

# Every layer is MoE (decoder_sparse_step 1, mlp_only_layers []), so intermediate_size is
# kept only because the config states it; no shared experts (the config has no such key).
model qwen3_30b_a3b {
  hf_repo = "Qwen/Qwen3-30B-A3B"
  params = 30.5 B  # model card: "Number of Parameters: 30.5B in total and 3.3B activated"
  active_params = 3.3 B  # same
  layers = 48  # config.json num_hidden_layers
  hidden_size = 2048  # hidden_size
  heads = 32  # num_attention_heads
  kv_heads = 4  # num_key_value_heads
  head_dim = 128  # head_dim
  attention = gqa  # kv_heads < heads
  vocab_size = 151936  # vocab_size
  context = 40960  # max_position_embeddings
  intermediate_size = 6144  # intermediate_size (unused: no dense layers)
  moe_intermediate_size = 768  # moe_intermediate_size
  experts = 128  # num_experts
  experts_per_token = 8  # num_experts_per_tok (norm_topk_prob true)
  tie_embeddings = false  # tie_word_embeddings
  dtype = bf16  # torch_dtype bfloat16
}

model qwen3_235b_a22b {
  hf_repo = "Qwen/Qwen3-235B-A22B"
  params = 235 B  # model card: "Number of Parameters: 235B in total and 22B activated"
  active_params = 22 B  # same
  layers = 94  # config.json num_hidden_layers
  hidden_size = 4096  # hidden_size
  heads = 64  # num_attention_heads
  kv_heads = 4  # num_key_value_heads
  head_dim = 128  # head_dim
  attention = gqa  # kv_heads < heads
  vocab_size = 151936  # vocab_size
  context = 40960  # max_position_embeddings
  intermediate_size = 12288  # intermediate_size (unused: no dense layers)
  moe_intermediate_size = 1536  # moe_intermediate_size
  experts = 128  # num_experts
  experts_per_token = 8  # num_experts_per_tok (norm_topk_prob true)
  tie_embeddings = false  # tie_word_embeddings
  dtype = bf16  # torch_dtype bfloat16
}

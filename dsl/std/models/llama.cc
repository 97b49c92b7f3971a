# Meta Llama 3.1 base models (the Instruct variants share the architecture fields).
# Architecture from each model's Hugging Face config.json, read through the copies in
# ai-dynamo/aiconfigurator aic-core/src/aiconfigurator_core/model_configs/ @095f58a5
# (meta-llama--Meta-Llama-3.1-{8B,70B,405B}_config.json), mapped as dsl/hfconfig.py does.
# Parameter counts: the sizes of meta-llama/llama-models models/llama3_1/MODEL_CARD.md
# ("8B, 70B and 405B sizes"), which gives them rounded.
# All three: rope_theta 500000, llama3 rope scaling (factor 8, original 8192), GQA, untied.
# The Hugging Face repositories were renamed from Meta-Llama-3.1-* to Llama-3.1-*.

model llama3_1_8b {
  hf_repo = "meta-llama/Llama-3.1-8B"
  params = 8 B  # MODEL_CARD.md Params column
  layers = 32  # config.json num_hidden_layers
  hidden_size = 4096  # hidden_size
  heads = 32  # num_attention_heads
  kv_heads = 8  # num_key_value_heads
  head_dim = 128  # no head_dim key: hidden_size / heads
  attention = gqa  # kv_heads < heads
  vocab_size = 128256  # vocab_size
  context = 131072  # max_position_embeddings
  intermediate_size = 14336  # intermediate_size
  tie_embeddings = false  # tie_word_embeddings
  dtype = bf16  # torch_dtype bfloat16
}

model llama3_1_70b {
  hf_repo = "meta-llama/Llama-3.1-70B"
  params = 70 B  # MODEL_CARD.md Params column
  layers = 80  # config.json num_hidden_layers
  hidden_size = 8192  # hidden_size
  heads = 64  # num_attention_heads
  kv_heads = 8  # num_key_value_heads
  head_dim = 128  # no head_dim key: hidden_size / heads
  attention = gqa  # kv_heads < heads
  vocab_size = 128256  # vocab_size
  context = 131072  # max_position_embeddings
  intermediate_size = 28672  # intermediate_size
  tie_embeddings = false  # tie_word_embeddings
  dtype = bf16  # torch_dtype bfloat16
}

model llama3_1_405b {
  hf_repo = "meta-llama/Llama-3.1-405B"
  params = 405 B  # MODEL_CARD.md Params column
  layers = 126  # config.json num_hidden_layers
  hidden_size = 16384  # hidden_size
  heads = 128  # num_attention_heads
  kv_heads = 8  # num_key_value_heads
  head_dim = 128  # no head_dim key: hidden_size / heads
  attention = gqa  # kv_heads < heads
  vocab_size = 128256  # vocab_size
  context = 131072  # max_position_embeddings
  intermediate_size = 53248  # intermediate_size
  tie_embeddings = false  # tie_word_embeddings
  dtype = bf16  # torch_dtype bfloat16 (Meta also publishes a separate FP8 checkpoint)
}

"""Language: read a Hugging Face `config.json` into `Model` field values.

In: the parsed JSON object. Out: field values in IR terms, or the name of a required key the
config lacks. Different model families spell the same thing differently (DeepSeek's
`n_routed_experts`, Qwen's `num_experts`, ERNIE's `moe_num_experts`), so each field lists its
spellings in order of preference. Also locates `hf:org/name` in the local Hugging Face cache;
nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "from_config", "locate_in_cache"]

_SPELLINGS: dict[str, tuple[str, ...]] = {
    "layers": ("num_hidden_layers", "n_layer", "num_layers"),
    "hidden_size": ("hidden_size", "n_embd", "d_model"),
    "heads": ("num_attention_heads", "n_head"),
    "kv_heads": ("num_key_value_heads", "num_kv_heads"),
    "vocab_size": ("vocab_size",),
    "context": ("max_position_embeddings", "max_sequence_length", "seq_length"),
    "intermediate_size": ("intermediate_size", "ffn_hidden_size"),
    "moe_intermediate_size": ("moe_intermediate_size",),
    "experts": ("n_routed_experts", "num_experts", "num_local_experts", "moe_num_experts"),
    "experts_per_token": ("num_experts_per_tok", "moe_k", "num_experts_per_token", "top_k"),
    "shared_experts": ("n_shared_experts", "num_shared_experts", "moe_num_shared_experts"),
    "first_dense_layers": ("first_k_dense_replace", "moe_layer_start_index"),
    "q_lora_rank": ("q_lora_rank",),
    "kv_lora_rank": ("kv_lora_rank",),
    "qk_rope_head_dim": ("qk_rope_head_dim",),
    "qk_nope_head_dim": ("qk_nope_head_dim",),
    "v_head_dim": ("v_head_dim",),
    "compress_ratios": ("compress_ratios",),
    "mtp_layers": ("num_nextn_predict_layers",),
    "tie_embeddings": ("tie_word_embeddings",),
}
REQUIRED = ("layers", "hidden_size", "heads")

_TORCH_DTYPES = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32", "half": "fp16"}
_QUANT_METHODS = {"fp8": "fp8", "mxfp4": "mxfp4", "nvfp4": "nvfp4", "mxfp8": "mxfp8"}


def from_config(config: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Model field values read from `config`, and the first required key it lacks (if any)."""
    text = config.get("text_config")
    if isinstance(text, dict) and "num_hidden_layers" not in config:
        config = {**config, **text}  # multimodal configs nest the language model
    values: dict[str, Any] = {}
    for name, spellings in _SPELLINGS.items():
        for spelling in spellings:
            if config.get(spelling) is not None:
                values[name] = config[spelling]
                break
    for name in REQUIRED:
        if not isinstance(values.get(name), int) or values[name] < 1:
            return values, _SPELLINGS[name][0]
    values.update(_attention(config, values))
    values.update(_precision(config))
    if (
        values.get("experts")
        and not values.get("shared_experts")
        and config.get("shared_expert_intermediate_size")
    ):
        values["shared_experts"] = 1  # Qwen2-MoE style: one shared expert of its own width
    window = config.get("sliding_window")
    if isinstance(window, int) and window > 0 and config.get("use_sliding_window", True):
        values["sliding_window"] = window
    return _clean(values), None


def _attention(config: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    heads = values["heads"]
    kv_heads = values.get("kv_heads") or heads
    out: dict[str, Any] = {"kv_heads": kv_heads}
    if isinstance(config.get("head_dim"), int):
        out["head_dim"] = config["head_dim"]
    elif values.get("kv_lora_rank"):
        out["head_dim"] = values.get("qk_nope_head_dim", 0) + values.get("qk_rope_head_dim", 0)
    else:
        out["head_dim"] = values["hidden_size"] // heads
    if values.get("compress_ratios"):
        out["attention"] = "compressed"
    elif values.get("kv_lora_rank"):
        out["attention"] = "mla"
    elif kv_heads < heads:
        out["attention"] = "gqa"
    else:
        out["attention"] = "mha"
    return out


def _precision(config: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    torch_dtype = config.get("torch_dtype") or config.get("dtype")
    if isinstance(torch_dtype, str) and torch_dtype in _TORCH_DTYPES:
        out["dtype"] = _TORCH_DTYPES[torch_dtype]
    quant = config.get("quantization_config")
    if isinstance(quant, dict):
        method = str(quant.get("quant_method", "")).lower()
        bits = quant.get("bits") or quant.get("w_bit")
        if method in _QUANT_METHODS:
            out["dtype"] = _QUANT_METHODS[method]
        elif bits in (4, 8):
            out["dtype"] = "int4" if bits == 4 else "int8"
        block = quant.get("weight_block_size") or [quant.get("group_size")]
        if isinstance(block, list) and block and isinstance(block[0], int) and block[0] > 0:
            out["quant_block"] = block[0]  # block_n: the split output dimension's block
        skipped = quant.get("modules_to_not_convert") or quant.get("ignored_layers")
        if isinstance(skipped, list) and all(isinstance(m, str) for m in skipped):
            out["unquantized_modules"] = sorted(skipped)
    expert = config.get("expert_dtype")
    if isinstance(expert, str) and expert.lower() in ("fp4", "mxfp4", "nvfp4", "int4", "fp8"):
        out["expert_dtype"] = expert.lower()
    return out


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Drop values of the wrong JSON type rather than let them reach the IR."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "compress_ratios":
            if isinstance(value, list) and all(isinstance(v, int) and v >= 0 for v in value):
                out[name] = value
        elif name == "tie_embeddings":
            out[name] = bool(value)
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | str | list)
            or (isinstance(value, int) and value < 0)
        ):
            continue
        else:
            out[name] = value
    return out


def cache_dir(environ: dict[str, str], home: Path) -> Path:
    """The hub cache as huggingface_hub documents it: HF_HUB_CACHE, HF_HOME/hub, XDG, ~."""
    if environ.get("HF_HUB_CACHE"):
        return Path(environ["HF_HUB_CACHE"])
    if environ.get("HUGGINGFACE_HUB_CACHE"):
        return Path(environ["HUGGINGFACE_HUB_CACHE"])
    if environ.get("HF_HOME"):
        return Path(environ["HF_HOME"]) / "hub"
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "huggingface" / "hub"
    return home / ".cache" / "huggingface" / "hub"


def locate_in_cache(repo: str, cache: Path) -> tuple[Path | None, str]:
    """config.json of `org/name[@revision]` in the cache, or None and why not."""
    name, _, revision = repo.partition("@")
    if name.count("/") != 1 or ".." in name:
        return None, f"`{name}` is not of the form org/name"
    folder = cache / ("models--" + name.replace("/", "--"))
    if not _exists(folder.is_dir):
        return None, f"{name} is not in the Hugging Face cache at {cache}"
    ref = folder / "refs" / (revision or "main")
    commit = ref.read_text(encoding="utf-8").strip() if _exists(ref.is_file) else revision
    if not commit:
        return None, f"{name} has no `refs/main` in the cache; name a revision: hf:{name}@REV"
    config = folder / "snapshots" / commit / "config.json"
    if not _exists(config.is_file):
        return None, f"the cached snapshot {commit} of {name} has no config.json"
    return config, ""


def _exists(check: Callable[[], bool]) -> bool:
    """A path test that is false, not an error, for a name too long to look up."""
    try:
        return bool(check())
    except OSError:
        return False

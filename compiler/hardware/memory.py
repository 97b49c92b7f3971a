"""Hardware: what one device holds for a model served at given degrees, term by term.

In: the IR model, the deployment's precisions, the toolkit, the device memory and one
instance's degrees. Out: a `MemoryBreakdown` (weights by part, activations, the engine's
reserve, KV cache per token) and the largest concurrency that fits at a context length.
This is the one memory model: placement asks "does it fit?", the performance model "how many
requests fit?". The worst device is reported: the pipeline stage holding the most layers,
plus the embedding or the output head.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ccc.ir import Deployment, Model, Toolkit, known
from ccc.precision import DTYPE_BYTES, weight_bytes_per_param

__all__ = [
    "DEFAULT_MEMORY_FRACTION",
    "DEFAULT_PREFILL_CHUNK",
    "Degrees",
    "MemoryBreakdown",
    "ParamCounts",
    "Precisions",
    "Term",
    "breakdown",
    "gib",
    "kv_bytes_per_token",
    "param_counts",
    "precisions",
]

# Used when neither the toolkit nor the deployment states it: vLLM's documented default for
# --gpu-memory-utilization, the engine most others copy. The breakdown says it was assumed.
DEFAULT_MEMORY_FRACTION = 0.9
# Prompt tokens per engine step when the toolkit states none: vLLM's `vllm serve` default.
DEFAULT_PREFILL_CHUNK = 8192

# Activations kept per token in flight inside one layer, in units of the hidden size: the
# residual stream, the normalised input, the attention output and the QKV projection.
# An estimate (engines measure it by a profiling pass), stated so it can be checked.
_ACTIVATION_WIDTHS = 4
_ACTIVATION_BYTES = 2  # bf16 activations
_LOGIT_BYTES = 4  # logits are computed in fp32 for sampling
# Logits are computed for the last token of each sequence in a step, at most this many
# sequences: vLLM's default --max-num-seqs.
_LOGIT_ROWS = 256


class Degrees(NamedTuple):
    """One instance: `tp × dp × pp` devices; experts over `ep` ranks dividing `tp × dp`."""

    tp: int = 1
    dp: int = 1
    pp: int = 1
    ep: int = 1
    extra_experts: int = 0

    @property
    def devices(self) -> int:
        return self.tp * self.dp * self.pp


class Precisions(NamedTuple):
    weights: str
    experts: str
    kv_cache: str
    embeddings: str  # quantized checkpoints keep embeddings and the head in 16 bits


class Term(NamedTuple):
    """One part of a device's memory."""

    name: str
    bytes: float
    detail: str


class MemoryBreakdown(NamedTuple):
    """The worst device of one instance. Bytes throughout; None where a figure is unknown.

    NamedTuples, not pydantic: placement evaluates thousands of candidate degrees; the plan's
    JSON model copies the chosen ones."""

    device_memory: float | None
    memory_fraction: float
    memory_fraction_source: str
    weights: list[Term]
    activations: Term
    kv_bytes_per_token: float  # on one device, for one token of one request
    context_tokens: int
    sequences_per_rank: int | None  # requests one attention-DP rank holds at the context
    max_concurrency: int | None  # requests the instance holds (dp ranks)

    @property
    def weight_bytes(self) -> float:
        return sum(t.bytes for t in self.weights)

    @property
    def usable(self) -> float | None:
        return None if self.device_memory is None else self.device_memory * self.memory_fraction

    @property
    def static_bytes(self) -> float:
        return self.weight_bytes + self.activations.bytes

    @property
    def kv_budget(self) -> float | None:
        return None if self.usable is None else self.usable - self.static_bytes

    def kv_bytes(self, concurrency_per_rank: int) -> float:
        return self.kv_bytes_per_token * self.context_tokens * concurrency_per_rank


def gib(value: float) -> str:
    """Bytes as messages and tables show them."""
    return f"{value / 2**30:.1f} GiB"


def precisions(model: Model, deployment: Deployment) -> Precisions:
    weights = deployment.weights or model.dtype or "bf16"
    # The checkpoint's own expert format holds while the weights are the checkpoint's own
    # (unset, or naming its dtype: DeepSeek-V4's fp8 with fp4 experts); other weights are
    # another checkpoint, quantized throughout.
    published = deployment.weights is None or deployment.weights == model.dtype
    experts = deployment.expert_weights or (model.expert_dtype if published else None)
    wide = weights if DTYPE_BYTES[weights] >= 2 else "bf16"
    return Precisions(weights, experts or weights, deployment.kv_cache or wide, wide)


def breakdown(
    model: Model,
    deployment: Deployment,
    toolkit: Toolkit | None,
    device_memory: float | None,
    degrees: Degrees,
    context_tokens: int,
) -> MemoryBreakdown:
    """The memory of the worst device of one instance at `degrees`."""
    dtypes = precisions(model, deployment)
    fraction, source = _memory_fraction(deployment, toolkit)
    weights = _worst_stage_weights(model, dtypes, degrees, deployment.workload.draft_tokens > 0)
    activations = _activations(model, degrees, toolkit)
    per_token = kv_bytes_per_token(model, dtypes.kv_cache, degrees, context_tokens)
    result = MemoryBreakdown(
        device_memory=device_memory,
        memory_fraction=fraction,
        memory_fraction_source=source,
        weights=weights,
        activations=activations,
        kv_bytes_per_token=per_token,
        context_tokens=context_tokens,
        sequences_per_rank=None,
        max_concurrency=None,
    )
    budget = result.kv_budget
    if budget is None:
        return result
    per_sequence = per_token * context_tokens
    sequences = max(0, math.floor(budget / per_sequence)) if per_sequence > 0 else 0
    return result._replace(sequences_per_rank=sequences, max_concurrency=sequences * degrees.dp)


def _memory_fraction(deployment: Deployment, toolkit: Toolkit | None) -> tuple[float, str]:
    if deployment.memory_fraction is not None:
        return deployment.memory_fraction, f"deployment `{deployment.name}`"
    if toolkit is not None and toolkit.memory_fraction is not None:
        return toolkit.memory_fraction, f"toolkit `{toolkit.name}`"
    return DEFAULT_MEMORY_FRACTION, "assumed (vLLM's default; the toolkit states none)"


# --- weights -------------------------------------------------------------------------


class ParamCounts(NamedTuple):
    """Parameter counts of one model, by how the degrees split them."""

    attention_split: int  # per layer, sharded over TP
    attention_replicated: int  # per layer, on every TP rank (MLA's down-projections)
    dense_ffn: int  # per dense layer, sharded over TP
    expert: int  # one routed expert
    shared: int  # shared experts of one MoE layer, sharded over TP
    router: int  # per MoE layer, replicated
    embedding: int  # the input embedding (and, untied, again the output head)


def param_counts(model: Model) -> ParamCounts:
    hidden = model.hidden_size or 0
    heads = model.heads or 1
    head_dim = model.head_dim or hidden // heads
    split, replicated = _attention_params(model, hidden, heads, head_dim)
    expert = 3 * hidden * (model.moe_intermediate_size or 0)  # gated FFN: gate, up, down
    return ParamCounts(
        attention_split=split,
        attention_replicated=replicated,
        dense_ffn=3 * hidden * (model.intermediate_size or 0),
        expert=expert,
        shared=model.shared_experts * expert,
        router=model.experts * hidden,
        embedding=(model.vocab_size or 0) * hidden,
    )


def _attention_params(model: Model, hidden: int, heads: int, head_dim: int) -> tuple[int, int]:
    if model.kv_lora_rank:  # MLA, as DeepSeek-V2/V3 and Kimi-K2 write it
        rope = model.qk_rope_head_dim or 0
        nope = model.qk_nope_head_dim or head_dim
        v_dim = model.v_head_dim or head_dim
        q_rank = model.q_lora_rank or 0
        down = hidden * (q_rank + model.kv_lora_rank + rope)
        q_up = (q_rank or hidden) * heads * (nope + rope)
        kv_up = model.kv_lora_rank * heads * (nope + v_dim)
        return q_up + kv_up + heads * v_dim * hidden, down
    kv_heads = model.kv_heads or heads
    q_rank = model.q_lora_rank or 0
    q = hidden * q_rank + q_rank * heads * head_dim if q_rank else hidden * heads * head_dim
    return q + 2 * hidden * kv_heads * head_dim + heads * head_dim * hidden, 0


def _worst_stage_weights(
    model: Model, dtypes: Precisions, degrees: Degrees, with_mtp: bool
) -> list[Term]:
    stages = [_stage_weights(model, dtypes, degrees, s, with_mtp) for s in range(degrees.pp)]
    return max(stages, key=lambda terms: sum(t.bytes for t in terms))


def _stage_layers(model: Model, pp: int, stage: int) -> tuple[int, int]:
    """Dense and MoE layers of pipeline stage `stage` (layers split as evenly as engines do)."""
    layers = model.layers or 0
    per = math.ceil(layers / pp)
    first, last = stage * per, min(layers, (stage + 1) * per)
    dense_end = layers if model.experts == 0 else min(model.first_dense_layers, layers)
    dense = max(0, min(last, dense_end) - first)
    return dense, max(0, last - first) - dense


def _stage_weights(
    model: Model, dtypes: Precisions, d: Degrees, stage: int, with_mtp: bool
) -> list[Term]:
    p = param_counts(model)
    dense, moe = _stage_layers(model, d.pp, stage)
    if with_mtp and stage == d.pp - 1:
        moe += model.mtp_layers  # an MTP module is one more MoE layer, loaded for drafting
    wide = weight_bytes_per_param(dtypes.embeddings)
    narrow = weight_bytes_per_param(dtypes.weights)
    layers = dense + moe
    terms = [
        Term(
            name="attention",
            bytes=layers * (p.attention_split / d.tp + p.attention_replicated) * narrow,
            detail=f"{layers} layers, split over tp {d.tp}, {dtypes.weights}",
        )
    ]
    if dense and p.dense_ffn:
        terms.append(
            Term(
                name="dense FFN",
                bytes=dense * p.dense_ffn / d.tp * narrow,
                detail=f"{dense} dense layers, split over tp {d.tp}, {dtypes.weights}",
            )
        )
    if moe and model.experts:
        terms += _expert_terms(model, p, dtypes, d, moe)
    terms += _embedding_terms(model, p, wide, d, stage)
    return terms


def _expert_terms(
    model: Model, p: ParamCounts, dtypes: Precisions, d: Degrees, moe: int
) -> list[Term]:
    slots = (model.experts + d.extra_experts) / d.ep
    # Both engines spread an instance's experts over all its tp x dp devices, attention-DP
    # ranks included: vLLM's FusedMoEParallelConfig.make "flattens" TP across DP (expert TP
    # size dp x tp, or EP size dp x tp with --enable-expert-parallel); SGLang's --tp counts
    # every device of the DP-attention group and its MoE TP size is tp / ep. So `ep` experts
    # groups, each tensor-split over the devices that share it.
    shard = d.tp * d.dp // d.ep  # devices sharing one EP rank's experts, tensor-parallel
    routed = moe * slots * p.expert / shard * weight_bytes_per_param(dtypes.experts)
    how = f"{slots:g} slots per EP rank of {d.ep}" + (
        f", each split {shard} ways" if shard > 1 else ""
    )
    terms = [
        Term(
            name="routed experts", bytes=routed, detail=f"{moe} MoE layers, {how}, {dtypes.experts}"
        )
    ]
    if p.shared:
        terms.append(
            Term(
                name="shared experts",
                bytes=moe * p.shared / d.tp * weight_bytes_per_param(dtypes.weights),
                detail=f"{model.shared_experts} per layer, split over tp {d.tp}",
            )
        )
    terms.append(
        Term(
            name="router",
            bytes=moe * p.router * DTYPE_BYTES["bf16"],
            detail="replicated on every device, bf16",
        )
    )
    return terms


def _embedding_terms(
    model: Model, p: ParamCounts, wide: float, d: Degrees, stage: int
) -> list[Term]:
    terms = []
    if stage == 0:
        terms.append(
            Term(
                name="embedding",
                bytes=p.embedding / d.tp * wide,
                detail=f"vocabulary split over tp {d.tp}",
            )
        )
    if stage == d.pp - 1 and not model.tie_embeddings:
        terms.append(
            Term(
                name="output head",
                bytes=p.embedding / d.tp * wide,
                detail=f"vocabulary split over tp {d.tp}",
            )
        )
    return terms


# --- activations and KV cache ---------------------------------------------------------


def _activations(model: Model, d: Degrees, toolkit: Toolkit | None) -> Term:
    chunk = (toolkit.prefill_chunk if toolkit else None) or DEFAULT_PREFILL_CHUNK
    hidden = model.hidden_size or 0
    ffn = max(model.intermediate_size or 0, (model.moe_intermediate_size or 0) * 2)
    per_token = (_ACTIVATION_WIDTHS * hidden + 2 * ffn / d.tp) * _ACTIVATION_BYTES
    logits = min(chunk, _LOGIT_ROWS) * (model.vocab_size or 0) / d.tp * _LOGIT_BYTES
    return Term(
        name="activations",
        bytes=chunk * per_token + logits,
        detail=f"a {chunk}-token prefill step (estimate: {_ACTIVATION_WIDTHS} hidden-wide "
        "buffers, the FFN's gate and up, fp32 logits)",
    )


def kv_bytes_per_token(model: Model, dtype: str, d: Degrees, context_tokens: int) -> float:
    """KV-cache bytes one device stores per token of a request, averaged over the context
    where layers keep fewer tokens than the context (sliding or compressed attention)."""
    layers = math.ceil((model.layers or 0) / d.pp)
    element = DTYPE_BYTES[dtype]
    if model.kv_lora_rank:  # MLA: the compressed latent and the rotary key, on every TP rank
        return layers * (model.kv_lora_rank + (model.qk_rope_head_dim or 0)) * element
    heads = model.heads or 1
    head_dim = model.head_dim or (model.hidden_size or 0) // heads
    kv_heads = model.kv_heads or heads
    local_heads = math.ceil(kv_heads / d.tp)  # below one head per rank, heads are replicated
    if model.attention == "compressed":
        # DeepSeek-V4: one shared key/value latent per head; every layer keeps a sliding
        # window of recent tokens, and a layer with ratio r > 0 one more entry per r tokens.
        kept = _compressed_tokens_fraction(model, context_tokens)
        return layers * local_heads * head_dim * element * kept
    # A config that declares a window uses it in every layer (the importer drops windows a
    # config switches off), so a layer keeps at most `sliding_window` tokens.
    kept = min(1.0, model.sliding_window / max(context_tokens, 1)) if model.sliding_window else 1.0
    return layers * 2 * local_heads * head_dim * element * kept


def _compressed_tokens_fraction(model: Model, context_tokens: int) -> float:
    ratios = model.compress_ratios or [0]
    window = model.sliding_window or 0
    context = max(context_tokens, 1)
    kept = [min(1.0, (window + (math.ceil(context / r) if r > 0 else 0)) / context) for r in ratios]
    return sum(kept) / len(kept)


def device_memory_of(memory: object, dies: int) -> float | None:
    """Per-device memory from a package figure: a multi-die package shares it among dies."""
    value = known(memory)
    return None if value is None else float(value) / dies

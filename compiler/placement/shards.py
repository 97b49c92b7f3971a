"""Placement: whether each weight matrix a choice of degrees splits comes out whole.

In: a model, the precisions served and `Degrees`. Out: the first split that is not whole,
or None. Tensor parallelism cuts a matrix's output (column-parallel) or input (row-parallel)
dimension into equal shards; an engine refuses a shard that is not a whole number of
columns, and, for a block-quantized checkpoint served as published, one that is not a whole
number of its blocks (vLLM `model_executor/layers/quantization/utils/fp8_utils.py`
validate_fp8_block_shape and validate_fp8_block_shape_moe, "... is not divisible by weight
quantization block_n = 128", vllm 0.34.0 wheel; SGLang the same in
`srt/layers/quantization/fp8_utils.py`, sglang 0.5.23 wheel).

What each degree splits, as ccc's memory model counts it (`ccc.hardware.memory`): attention,
the dense FFN and the shared experts over `tp`; each routed expert over the tp x dp / ep
devices that share an EP rank's experts (vLLM's MoE TP, SGLang's moe_tp = tp / ep).
"""

from __future__ import annotations

from typing import NamedTuple

from ccc.hardware.memory import Degrees, Precisions
from ccc.ir import Model

__all__ = ["Shard", "broken_shard", "expert_ways"]


class Shard(NamedTuple):
    """One split: a matrix dimension of `width` cut `ways` ways, in blocks of `block`."""

    what: str  # e.g. "each routed expert's FFN width"
    width: int
    ways: int
    block: int | None  # None: any whole number of columns will do
    degree: str  # the key that sets `ways`: "tp" or "ep"

    def whole(self) -> bool:
        if self.ways <= 1:
            return True
        if self.width % self.ways:
            return False
        return self.block is None or (self.width // self.ways) % self.block == 0


def expert_ways(d: Degrees) -> int:
    """The devices one routed expert is split over."""
    return max(1, d.tp * d.dp // max(d.ep, 1))


def broken_shard(model: Model, dtypes: Precisions, d: Degrees) -> Shard | None:
    """The first split of `d` that is not whole, or None."""
    return next((shard for shard in splits(model, dtypes, d) if not shard.whole()), None)


def splits(model: Model, dtypes: Precisions, d: Degrees) -> list[Shard]:
    """Every matrix dimension `d` splits, with the block it must respect."""
    # Blocks bind a checkpoint served in its own format; a precision ccc does not know the
    # checkpoint of (another quantization, experts in their own format) binds only columns.
    published = dtypes.weights == model.dtype
    block = model.quant_block if published else None
    expert_block = block if model.expert_dtype is None else None
    out: list[Shard] = []
    heads, head_dim = model.heads or 0, model.head_dim or 0
    if heads and head_dim:
        out.append(Shard("the attention query projection", heads * head_dim, d.tp, block, "tp"))
        value = model.v_head_dim or head_dim
        out.append(Shard("the attention output projection", heads * value, d.tp, block, "tp"))
    dense = model.experts == 0 or model.first_dense_layers > 0
    if dense and model.intermediate_size:
        out.append(Shard("the dense FFN width", model.intermediate_size, d.tp, block, "tp"))
    width = model.moe_intermediate_size or 0
    if model.experts and width:
        if model.shared_experts:
            shared = width * model.shared_experts
            out.append(Shard("the shared experts' FFN width", shared, d.tp, block, "tp"))
        ways = expert_ways(d)
        out.append(Shard("each routed expert's FFN width", width, ways, expert_block, "ep"))
    return out

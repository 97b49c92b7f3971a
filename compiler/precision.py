"""Core: precision, a dtype's bytes, the compute rate it runs at, what a toolkit serves.

In: a dtype name, an accelerator's `compute {}` table, a toolkit's stated dtype list. Out: bytes
per value, block-scale bytes, the `compute` key a weight dtype runs at, the dtypes served.
One table per fact: the contract checks (which unknown figure a prediction needs), placement
(which smaller precision to suggest), the memory model and the performance model all ask here,
so `ccc check` warns about exactly the figure `ccc plan` reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "DTYPES",
    "DTYPE_BYTES",
    "SCALE_BYTES",
    "compute_dtype",
    "rate_chain",
    "runs_on",
    "served",
    "sixteen_bit_rate",
    "weight_bytes_per_param",
]

# Bytes per element of each dtype a weight or KV cache may be served in. 4-bit formats are
# half a byte; block scales are separate (SCALE_BYTES), counted only for weights.
DTYPE_BYTES: dict[str, float] = {
    "fp32": 4.0,
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "mxfp8": 1.0,
    "fp4": 0.5,
    "mxfp4": 0.5,
    "nvfp4": 0.5,
    "int4": 0.5,
    "int2": 0.25,
}
DTYPES: tuple[str, ...] = tuple(DTYPE_BYTES)

# Block scales stored beside 4- and 8-bit weights, in bytes per weight: the OCP MX formats
# keep one 8-bit scale per 32 values, NVFP4 one FP8 scale per 16, GPTQ/AWQ int4 one fp16
# scale per group of 128 (their default group size). Per-channel int8 and fp8's 128x128
# block scales cost under 0.01 %, so nothing.
SCALE_BYTES: dict[str, float] = {"mxfp4": 1 / 32, "mxfp8": 1 / 32, "nvfp4": 1 / 16, "int4": 2 / 128}

# The tensor-core rates a weight dtype can run at, fastest tier first; every chain ends in the
# 16-bit tier. Rates in one tier stand for each other (they are one rate on every chip of the
# catalog that states both: fp8 = int8, bf16 = fp16, mxfp4 = fp4). W8A8 runs at the 8-bit tier;
# block-scaled 4-bit at the 4-bit tier where the chip has one. Weight-only formats (int4/int2
# GPTQ/AWQ, W4A16) dequantize to 16 bits inside the kernel, so they run at the bf16/fp16 rate
# even on a chip with an int8 or int4 rate: engines serve them that way (vLLM's Marlin kernels),
# and a W4A8 path needs a checkpoint quantized for it.
# This is the performance model's rule. The contract checks walked int4 -> int8 instead, and
# passed contracts whose prediction read an unknown 16-bit rate.
_TIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fp8": (("fp8", "int8"),),
    "int8": (("int8", "fp8"),),
    "mxfp8": (("mxfp8", "fp8"),),
    "fp4": (("fp4",),),
    "mxfp4": (("mxfp4", "fp4"), ("mxfp8", "fp8")),
    "nvfp4": (("fp4", "nvfp4"), ("fp8",)),
}
_SIXTEEN_BIT = ("bf16", "fp16")

# Weight-only formats an engine dequantizes to a compute dtype the chip has.
_WEIGHT_ONLY = ("int4", "int8")


def rate_chain(weights: str) -> tuple[tuple[str, ...], ...]:
    """The tiers of `compute` keys `weights` can run at, fastest first; the last is 16-bit."""
    wide = ("fp16", "bf16") if weights == "fp16" else _SIXTEEN_BIT
    return (*_TIERS.get(weights, ()), wide)


def compute_dtype(weights: str, compute: Mapping[str, object]) -> str:
    """The `compute` key `weights` runs at on a chip. The chip runs it on the fastest tier it
    declares any rate of; inside that tier, the first rate stated as a number, else the first
    declared unknown. A declared-unknown tier leaves the prediction unproven rather than
    borrowing a slower tier's figure (no source, no figure); a prediction is proven exactly when
    this key's figure is known, which is what `ccc check` warns about."""
    tiers = rate_chain(weights)
    for tier in tiers:
        declared = [d for d in tier if d in compute]
        numbers = [d for d in declared if isinstance(compute[d], (int, float))]
        if declared:
            return (numbers or declared)[0]
    return tiers[0][0]


def sixteen_bit_rate(compute: Mapping[str, object]) -> float | None:
    """The chip's 16-bit rate (attention multiplies 16-bit activations whatever the weights)."""
    value = compute.get(compute_dtype("bf16", compute))
    return float(value) if isinstance(value, (int, float)) else None


def runs_on(weights: str, compute: Mapping[str, object]) -> bool:
    """Whether suggesting `weights` for this chip makes sense: it has a rate of its own for
    the format, the format is weight-only, or it is 16 bits or wider."""
    return weights in compute or weights in _WEIGHT_ONLY or DTYPE_BYTES[weights] >= 2


def served(stated: Sequence[str]) -> tuple[str, ...]:
    """The dtypes a toolkit serves, from its stated list: an unstated list serves every dtype."""
    return tuple(stated) if stated else DTYPES


def weight_bytes_per_param(dtype: str) -> float:
    """Bytes a weight costs in memory, its block scale included."""
    return DTYPE_BYTES[dtype] + SCALE_BYTES.get(dtype, 0.0)

"""Performance: the factor lookup, achievable fractions of peak by layer, read at run time.

In: a chip, its vendor and a toolkit. Out: the fitted `Factors` of the most specific layer
that has them (accelerator x toolkit, vendor x toolkit, toolkit, global), from the table
shipped with ccc or one `ccc calibrate --write-factors` wrote. The fitter
(`ccc.calibration.fit`) makes these tables; prediction only reads them, so `ccc plan` does
not load the fitter.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

from ccc.performance.model import Factors
from ccc.plans import FactorValues
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "FACTORS_FILE",
    "FACTOR_NAMES",
    "FactorTable",
    "InferredPeak",
    "Layer",
    "bundled_factors",
    "keys_for",
]

# The table `ccc plan`, `estimate` and `recommend` use: fitted by `ccc calibrate
# tests/data/calibration.json --write-factors compiler/data/factors.json` on the 34 published
# rows (a test checks that it is what that fit gives today: refit after changing the model or
# the catalog).
FACTORS_FILE = Path(__file__).parent.parent / "data" / "factors.json"
FACTOR_NAMES = (
    "compute",
    "decode_compute",
    "bandwidth",
    "network",
    "network_out",
    "imbalance",
    "layer_latency",
    "sequence_overhead",
    "request_latency",
    "host_overhead",
    "hop_latency",
    "hop_latency_out",
    "moe_efficiency",
)


# Fractions of a peak cannot pass it; costs are positive; the busiest rank's load is >= 1.
_Fraction = Annotated[float, Field(gt=0, le=1)]
_Cost = Annotated[float, Field(gt=0)]


class Layer(FactorValues):
    """The factors of one layer and the rows that fixed them (each in its range: a table
    read from a file is checked value by value)."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid", allow_inf_nan=False)
    compute: _Fraction
    decode_compute: _Fraction
    bandwidth: _Fraction
    network: _Fraction
    network_out: _Fraction
    imbalance: Annotated[float, Field(ge=1)]
    layer_latency: _Cost
    sequence_overhead: _Cost
    # fitted on online rows; a table written before they were fitted has none (0)
    request_latency: Annotated[float, Field(ge=0)] = 0.0
    host_overhead: Annotated[float, Field(ge=0)] = 0.0
    hop_latency: Annotated[float, Field(ge=0)] = 0.0
    hop_latency_out: Annotated[float, Field(ge=0)] = 0.0
    moe_efficiency: _Fraction = 1.0  # a table written before it was fitted: 1 (as dense)

    def factors(self, key: str) -> Factors:
        values = {k: getattr(self, k) for k in FACTOR_NAMES}
        return Factors(**values, layer=key, rows=tuple(self.rows))

    @classmethod
    def values_of(cls, f: Factors) -> dict:
        """A prediction's factors as this model's fields (rows included)."""
        return {**{k: getattr(f, k) for k in FACTOR_NAMES}, "rows": list(f.rows)}


class InferredPeak(BaseModel):
    """A peak the catalog lacks, inferred from the chip's rows (labelled in predictions)."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid", allow_inf_nan=False)
    compute: Annotated[float, Field(gt=0)] | None  # FLOP/s per die at the rows' compute dtype
    bandwidth: Annotated[float, Field(gt=0)] | None  # bytes/s per die
    rows: list[str]


class FactorTable(BaseModel):
    """Every fitted layer, by key ("global", a toolkit, "vendor x toolkit", "chip x toolkit")."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")
    layers: dict[str, Layer]
    inferred: dict[str, InferredPeak] = Field(default_factory=dict)

    def factors_for(self, keys: Sequence[str]) -> Factors:
        for key in keys:
            if key in self.layers:
                return self.layers[key].factors(key)
        raise KeyError("no fitted layer")


def keys_for(accelerator: str, vendor: str | None, toolkits: Sequence[str]) -> tuple[str, ...]:
    """The factor layers that may serve a chip and toolkit, most specific first. `toolkits`
    is the toolkit and those it extends, nearest first: a flavour of an engine (vLLM-Kunlun,
    a site's own `extends vllm`) runs that engine's code, so where it has no layer of its
    own the engine's layers serve it before the global one."""
    keys = [
        key
        for name in toolkits
        for key in (f"{accelerator} x {name}", f"{vendor or accelerator} x {name}", name)
    ]
    return (*keys, "global")


@functools.cache
def bundled_factors() -> FactorTable:
    """The factor table shipped with ccc (see FACTORS_FILE)."""
    return FactorTable.model_validate_json(FACTORS_FILE.read_text(encoding="utf-8"))

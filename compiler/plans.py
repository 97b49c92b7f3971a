"""Core: the plan as a value, the versioned JSON `ccc plan` prints and targets read.

Pure data (pydantic, so `ccc schema plan` documents it): per plan, each role's degrees,
memory terms per device, the rank table (every device's node, local index and its rank in
each group) and the predicted performance; `Layout` is what a target needs of the cluster
beyond them. The builder is `ccc.performance.report`; this module imports nothing of ccc
but the IR, so a target that reads a plan loads no compiler stage.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

SloStatus = Literal["meets", "misses", "unproven", "no SLO"]

__all__ = [
    "FactorSource",
    "FactorValues",
    "FrontPoint",
    "Layout",
    "MemoryReport",
    "MemoryTerm",
    "Performance",
    "Plan",
    "PlanFile",
    "PlanReport",
    "RankEntry",
    "RolePlan",
    "SloStatus",
    "Term",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class MemoryTerm(_Model):
    name: str
    bytes: float
    detail: str


class MemoryReport(_Model):
    """The worst device of an instance; bytes. `kv_free` is what is left for the KV cache."""

    device_memory: float | None
    memory_fraction: float
    memory_fraction_source: str
    weights: list[MemoryTerm]
    activations: MemoryTerm
    kv_free: float | None
    kv_bytes_per_token: float
    context_tokens: int
    sequences_per_rank: int | None
    max_concurrency: int | None


class RankEntry(_Model):
    """One device of a role: where it is and its rank in every group."""

    device: int  # global index, server-major
    node: int  # server index in the cluster
    local: int  # index inside its server
    instance: int
    tp: int
    dp: int
    pp: int
    ep: int


class RolePlan(_Model):
    role: str
    tp: int
    dp: int
    pp: int
    ep: int
    extra_experts: int
    instance_devices: int
    replicas: int
    first_device: int
    devices: int
    tp_tier: str
    memory: MemoryReport
    ranks: list[RankEntry] | None = None


class Term(_Model):
    name: str
    seconds: float


class FactorValues(BaseModel):
    """Achievable fractions of peak (and fixed costs) and the calibration rows behind them."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    compute: float
    decode_compute: float
    bandwidth: float
    network: float
    network_out: float
    imbalance: float
    layer_latency: float
    sequence_overhead: float
    # what serving over HTTP adds (the `online` harness): per request before its first
    # token, per sequence of a step on the host (tables written before these were fitted: 0)
    request_latency: float = 0.0
    host_overhead: float = 0.0
    # a collective's start-up per hop where the catalog does not know the tier's latency
    hop_latency: float = 0.0
    hop_latency_out: float = 0.0
    # the routed experts' kernels' speed over the dense ones' (1: as fast)
    moe_efficiency: float = 1.0
    rows: list[str]


class FactorSource(FactorValues):
    """The calibrated factors a prediction used: the layer's key, its values, its rows."""

    layer: str


class Performance(_Model):
    """A plan's predicted performance at its operating point (per instance concurrency)."""

    concurrency: int  # requests in flight per (decode) instance
    batch: int  # sequences one instance decodes at once
    meets_slo: bool  # every SLO stated holds as predicted (True when none is stated)
    # "meets", "misses", "unproven" (meets, but the prediction rests on a figure the catalog
    # does not know: never ranked above a proven plan that meets) or "no SLO"
    slo: SloStatus = "meets"
    ttft_s: float
    tpot_s: float
    output_tokens_per_s: float  # the whole deployment
    # per device the deployment holds: idle devices count, as they are paid for
    output_tokens_per_s_per_device: float
    devices_held: int = 0
    idle_devices: int = 0  # held, but in no instance
    input_tokens_per_s_per_device: float
    tokens_per_s_per_user: float
    output_tokens_per_s_per_kw: float | None  # None where the chip's power is unknown
    # Disaggregated: each role alone, per device of that role.
    prefill_input_tokens_per_s_per_device: float | None = None
    decode_output_tokens_per_s_per_device: float | None = None
    decode_step: list[Term]  # seconds per decode step, by cause
    factors: FactorSource
    unproven: list[str]  # figures the prediction could not count or had to infer


class FrontPoint(_Model):
    """A point of the Pareto front: tokens/s per device against tokens/s per user."""

    deployment: str
    plan: str
    concurrency: int
    output_tokens_per_s_per_device: float
    tokens_per_s_per_user: float
    ttft_s: float
    tpot_s: float
    meets_slo: bool
    slo: SloStatus = "meets"


class Plan(_Model):
    deployment: str
    rank: int  # 1 is the best
    roles: list[RolePlan]
    performance: Performance | None = None


class PlanReport(_Model):
    version: int = 2
    ranking: str = (
        "predicted output tokens/s per device at the best operating point that meets the SLO; "
        "plans that miss it after, closest first (without a workload's input and output "
        "lengths: fewest devices per instance, then fewest pipeline stages, then widest "
        "expert parallelism)"
    )
    plans: list[Plan]
    pareto: list[FrontPoint] = []
    unpredicted: dict[str, str] = {}  # deployment -> why no performance was predicted


class PlanFile(_Model):
    """`plan.json` as `ccc compile` writes it: the chosen plan of one deployment, with its
    rank table, memory and prediction, and what it was compiled from."""

    version: int = 1
    ccc_version: str
    contract_digest: str  # sha256 of the deployment and the blocks it rests on
    deployment: str
    model: str
    toolkit: str
    cluster: str
    accelerator: str
    devices: int  # every device of every role and replica
    # where clients send requests on Kubernetes: the deployment's Service (for a
    # disaggregated deployment, its router's), `http://<name>:<port>`
    endpoint: str | None = None
    served_model: str | None = None  # the model name clients send
    plan: Plan


class Layout(_Model):
    """What a target needs of the cluster beyond the plan: how many devices a server holds
    (the rank table gives each device's server and local index) and whether servers are
    grouped into a supernode, whose pods must then stay inside one."""

    devices_per_server: int
    supernode: str | None = None  # the supernode's catalog name

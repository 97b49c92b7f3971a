"""Plans: placement's candidates as the versioned JSON that `ccc plan` prints.

In: the contract and placement's ranked candidates per role. Out: a `PlanReport` (pydantic,
so `ccc schema plan` documents it) with, per plan, each role's degrees, memory terms per
device and, when asked, the rank table: every device's node, local index and its rank in
each group. A disaggregated deployment pairs its roles' candidates, best first.
"""

from __future__ import annotations

from ccc.calibration.fit import Layer
from ccc.hardware.memory import MemoryBreakdown
from ccc.hardware.topology import System
from ccc.ir import known
from ccc.performance.search import Point, Search, pairings
from ccc.placement.place import Candidate, RolePlacement
from pydantic import BaseModel, ConfigDict

__all__ = [
    "FrontPoint",
    "Performance",
    "Plan",
    "PlanFile",
    "PlanReport",
    "RankEntry",
    "RolePlan",
    "build_report",
    "rank_table",
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


class FactorSource(Layer):
    """The calibrated factors a prediction used: the layer's key, its values, its rows."""

    layer: str


class Performance(_Model):
    """A plan's predicted performance at its operating point (per instance concurrency)."""

    concurrency: int  # requests in flight per (decode) instance
    batch: int  # sequences one instance decodes at once
    meets_slo: bool
    ttft_s: float
    tpot_s: float
    output_tokens_per_s: float  # the whole deployment
    output_tokens_per_s_per_device: float
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
    plan: Plan


def build_report(
    placements: dict[str, list[RolePlacement]],
    systems: dict[str, System],
    *,
    top: int,
    ranks: bool,
    searches: dict[str, Search] | None = None,
) -> PlanReport:
    plans, front, unpredicted = [], [], {}
    for name in sorted(placements):
        roles = placements[name]
        if not roles or any(not r.candidates for r in roles):
            continue
        found = (searches or {}).get(name)
        if found is not None and found.ranked:
            points = found.ranked[:top]
            combos = [p.plan for p in points]
            front += [_front_point(name, p) for p in found.front]
        else:
            points = []
            combos = pairings(roles, top)
            if found is not None and found.reason:
                unpredicted[name] = found.reason
        system = systems[name]
        for number, combo in enumerate(combos, start=1):
            role_plans = [_role_plan(c, system, ranks) for c in combo]
            performance = _performance(points[number - 1], system) if points else None
            plans.append(
                Plan(deployment=name, rank=number, roles=role_plans, performance=performance)
            )
    return PlanReport(plans=plans, pareto=front, unpredicted=unpredicted)


def _performance(p: Point, system: System) -> Performance:
    pr = p.prediction
    f = pr.factors
    power = known(system.accelerator.power)
    per_kw = None
    if isinstance(power, (int, float)) and power > 0:
        per_kw = pr.output_per_device / (float(power) / system.accelerator.dies / 1000)
    return Performance(
        concurrency=p.concurrency,
        batch=pr.batch,
        meets_slo=p.meets,
        ttft_s=pr.ttft,
        tpot_s=pr.tpot,
        output_tokens_per_s=pr.output_per_device * p.devices,
        output_tokens_per_s_per_device=pr.output_per_device,
        input_tokens_per_s_per_device=pr.input_per_device,
        tokens_per_s_per_user=pr.per_user,
        output_tokens_per_s_per_kw=per_kw,
        prefill_input_tokens_per_s_per_device=p.roles[0].input_per_device if p.roles else None,
        decode_output_tokens_per_s_per_device=p.roles[1].output_per_device if p.roles else None,
        decode_step=[Term(name=n, seconds=v) for n, v in pr.terms],
        factors=FactorSource(layer=f.layer, **Layer.values_of(f)),
        unproven=list(pr.unproven),
    )


def plan_label(plan: tuple[Candidate, ...]) -> str:
    """`tp4.dp1.pp1.ep1x2`, joined by ` + ` for prefill and decode."""
    return " + ".join(
        f"{'' if c.role == 'serve' else c.role + ' '}tp{c.degrees.tp}.dp{c.degrees.dp}"
        f".pp{c.degrees.pp}.ep{c.degrees.ep}x{c.replicas}"
        for c in plan
    )


def _front_point(name: str, p: Point) -> FrontPoint:
    return FrontPoint(
        deployment=name,
        plan=plan_label(p.plan),
        concurrency=p.concurrency,
        output_tokens_per_s_per_device=p.prediction.output_per_device,
        tokens_per_s_per_user=p.prediction.per_user,
        ttft_s=p.prediction.ttft,
        tpot_s=p.prediction.tpot,
        meets_slo=p.meets,
    )


def _role_plan(c: Candidate, system: System, ranks: bool) -> RolePlan:
    d = c.degrees
    return RolePlan(
        role=c.role,
        tp=d.tp,
        dp=d.dp,
        pp=d.pp,
        ep=d.ep,
        extra_experts=d.extra_experts,
        instance_devices=d.devices,
        replicas=c.replicas,
        first_device=c.first_device,
        devices=c.devices,
        tp_tier=c.tp_tier,
        memory=memory_report(c.memory),
        ranks=rank_table(c, system) if ranks else None,
    )


def memory_report(m: MemoryBreakdown) -> MemoryReport:
    return MemoryReport(
        device_memory=m.device_memory,
        memory_fraction=m.memory_fraction,
        memory_fraction_source=m.memory_fraction_source,
        weights=[MemoryTerm(name=t.name, bytes=t.bytes, detail=t.detail) for t in m.weights],
        activations=MemoryTerm(
            name=m.activations.name, bytes=m.activations.bytes, detail=m.activations.detail
        ),
        kv_free=m.kv_budget,
        kv_bytes_per_token=m.kv_bytes_per_token,
        context_tokens=m.context_tokens,
        sequences_per_rank=m.sequences_per_rank,
        max_concurrency=m.max_concurrency,
    )


def rank_table(c: Candidate, system: System) -> list[RankEntry]:
    """Every device of the role: TP innermost, then attention-DP (and EP over both), then
    pipeline stages; instances follow each other from the role's first device."""
    d = c.degrees
    size = d.devices
    width = d.tp * d.dp
    moe_shard = width // d.ep  # devices sharing one EP rank
    table = []
    for offset in range(c.devices):
        device = c.first_device + offset
        local_rank = offset % size
        table.append(
            RankEntry.model_construct(
                device=device,
                node=system.server_of(device),
                local=system.local_index(device),
                instance=offset // size,
                tp=local_rank % d.tp,
                dp=(local_rank // d.tp) % d.dp,
                pp=local_rank // width,
                ep=(local_rank % width) // moe_shard,
            )
        )
    return table

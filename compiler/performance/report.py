"""Performance: the plan report, placement's candidates and their predictions as plans.

In: placement's ranked candidates per role, each deployment's `System` and, when predicted,
its `Search`. Out: a `ccc.plans.PlanReport` with, per plan, each role's degrees, memory
terms per device and, when asked, the rank table. A disaggregated deployment pairs its
roles' candidates, best first; without a prediction, placement's order ranks them.
"""

from __future__ import annotations

from ccc.hardware.memory import MemoryBreakdown
from ccc.hardware.topology import System
from ccc.ir import known
from ccc.performance.factors import Layer
from ccc.performance.search import Point, Search, pairings
from ccc.placement.place import Candidate, RolePlacement
from ccc.plans import (
    FactorSource,
    FrontPoint,
    Layout,
    MemoryReport,
    MemoryTerm,
    Performance,
    Plan,
    PlanReport,
    RankEntry,
    RolePlan,
    Term,
)

__all__ = ["build_report", "layout_of", "memory_report", "plan_label", "rank_table"]


def layout_of(system: System) -> Layout:
    """What targets read of `system` besides the plan."""
    supernode = system.supernode.name if system.supernode is not None else None
    return Layout(devices_per_server=system.devices_per_server, supernode=supernode)


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
        slo=p.slo,
        ttft_s=pr.ttft,
        tpot_s=pr.tpot,
        output_tokens_per_s=pr.output_per_device * p.devices,
        output_tokens_per_s_per_device=pr.output_per_device,
        devices_held=p.devices,
        idle_devices=p.idle,
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
        slo=p.slo,
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

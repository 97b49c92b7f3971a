"""Plans: placement's candidates as the versioned JSON that `ccc plan` prints.

In: the contract and placement's ranked candidates per role. Out: a `PlanReport` (pydantic,
so `ccc schema plan` documents it) with, per plan, each role's degrees, memory terms per
device and, when asked, the rank table: every device's node, local index and its rank in
each group. A disaggregated deployment pairs its roles' candidates, best first.
"""

from __future__ import annotations

import itertools

from ccc.memory import MemoryBreakdown
from ccc.placement import Candidate, RolePlacement
from ccc.topology import System
from pydantic import BaseModel, ConfigDict

__all__ = ["Plan", "PlanReport", "RankEntry", "RolePlan", "build_report", "rank_table"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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


class Plan(_Model):
    deployment: str
    rank: int  # 1 is the best
    roles: list[RolePlan]


class PlanReport(_Model):
    version: int = 1
    ranking: str = (
        "fewest devices per instance, then fewest pipeline stages, then widest expert "
        "parallelism (until the performance model ranks plans)"
    )
    plans: list[Plan]


def build_report(
    placements: dict[str, list[RolePlacement]],
    systems: dict[str, System],
    *,
    top: int,
    ranks: bool,
) -> PlanReport:
    plans = []
    for name in sorted(placements):
        roles = placements[name]
        if not roles or any(not r.candidates for r in roles):
            continue
        for number, combo in enumerate(_best_combinations(roles, top), start=1):
            role_plans = [_role_plan(c, systems[name], ranks) for c in combo]
            plans.append(Plan(deployment=name, rank=number, roles=role_plans))
    return PlanReport(plans=plans)


def _best_combinations(roles: list[RolePlacement], top: int) -> list[tuple[Candidate, ...]]:
    """The `top` pairings of the roles' candidates with the smallest summed rank."""
    indexed = [list(enumerate(r.candidates[:top])) for r in roles]
    combos = sorted(
        itertools.product(*indexed), key=lambda c: (sum(i for i, _ in c), [i for i, _ in c])
    )
    return [tuple(candidate for _, candidate in combo) for combo in combos[:top]]


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

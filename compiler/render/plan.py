"""Plans as a terminal table: one row per plan and role, then the best plan's memory terms."""

from __future__ import annotations

from ccc.ir import Contract
from ccc.memory import gib
from ccc.plans import PlanReport, RolePlan
from ccc.render import columns
from ccc.topology import System

__all__ = ["render_plans"]

_HEADER = (
    "#",
    "role",
    "tp",
    "dp",
    "pp",
    "ep",
    "inst x repl",
    "devices",
    "TP on",
    "weights/dev",
    "KV free/dev",
    "max conc.",
)


def render_plans(report: PlanReport, contract: Contract, systems: dict[str, System | None]) -> str:
    lines: list[str] = []
    for name in sorted({p.deployment for p in report.plans}):
        plans = [p for p in report.plans if p.deployment == name]
        system = systems.get(name)
        lines.append(f"deployment {name}: {_system_line(system)}")
        rows = [_HEADER] + [_row(p.rank, r) for p in plans for r in p.roles]
        lines += columns(rows)
        lines.append(
            f"memory per device of plan 1 ({plans[0].roles[0].memory.memory_fraction_source}"
            f", {plans[0].roles[0].memory.memory_fraction:g} of memory):"
        )
        for role in plans[0].roles:
            lines += _memory_lines(role)
        for role in plans[0].roles:
            if role.ranks is not None:
                lines += _rank_lines(role)
        lines.append("")
    if not report.plans:
        lines.append("no plan satisfies the contract; the diagnostics say why")
    else:
        lines.append(f"ranked by {report.ranking}")
    return "\n".join(lines) + "\n"


def _system_line(system: System | None) -> str:
    if system is None:
        return "no cluster"
    return (
        f"{system.devices} x {system.accelerator.name} devices in {system.servers} server(s) of "
        f"{system.devices_per_server}, scale-up domains of {system.domain_size}"
    )


def _row(rank: int, r: RolePlan) -> tuple[str, ...]:
    m = r.memory
    return (
        str(rank),
        r.role,
        str(r.tp),
        str(r.dp),
        str(r.pp),
        str(r.ep),
        f"{r.instance_devices} x {r.replicas}",
        str(r.devices),
        r.tp_tier,
        gib(sum(t.bytes for t in m.weights)),
        "unknown" if m.kv_free is None else gib(m.kv_free),
        "unknown" if m.max_concurrency is None else str(m.max_concurrency * r.replicas),
    )


def _memory_lines(role: RolePlan) -> list[str]:
    m = role.memory
    lines = [f"  {role.role}:"]
    for term in [*m.weights, m.activations]:
        lines.append(f"    {term.name:<15} {gib(term.bytes):>11}  {term.detail}")
    per_token = m.kv_bytes_per_token
    lines.append(
        f"    {'KV cache':<15} {per_token / 1024:>7.1f} KiB per token, {m.context_tokens} tokens per request"
    )
    return lines


_RANK_HEADER = ("device", "node", "local", "instance", "tp", "dp", "ep", "pp")


def _rank_lines(role: RolePlan) -> list[str]:
    """Plan 1's rank table: where every device of the role sits and its rank in each group."""
    rows = [_RANK_HEADER] + [
        tuple(str(getattr(entry, field)) for field in _RANK_HEADER) for entry in role.ranks or []
    ]
    return [f"ranks of plan 1, {role.role}:", *columns(rows)]

"""Render: plans as a terminal table, a row per plan and role, then the best plan's memory."""

from __future__ import annotations

from ccc.hardware.memory import gib
from ccc.hardware.topology import System
from ccc.ir import Contract
from ccc.plans import FrontPoint, Performance, Plan, PlanReport, RolePlan
from ccc.render import columns, duration

__all__ = ["render_plans", "seconds"]

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


_PERFORMANCE_HEADER = (
    "#",
    "conc./inst",
    "TTFT",
    "TPOT",
    "tok/s/device",
    "tok/s/user",
    "tok/s total",
    "tok/s/kW",
    "SLO",
    "factors",
)


def render_plans(
    report: PlanReport,
    contract: Contract,
    systems: dict[str, System | None],
    explain: bool = False,
) -> str:
    lines: list[str] = []
    for name in sorted({p.deployment for p in report.plans}):
        plans = [p for p in report.plans if p.deployment == name]
        system = systems.get(name)
        lines.append(f"deployment {name}: {_system_line(system)}")
        rows = [_HEADER] + [_row(p.rank, r) for p in plans for r in p.roles]
        lines += columns(rows)
        lines += _performance_lines(name, plans, report)
        if explain and plans[0].performance is not None:
            lines += explain_lines(plans[0].performance)
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


def _performance_lines(name: str, plans: list[Plan], report: PlanReport) -> list[str]:
    if name in report.unpredicted:
        return [f"performance not predicted: {report.unpredicted[name]}"]
    rows = [_PERFORMANCE_HEADER] + [
        _performance_row(p.rank, p.performance) for p in plans if p.performance is not None
    ]
    if len(rows) == 1:
        return []
    lines = ["predicted (per instance concurrency, tokens/s of output):", *columns(rows)]
    for p in plans:
        if p.performance is not None and p.performance.idle_devices:
            held, idle = p.performance.devices_held, p.performance.idle_devices
            lines.append(
                f"  plan {p.rank} leaves {idle} of the {held} devices the deployment holds "
                "idle; its tokens/s per device counts them"
            )
    front = [f for f in report.pareto if f.deployment == name]
    if len(front) > 1:
        lines += ["Pareto front (tokens/s per device against tokens/s per user):"]
        lines += columns([_FRONT_HEADER] + [_front_row(f) for f in front])
    return lines


def _performance_row(rank: int, p: Performance) -> tuple[str, ...]:
    return (
        str(rank),
        str(p.concurrency),
        seconds(p.ttft_s),
        seconds(p.tpot_s),
        f"{p.output_tokens_per_s_per_device:.0f}",
        f"{p.tokens_per_s_per_user:.1f}",
        f"{p.output_tokens_per_s:.0f}",
        "unknown"
        if p.output_tokens_per_s_per_kw is None
        else f"{p.output_tokens_per_s_per_kw:.0f}",
        p.slo,
        p.factors.layer + (" (unproven)" if p.unproven else ""),
    )


_FRONT_HEADER = ("plan", "conc./inst", "tok/s/device", "tok/s/user", "TTFT", "TPOT", "SLO")


def _front_row(f: FrontPoint) -> tuple[str, ...]:
    return (
        f.plan,
        str(f.concurrency),
        f"{f.output_tokens_per_s_per_device:.0f}",
        f"{f.tokens_per_s_per_user:.1f}",
        seconds(f.ttft_s),
        seconds(f.tpot_s),
        f.slo,
    )


def explain_lines(p: Performance) -> list[str]:
    """Plan 1's prediction term by term, and where its factors came from."""
    f = p.factors
    lines = [
        f"how plan 1 was predicted (batch {p.batch} sequences per instance):",
        "  decode step, seconds by cause (each class of kernel bound by its compute or its "
        "memory, the classes summed, expert traffic overlapped with them, plus the rest):",
    ]
    lines += [f"    {t.name:<32} {seconds(t.seconds):>10}" for t in p.decode_step]
    lines.append(
        f"  factors of layer `{f.layer}`: compute {f.compute:.3f} in prefill and "
        f"{f.decode_compute:.3f} in decode, memory bandwidth "
        f"{f.bandwidth:.3f}, scale-up network {f.network:.3f}, scale-out network "
        f"{f.network_out:.3f} of peak; expert imbalance {f.imbalance:.2f}; "
        f"{f.layer_latency * 1e6:.1f} us per layer, {f.sequence_overhead * 1e6:.1f} us per "
        f"sequence per step; over HTTP {f.request_latency * 1e3:.1f} ms per request and "
        f"{f.host_overhead * 1e6:.1f} us per sequence per step; collectives "
        f"{f.hop_latency * 1e6:.2f} us per hop inside a server or supernode and "
        f"{f.hop_latency_out * 1e6:.2f} us between servers where the catalog has no latency; "
        f"routed experts at {f.moe_efficiency:.2f} of the dense kernels' speed"
    )
    fitted = ", ".join(f.rows) if f.rows else "no rows"
    lines.append(f"  fitted on {len(f.rows)} calibration rows: {fitted}")
    if p.unproven:
        lines.append(f"  unproven: {', '.join(p.unproven)}")
    return lines


def seconds(value: float) -> str:
    """A table cell: a duration, or `-` for a term that costs nothing."""
    return duration(value) if value > 0 else "-"


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

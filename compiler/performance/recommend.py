"""Performance: `ccc estimate` and `ccc recommend`, the quick questions from catalog names alone.

In: the standard catalog (and site catalogs), a model, a server or supernode name, a workload
and degrees (estimate) or an SLO and a target output rate (recommend). Out: the same plans and
predictions `ccc plan` gives, for a contract ccc writes itself: one deployment on the smallest
cluster of that system holding the devices. Placement checks it as it checks any contract, so
a layout that does not fit is refused with the same diagnostics.
"""

from __future__ import annotations

from typing import NamedTuple

from ccc import codes
from ccc.diagnostics import Diagnostic, Severity
from ccc.front.support import toolkit_support
from ccc.hardware.topology import System
from ccc.ir import Contract, Deployment, Parallel, Role, Slo, Workload, build
from ccc.performance.factors import FactorTable
from ccc.performance.report import build_report
from ccc.performance.scenarios import instance_system
from ccc.performance.search import Search, search
from ccc.placement.place import place
from ccc.plans import PlanReport

__all__ = ["Answer", "Ask", "default_toolkit", "estimate", "recommend"]

_NAME = "estimate"


class Ask(NamedTuple):
    """What the user asked, by catalog names."""

    model: str
    system: str
    toolkit: str | None = None
    weights: str | None = None
    kv_cache: str | None = None
    input_tokens: int = 1024
    output_tokens: int = 1024
    concurrency: int | None = None
    requests: int | None = None  # a benchmark run's requests; None: sustained load
    ttft: float | None = None  # s
    tpot: float | None = None  # s


class Answer(NamedTuple):
    report: PlanReport
    diagnostics: list[Diagnostic]
    system: System | None
    devices: int


def default_toolkit(contract: Contract, accelerator: str) -> str | None:
    """The first toolkit with a launcher that lists the chip: those with an engine target
    first, the engines most deployments use before others, then any other by name."""
    from ccc.targets import engine_toolkits

    preferred = engine_toolkits()
    rank = {name: i for i, name in enumerate(preferred)}
    names = sorted(contract.toolkits, key=lambda n: (rank.get(n, len(preferred)), n))
    for name in names:
        toolkit = contract.toolkits[name]
        if toolkit.launcher and accelerator in toolkit.accelerators:
            return name
    return None


def estimate(
    contract: Contract,
    ask: Ask,
    devices: int,
    degrees: dict[str, int | None],
    prefill_devices: int | None = None,
    factors: FactorTable | None = None,
) -> Answer:
    """One deployment of `devices` devices with the given degrees (None: auto)."""
    system = instance_system(contract, ask.system, devices)
    if system is None:
        raise ValueError(f"the catalog has no server or supernode `{ask.system}`")
    parallel = build(Parallel, {k: v for k, v in degrees.items() if v is not None})
    deployment = _deployment(contract, ask, system, devices, parallel, prefill_devices)
    trial = contract.model_copy(
        update={
            "clusters": {**contract.clusters, system.cluster.name: system.cluster},
            "deployments": {_NAME: deployment},
        }
    )
    # What the toolkit cannot run is the reason, whatever the size: said first, as `ccc plan`
    # says it (placement only declines such a deployment).
    refusals = [d for d in toolkit_support(trial, deployment) if d.severity is Severity.ERROR]
    placements, diagnostics = place(trial)
    found: Search = search(trial, _NAME, placements.get(_NAME, []), factors)
    report = build_report(placements, {_NAME: system}, top=5, ranks=False, searches={_NAME: found})
    return Answer(report, refusals + diagnostics + found.diagnostics, system, devices)


def _deployment(
    contract: Contract,
    ask: Ask,
    system: System,
    devices: int,
    parallel: Parallel,
    prefill_devices: int | None,
) -> Deployment:
    toolkit = ask.toolkit or default_toolkit(contract, system.accelerator.name)
    # A question about load, as a benchmark client asks it: what the KV cache cannot hold
    # waits in the engine's queue (CC4005 says how many) instead of refusing the plan.
    workload: dict[str, object] = {
        "input_tokens": float(ask.input_tokens),
        "output_tokens": float(ask.output_tokens),
        "queue": True,
    }
    if ask.concurrency is not None:
        workload["concurrency"] = ask.concurrency
    if ask.requests is not None:
        workload["requests"] = ask.requests
    slo = {k: v for k, v in (("ttft", ask.ttft), ("tpot", ask.tpot)) if v is not None}
    values: dict[str, object] = {
        "name": _NAME,
        "model": ask.model,
        "cluster": system.cluster.name,
        "toolkit": toolkit,
        "weights": ask.weights,
        "kv_cache": ask.kv_cache,
        "devices": devices,
        "workload": build(Workload, workload),
        "slo": build(Slo, slo),
        "parallel": parallel,
    }
    if prefill_devices:
        values["prefill"] = build(Role, {"devices": prefill_devices})
        values["decode"] = build(Role, {"devices": devices - prefill_devices})
    return build(Deployment, {k: v for k, v in values.items() if v is not None})


# --- recommend -------------------------------------------------------------------------------


class Recommendation(NamedTuple):
    answer: Answer | None  # the smallest deployment that serves the rate under the SLO
    tried: list[tuple[int, str, float | None, bool]]  # devices, layout, tokens/s, meets SLO
    # with no answer: the errors of the largest deployment tried (what blocks every size)
    blocked: list[Diagnostic]


def recommend(
    contract: Contract,
    ask: Ask,
    rate: float,
    max_devices: int = 65536,
    factors: FactorTable | None = None,
) -> Recommendation:
    """The fewest devices (whole servers, or supernode slices of whole servers) that serve
    `rate` output tokens/s under the SLO, aggregated or with prefill and decode split."""
    unit = _unit(contract, ask.system)
    tried: list[tuple[int, str, float | None, bool]] = []
    low, high = 0, None
    servers = 1
    blocked: list[Diagnostic] = []
    while servers * unit <= max_devices:  # grow until some layout serves the rate
        answer, blocked = _best(contract, ask, servers * unit, unit, rate, tried, factors)
        if answer is not None:
            high = (servers, answer)
            break
        if _unsupported(blocked):
            break  # the toolkit cannot run it at any size
        low = servers
        servers = servers * 2
    if high is None:
        return Recommendation(None, tried, blocked)
    best_servers, best = high
    while best_servers - low > 1:  # the fewest servers between the last miss and the first hit
        middle = (low + best_servers) // 2
        answer, _ = _best(contract, ask, middle * unit, unit, rate, tried, factors)
        if answer is None:
            low = middle
        else:
            best_servers, best = middle, answer
    return Recommendation(best, tried, [])


def _unit(contract: Contract, system: str) -> int:
    supernode = contract.supernodes.get(system)
    server = contract.servers.get(supernode.server or "" if supernode else system)
    if server is None:
        raise ValueError(f"the catalog has no server or supernode `{system}`")
    return server.devices or 1


def _unsupported(diagnostics: list[Diagnostic]) -> bool:
    return any(d.code == codes.TOOLKIT_UNSUPPORTED.code for d in diagnostics)


def _best(
    contract: Contract,
    ask: Ask,
    devices: int,
    unit: int,
    rate: float,
    tried: list,
    factors: FactorTable | None,
) -> tuple[Answer | None, list[Diagnostic]]:
    """The better of aggregated and (from two servers of `unit` devices) disaggregated, if
    either serves `rate` under the SLO; and the errors of the aggregated layout."""
    layouts: list[tuple[str, int | None]] = [("aggregated", None)]
    if devices >= 2 * unit:  # half the servers (rounded down) prefill, the rest decode
        layouts.append(("disaggregated", devices // unit // 2 * unit))
    serving = []
    errors: list[Diagnostic] = []
    for label, prefill in layouts:
        answer = estimate(contract, ask, devices, {}, prefill, factors)
        if prefill is None:
            errors = [d for d in answer.diagnostics if d.severity is Severity.ERROR]
        best = [p.performance for p in answer.report.plans if p.rank == 1 and p.performance]
        total = best[0].output_tokens_per_s if best else None
        meets = bool(best) and best[0].meets_slo
        tried.append((devices, label, total, meets))
        if meets and total is not None and total >= rate:
            serving.append((best[0].output_tokens_per_s_per_device, answer))
    if not serving:
        return None, errors
    return max(serving, key=lambda s: s[0])[1], []

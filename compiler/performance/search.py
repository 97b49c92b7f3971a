"""Performance: every plan's predicted performance, the best one under the SLO, the Pareto front.

In: a contract and placement's feasible candidates per role. Out: for each deployment, its
plans ranked by output tokens/s per device at the best operating point that meets the SLO
(the concurrency the contract states, or, when it states none, the best of a sweep of powers
of two up to what the KV cache holds), the Pareto front of tokens/s per device against
tokens/s per user over every point tried, and the diagnostics: CC4001 when no point meets the
SLO (naming the closest and what it misses by), CC4002 when a prediction rests on a figure
the catalog does not know, CC4005 when the best plan holds fewer requests than are in flight
(the rest wait, and TTFT counts it).

A disaggregated deployment pairs a prefill and a decode candidate: the decode side sets TPOT
and the request rate, the prefill side the time to first token (its prompt latency, its
queue at that rate, and the KV cache's transfer to the decode side).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ccc import codes
from ccc.diagnostics import Diagnostic
from ccc.front.checks import footprint
from ccc.front.support import smaller_kv_cache
from ccc.hardware.topology import System, system_of
from ccc.ir import Contract, Deployment, figure, known, lineage
from ccc.limits import MAX_PAIRINGS, MAX_SWEEP
from ccc.performance.factors import FactorTable, bundled_factors, keys_for
from ccc.performance.model import Factors, Prediction, Scenario, predict, work
from ccc.performance.scenarios import Traffic, scenario
from ccc.placement.setting import Candidate, RolePlacement
from ccc.plans import SloStatus
from ccc.render import duration

__all__ = ["Point", "Search", "describe", "pairings", "pareto", "search", "sweep", "traffic_of"]


class Point(NamedTuple):
    """One plan (a candidate per role) at one concurrency per instance."""

    plan: tuple[Candidate, ...]
    concurrency: int  # requests in flight per (decode) instance
    prediction: Prediction
    devices: int  # the deployment holds (its `devices`, default all), used or idle
    meets: bool  # every SLO the contract states holds (True when it states none)
    shortfall: float  # the worst ratio of predicted to allowed; <= 1 when it meets
    roles: tuple[Prediction, ...] = ()  # prefill and decode alone, when disaggregated
    idle: int = 0  # devices the deployment holds that no instance uses
    # "meets", "misses", "unproven" (meets on a prediction resting on an unknown figure)
    # or "no SLO" (none stated)
    slo: SloStatus = "meets"


class Search(NamedTuple):
    ranked: list[Point]  # each plan's best point, best plan first
    front: list[Point]  # Pareto front: per device vs per user, highest per-user first
    diagnostics: list[Diagnostic]
    reason: str | None  # why nothing was predicted, when nothing was


def search(
    contract: Contract,
    name: str,
    roles: Sequence[RolePlacement],
    table: FactorTable | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Search:
    """Predict the plans of deployment `name` and rank them under its SLO."""
    deployment = contract.deployments[name]
    system = system_of(contract, deployment.cluster or "")
    reason = _unpredictable(deployment)
    if system is None or reason is not None or not roles or any(not r.candidates for r in roles):
        return Search([], [], [], reason)
    table = table or bundled_factors()
    plans = _plans(roles)
    points: list[Point] = []
    best: list[Point] = []
    for index, plan in enumerate(plans):
        tried = sweep(contract, deployment, system, plan, table)
        points += tried
        best.append(min(tried, key=_order))
        if progress is not None:
            progress(index + 1, len(plans))
    ranked = sorted(best, key=_order)
    if deployment.workload.requests is not None:  # a benchmark run: simulate what is shown
        ranked = _simulated(contract, deployment, system, ranked, table)
    kv_hint = smaller_kv_cache(contract, deployment)
    return Search(ranked, pareto(points), _diagnostics(deployment, ranked, kv_hint), None)


def _unpredictable(deployment: Deployment) -> str | None:
    w = deployment.workload
    if not known(w.input_tokens) or not known(w.output_tokens):
        return "the workload states no input_tokens and output_tokens"
    return None


def _plans(roles: Sequence[RolePlacement]) -> list[tuple[Candidate, ...]]:
    if len(roles) == 1:
        return [(c,) for c in roles[0].candidates]
    return pairings(roles, MAX_PAIRINGS)


def pairings(roles: Sequence[RolePlacement], top: int) -> list[tuple[Candidate, ...]]:
    """The `top` pairings of the roles' candidates with the smallest summed placement rank,
    so a split deployment tries every role's better candidates, not one role's first."""
    indexed = [list(enumerate(r.candidates[:top])) for r in roles]
    combos = sorted(
        itertools.product(*indexed), key=lambda c: (sum(i for i, _ in c), [i for i, _ in c])
    )
    return [tuple(candidate for _, candidate in combo) for combo in combos[:top]]


def _order(p: Point) -> tuple:
    # Plans that meet the SLO first, by throughput per device, those whose prediction is
    # proven before those resting on an unknown figure; the others by how close.
    if p.meets:
        return (1 if p.prediction.unproven else 0, -p.prediction.output_per_device)
    return (2, p.shortfall)


# --- one plan ---------------------------------------------------------------------------------


def traffic_of(contract: Contract, deployment: Deployment, phase: str) -> Traffic:
    """The workload of `deployment` as the model reads it (concurrency set per point)."""
    w = deployment.workload
    model = contract.models[deployment.model or ""]
    acceptance = w.acceptance
    if acceptance is None and w.draft_tokens:
        acceptance = float(known(model.mtp_acceptance) or 0.0)
    return Traffic(
        phase=phase,
        input_tokens=int(known(w.input_tokens) or 0),
        output_tokens=int(known(w.output_tokens) or 0),
        cached_fraction=w.prefix_cache_hit,
        draft_tokens=w.draft_tokens,
        acceptance=acceptance or 0.0,
        ideal_balance=w.expert_balance == 1,
        dataset=w.dataset,
        min_fraction=w.min_fraction,
        request_rate=w.request_rate,
        harness=w.harness,
    )


# The plans `ccc plan` refines by simulating their run (more than `--top` shows by default).
REFINED = 10


def _simulated(
    contract: Contract,
    deployment: Deployment,
    system: System,
    ranked: list[Point],
    table: FactorTable,
) -> list[Point]:
    """The first REFINED plans, each at the concurrency the closed form chose, predicted by
    simulating the workload's benchmark run (`performance.simulate`), then re-ranked; a
    disaggregated plan keeps its closed form."""
    from ccc.performance.simulate import MAX_REQUESTS, simulate

    refined = []
    for point in ranked[:REFINED]:
        if len(point.plan) != 1:
            refined.append(point)
            continue
        scenarios, factors, inferred = _scenarios(contract, deployment, system, point.plan, table)
        if (scenarios[0].run_requests or 0) > MAX_REQUESTS:
            refined.append(point)
            continue
        s = scenarios[0]._replace(concurrency=point.concurrency)
        prediction = simulate(s, work(s), factors)
        prediction = prediction._replace(unproven=prediction.unproven + inferred)
        refined.append(_point(deployment, system, point.plan, point.concurrency, prediction))
    return sorted(refined, key=_order) + ranked[REFINED:]


def _scenarios(
    contract: Contract,
    deployment: Deployment,
    system: System,
    plan: tuple[Candidate, ...],
    table: FactorTable,
) -> tuple[list[Scenario], Factors, tuple[str, ...]]:
    """Each role's scenario, the factors of its layer and the peaks inferred for it."""
    toolkit = contract.toolkits.get(deployment.toolkit or "")
    model = contract.models[deployment.model or ""]
    accelerator = system.accelerator
    toolkits = lineage(contract.toolkits, toolkit.name) if toolkit else ("",)
    factors = table.factors_for(keys_for(accelerator.name, accelerator.vendor, toolkits))
    split = len(plan) == 2
    scenarios = []
    requests = deployment.workload.requests
    told = launched_by_ccc(contract, deployment)
    for c in plan:
        phase = c.role if split else "both"
        traffic = traffic_of(contract, deployment, phase)
        if requests is not None:  # a benchmark run's requests, spread over the instances
            traffic = traffic._replace(run_requests=-(-requests // plan[-1].replicas))
        s = scenario(system, model, toolkit, deployment, c.degrees, traffic, c.first_device, told)
        scenarios.append(s)
    inferred = _inferred(scenarios[0], table, accelerator.name)
    if inferred:
        scenarios = [_with_inferred(s, table, accelerator.name) for s in scenarios]
    return scenarios, factors, inferred


def sweep(
    contract: Contract,
    deployment: Deployment,
    system: System,
    plan: tuple[Candidate, ...],
    table: FactorTable,
) -> list[Point]:
    """The plan at the contract's concurrency, or at each power of two it can hold."""
    scenarios, factors, inferred = _scenarios(contract, deployment, system, plan, table)
    split = len(plan) == 2
    serving = plan[-1]
    points = []
    for concurrency in _concurrencies(deployment, serving, scenarios[-1]):
        roles: tuple[Prediction, ...] = ()
        if split:
            prediction, roles = _disaggregated(plan, scenarios, concurrency, factors, system)
        else:
            s = scenarios[0]._replace(concurrency=concurrency)
            prediction = predict(s, work(s), factors)
        if inferred:
            prediction = prediction._replace(unproven=prediction.unproven + inferred)
        point = _point(deployment, system, plan, concurrency, prediction)
        points.append(point._replace(roles=roles))
    return points


def _inferred(s: Scenario, table: FactorTable, chip: str) -> tuple[str, ...]:
    """Peaks the catalog lacks that calibration inferred for this chip."""
    peak = table.inferred.get(chip)
    if peak is None:
        return ()
    hw = s.hardware
    missing = (("compute", hw.compute, peak.compute), ("bandwidth", hw.bandwidth, peak.bandwidth))
    return tuple(
        f"{name} inferred from calibration rows"
        for name, have, guess in missing
        if have is None and guess is not None
    )


def _with_inferred(s: Scenario, table: FactorTable, chip: str) -> Scenario:
    """A chip's peaks the catalog lacks, from the factor table's inference."""
    peak = table.inferred[chip]
    hw = s.hardware
    compute = hw.compute or peak.compute
    return s._replace(
        hardware=hw._replace(
            compute=compute,
            attention=hw.attention or compute,
            bandwidth=hw.bandwidth or peak.bandwidth,
        )
    )


def launched_by_ccc(contract: Contract, deployment: Deployment) -> bool:
    """Whether an engine target launches the deployment, writing its batch flag."""
    from ccc.targets import engine_for

    return engine_for(lineage(contract.toolkits, deployment.toolkit or "")) is not None


def _concurrencies(deployment: Deployment, serving: Candidate, s: Scenario) -> list[int]:
    stated = deployment.workload.concurrency
    if stated is not None:
        return [max(1, -(-stated // serving.replicas))]
    return sweep_concurrencies(s)


def sweep_concurrencies(s: Scenario) -> list[int]:
    """The concurrencies a sweep tries: every one the KV cache and the engine's cap hold, in
    powers of two and the midpoints between them."""
    limit = s.memory.max_concurrency or 1
    if s.max_batch:
        limit = min(limit, s.max_batch * s.degrees.dp)
    limit = max(1, min(limit, MAX_SWEEP))
    # Powers of two and the midpoints between them (1, 2, 3, 4, 6, 8, 12, ...).
    values = [v for k in range(limit.bit_length()) for v in (2**k, 3 * 2**k // 2) if v <= limit]
    return sorted({*values, limit})


def best_under_slo(s: Scenario, f: Factors, ttft: float | None, tpot: float | None) -> int | None:
    """The concurrency of `s` with the most output per device whose TTFT and TPOT (closed
    form, seconds) meet the bounds given, None when none does. The sweep `ccc plan` runs
    finds the best of its concurrencies; between it and the next one tried, the largest that
    still meets the bounds is found by bisection (latency grows with the batch), so the
    point is the best under the bounds, not the best of a grid."""

    def meets(concurrency: int) -> tuple[bool, float]:
        at = s._replace(concurrency=concurrency)
        p = predict(at, work(at), f, explain=False)
        ok = (ttft is None or p.ttft <= ttft) and (tpot is None or p.tpot <= tpot)
        return ok, p.output_per_device

    results = [(c, *meets(c)) for c in sweep_concurrencies(s)]
    passing = [(out, c) for c, ok, out in results if ok]
    if not passing:
        return None
    most, best = max(passing)
    low, high = best, min((c for c, ok, _ in results if c > best and not ok), default=best)
    while high - low > 1:  # `low` meets the bounds, `high` does not
        middle = (low + high) // 2
        ok, out = meets(middle)
        if not ok:
            high = middle
            continue
        low = middle
        if out >= most:
            most, best = out, middle
    return best


def _disaggregated(
    plan: tuple[Candidate, ...],
    scenarios: list[Scenario],
    concurrency: int,
    factors: Factors,
    system: System,
) -> tuple[Prediction, tuple[Prediction, Prediction]]:
    """Decode sets TPOT and the request rate; prefill adds its latency, queue and transfer.
    Returns the deployment's prediction and each role's alone (prefill, decode)."""
    prefill, decode = plan
    ps, ds = scenarios[0], scenarios[1]._replace(concurrency=concurrency)
    p = predict(ps, work(ps), factors)
    d = predict(ds, work(ds), factors)
    prompt = max(ps.input_tokens, 1)
    output = max(ds.output_tokens, 1)
    prefill_devices = prefill.degrees.devices
    prefill_capacity = p.input_per_device * prefill_devices * prefill.replicas / prompt
    decode_rate = d.output_per_device * decode.degrees.devices * decode.replicas / output
    rate = min(decode_rate, prefill_capacity)  # requests/s the deployment completes
    busy = min(rate / prefill_capacity, 0.95) if prefill_capacity else 0.95
    service = prefill.replicas / prefill_capacity if prefill_capacity else 0.0
    queue = busy / (2 * (1 - busy)) * service
    # Requests a decode instance cannot hold wait for completions there (Little's law).
    waiting = max(concurrency - d.batch, 0)
    if waiting and rate:
        queue += waiting * decode.replicas / rate
    transfer = _kv_transfer(ps, prefill.first_device, decode.first_device, system)
    devices = prefill.devices + decode.devices
    out = rate * output / devices
    inp = rate * prompt / devices
    ttft = p.ttft + queue + transfer
    terms = (*d.terms, ("prefill of one prompt", p.ttft), ("KV transfer", transfer))
    combined = Prediction(
        ttft=ttft,
        tpot=d.tpot,
        output_per_device=out,
        input_per_device=inp,
        total_per_device=out + inp,
        per_user=d.per_user,
        batch=d.batch,
        factors=d.factors,
        terms=terms,
        unproven=tuple(dict.fromkeys(p.unproven + d.unproven)),
    )
    return combined, (p, d)


def _kv_transfer(s: Scenario, source: int, target: int, system: System) -> float:
    """One prompt's KV cache, sent by every prefill device in parallel over the tier that
    joins the two roles."""
    tier = system.tier_between(source, target)
    if not tier.bandwidth:
        return 0.0
    per_device = s.input_tokens * (1 - s.cached_fraction) * s.memory.kv_bytes_per_token
    return per_device / tier.bandwidth + (tier.latency or 0.0)


def _point(
    deployment: Deployment,
    system: System,
    plan: tuple[Candidate, ...],
    concurrency: int,
    p: Prediction,
) -> Point:
    """The plan at `concurrency`, its throughput per device over every device the
    deployment holds: devices it leaves idle are paid for all the same."""
    used = sum(c.devices for c in plan)
    held = max(footprint(deployment, system), used)
    share = used / held
    p = p._replace(
        output_per_device=p.output_per_device * share,
        input_per_device=p.input_per_device * share,
        total_per_device=p.total_per_device * share,
    )
    ratios = _ratios(deployment, p, held)
    worst = max(ratios.values(), default=0.0)
    meets = worst <= 1.0
    status: SloStatus = "misses" if not meets else "no SLO" if not ratios else "meets"
    if status == "meets" and p.unproven:
        status = "unproven"
    return Point(plan, concurrency, p, held, meets, worst, idle=held - used, slo=status)


def _ratios(deployment: Deployment, p: Prediction, devices: int) -> dict[str, float]:
    """Predicted over allowed for each SLO stated (above 1: missed)."""
    slo = deployment.slo
    ttft, tpot = figure(slo.ttft), figure(slo.tpot)
    throughput, per_device = figure(slo.throughput), figure(slo.throughput_per_device)
    ratios = {}
    if ttft:
        ratios["ttft"] = p.ttft / ttft
    if tpot:
        ratios["tpot"] = p.tpot / tpot
    if throughput:
        ratios["throughput"] = throughput / max(p.output_per_device * devices, 1e-12)
    if per_device:
        ratios["throughput_per_device"] = per_device / max(p.output_per_device, 1e-12)
    return ratios


def pareto(points: Sequence[Point]) -> list[Point]:
    """Points no other beats on both tokens/s per device and tokens/s per user."""
    ordered = sorted(
        points, key=lambda p: (-p.prediction.per_user, -p.prediction.output_per_device)
    )
    front: list[Point] = []
    for p in ordered:
        if not front or p.prediction.output_per_device > front[-1].prediction.output_per_device:
            front.append(p)
    return front


# --- diagnostics ------------------------------------------------------------------------------

_SLO_OPS = {"ttft": "<=", "tpot": "<=", "throughput": ">=", "throughput_per_device": ">="}


def _diagnostics(
    deployment: Deployment, ranked: list[Point], kv_hint: str | None
) -> list[Diagnostic]:
    found = []
    if ranked and not any(p.meets for p in ranked):
        found.append(_slo_unmet(deployment, ranked[0]))
    if ranked and ranked[0].prediction.unproven:
        found.append(_unproven(deployment, ranked[0]))
    if ranked and ranked[0].concurrency > ranked[0].prediction.batch:
        found.append(_queued(deployment, ranked[0], kv_hint))
    return found


def describe(point: Point) -> str:
    """`tp 4 x dp 2 (x2), concurrency 16`, and both roles when disaggregated."""
    parts = []
    for c in point.plan:
        d = c.degrees
        shape = f"tp {d.tp} x dp {d.dp} x pp {d.pp}, ep {d.ep}"
        role = "" if c.role == "serve" else f"{c.role} "
        parts.append(f"{role}{shape} (x{c.replicas})")
    return f"{'; '.join(parts)} at concurrency {point.concurrency} per instance"


def _slo_unmet(deployment: Deployment, closest: Point) -> Diagnostic:
    ratios = _ratios(deployment, closest.prediction, closest.devices)
    key = max(ratios, key=lambda k: ratios[k])
    value, allowed = _measure(key, closest, deployment)
    over = (ratios[key] - 1) * 100

    missed = [k for k, r in ratios.items() if r > 1]
    return Diagnostic.make(
        codes.SLO_UNMET,
        span=deployment.span_of(f"slo.{key}"),
        message=f"no plan meets the SLO: the closest, {describe(closest)}, predicts {key} "
        f"{value} against `{key} {_SLO_OPS[key]} {allowed}` ({over:.0f} % off)",
        label=f"missed by {over:.0f} %",
        help=_unmet_help(key, missed, value),
        notes=[_terms_note(closest)],
    )


def _measure(key: str, p: Point, deployment: Deployment) -> tuple[str, str]:
    """The predicted value of an SLO key and what the contract allows, as text."""
    allowed = figure(getattr(deployment.slo, key)) or 0.0  # only a stated bound is missed
    if key in ("ttft", "tpot"):
        return duration(getattr(p.prediction, key)), duration(allowed)
    per = p.prediction.output_per_device
    predicted = per * p.devices if key == "throughput" else per
    return f"{predicted:.0f} tokens/s", f"{allowed:.0f} tokens/s"


def _unmet_help(key: str, missed: list[str], value: str) -> str:
    also = (
        f" (it also misses {', '.join(k for k in missed if k != key)})" if len(missed) > 1 else ""
    )
    if key in ("ttft", "tpot"):
        return (
            f"allow {key} {value}, lower workload.concurrency, or give the deployment more "
            f"devices{also}"
        )
    return f"lower the throughput target to {value}, or give the deployment more devices{also}"


def _terms_note(p: Point) -> str:
    f = p.prediction.factors
    terms = ", ".join(f"{name} {duration(seconds)}" for name, seconds in p.prediction.terms)
    return f"decode step: {terms}; factors from layer `{f.layer}`"


def _queued(deployment: Deployment, p: Point, kv_hint: str | None) -> Diagnostic:
    held = p.prediction.batch
    waiting = p.concurrency - held
    fits = p.plan[-1].memory.max_concurrency
    limit = "its KV cache holds" if fits is not None and fits <= held else "the engine decodes"
    return Diagnostic.make(
        codes.REQUESTS_QUEUED,
        span=deployment.span_of("workload.concurrency"),
        message=f"{waiting} of the {p.concurrency} requests in flight per instance wait for a "
        f"slot: {limit} {held} at once, in plan 1 ({describe(p)})",
        label=f"{waiting} per instance queued",
        help="the predicted TTFT counts the wait; to hold them all, give the deployment more "
        "devices, "
        + (f"a KV cache in {kv_hint} (`kv_cache = {kv_hint}`), " if kv_hint else "")
        + "or fewer requests in flight",
    )


def _unproven(deployment: Deployment, p: Point) -> Diagnostic:
    what = ", ".join(p.prediction.unproven)
    return Diagnostic.make(
        codes.UNPROVEN_PREDICTION,
        span=deployment.span_of("cluster"),
        message=f"the prediction for plan 1 rests on figures the catalog does not know: {what}",
        label="its hardware lacks these figures",
        help="state the missing figures in the catalog (or a site catalog) to prove the "
        "prediction; until then it is labelled unproven",
    )

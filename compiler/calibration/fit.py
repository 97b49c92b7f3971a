"""Calibration: the fit, published measurements in, layered fractions of peak out.

In: rows in the format of `calibration.schema.json` (one published measurement each) and the
standard catalog. Out: a `FactorTable` and, for `ccc calibrate`, every scored metric predicted
next to its measurement.

Each row becomes a `Scenario` by the data's conventions: dies, not packages, are devices; an
engine's attention-DP `tp` is the instance's world size; `concurrency_scope: device` is the
batch of each counted device; an empty `parallel` is planned as a user would (`auto`).

Factors are layered, most specific first: accelerator x toolkit, vendor x toolkit, toolkit,
global. The global layer is fitted on every row; a finer layer only on its own rows, and only
when it has at least `MIN_ROWS`, and then as a deviation from the layer above that a prior pulls
back (ridge in log space), so two rows can move a factor only part of the way. Where the
catalog does not know a chip's peak, that peak is inferred from the chip's rows (the product of
peak and fraction is all a measurement shows) and every prediction resting on it says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple, TypedDict

from ccc.calibration.sources import publisher
from ccc.diagnostics import Severity
from ccc.dsl.lower import did_you_mean
from ccc.hardware.memory import Degrees
from ccc.hardware.topology import System
from ccc.ir import Contract, Model, build, known, lineage
from ccc.performance.factors import FACTOR_NAMES, FactorTable, InferredPeak, Layer, keys_for
from ccc.performance.model import Factors, Hardware, Prediction, Scenario, Work, predict, work
from ccc.performance.scenarios import (
    Traffic,
    hardware_of,
    instance_system,
    scenario,
    workload_deployment,
)
from ccc.performance.simulate import MAX_REQUESTS, simulate
from ccc.precision import DTYPE_BYTES
from ccc.span import Span
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # the measurement file's models load when a file is read, not for `estimate`
    from ccc.calibration.measurements import Row

__all__ = [
    "GROUPS",
    "MIN_ROWS",
    "PER_LAYER",
    "RUN_REQUESTS",
    "SCORINGS",
    "CalibrationReport",
    "GroupScore",
    "Prepared",
    "Scoring",
    "coordinate_descent",
    "corrected",
    "fit",
    "prepare",
    "report",
    "row_loss",
]

MIN_ROWS = 3  # a finer layer needs this many rows of its own to be fitted at all
# The prior: a layer's factor deviates from its parent's by about a factor e^0.25 = 1.28
# (one standard deviation), as much as a row's own scatter: two or three rows of one engine
# move its factors only part of the way. Uniform weights from 1 to 300 gave leave-one-out
# errors of 27-31 % on the 34 rows (noise); `_SPREAD` widens it for fixed costs.
_PRIOR_WEIGHT = (0.25 / 0.25) ** 2
# How far each factor spreads between engines, relative to that: fixed costs by a factor of e
# (weight 1/16), kernels' fractions and MoE speed by e^0.25. An engine's host and HTTP costs
# differ by an order of magnitude where its kernels differ by a third (the TTFT at one request
# in flight asks for 7 ms on vLLM-Kunlun, 48 ms on vLLM on an H100): with every factor held at
# e^0.25, one metric's error could not move a fixed cost off its parent (leave-one-out
# 27.4 %, 73 % within 2x; 23.3 % and 79 % with this; leave-source-out 33.1 % and 39.2 %).
_SPREAD = {
    "sequence_overhead": 1 / 16,
    "request_latency": 1 / 16,
    "host_overhead": 1 / 16,
}
_BOUNDS = {
    "compute": (0.02, 1.0),
    "decode_compute": (0.02, 1.0),
    "bandwidth": (0.02, 1.0),
    "network": (0.02, 1.0),
    "network_out": (0.02, 1.0),
    "imbalance": (1.0, 3.0),
    "layer_latency": (1e-7, 2e-4),  # s per layer per step: 0.1 to 200 us
    "sequence_overhead": (1e-7, 1e-3),  # s per sequence per step: 0.1 us to 1 ms
    "request_latency": (1e-5, 1.0),  # s per online request before its first token
    "host_overhead": (1e-7, 1e-3),  # s per online sequence per step
    # s per hop of a collective inside a server or supernode, where the catalog has none: as
    # the fabrics it knows, 0.5 (HCCS) to 5.5 us (UB) a hop, give or take a factor of two (a
    # wider range lets the few rows on such a fabric, MI300X's xGMI, put other costs here)
    "hop_latency": (2e-7, 1e-5),
    # s per hop between servers where the catalog has none: NCCL's all-reduce across two
    # servers costs 50-180 us (catalog-facts G: AIC's scaled nccl-tests; a published TP16
    # DeepSeek-R1 TPOT implies 130 us), two hops of 25-90 us; held from 10 us to 1 ms, as few
    # rows cross servers and an unheld fit sent it to its floor (TP16 over the NICs then
    # came cheaper than pipelining two servers)
    "hop_latency_out": (1e-5, 1e-3),
    "moe_efficiency": (0.05, 1.0),  # the routed experts' kernels' speed over the dense ones'
}
_FACTORS = tuple(_BOUNDS)
assert _FACTORS == FACTOR_NAMES, "every factor the lookup reads has bounds here"
# Requests in one benchmark run: `vllm bench serve` and SGLang's bench_serving default to
# --num-prompts 1000; a row with a higher concurrency issues that many.
RUN_REQUESTS = 1000


# --- rows as scenarios --------------------------------------------------------------------------

# Weight formats the data names that the catalog spells otherwise.
_WEIGHTS = {"w8a8": "int8", "w4a8": "int4"}


class Prepared(NamedTuple):
    """A row made ready for fitting: its scenario, its work at peak, its keys."""

    row: Row
    scenario: Scenario
    work: Work
    keys: tuple[str, ...]  # factor layers, most specific first, "global" last
    accelerator: str
    missing: tuple[str, ...]  # peaks the catalog lacks: "compute", "bandwidth"
    # The simulated run over the closed form, by metric, at the factors of the last fit:
    # the fit searches on the closed form times this (fast), scores on the simulation.
    correction: tuple[tuple[str, float], ...] = ()


class RowProblem(ValueError):
    """Why a row cannot be modelled, the key of the row it is about, and where placement
    refused it, placement's own code and help."""

    def __init__(
        self, field: str, message: str, code: str | None = None, help: str | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.help = help


def prepare(row: Row, contract: Contract) -> Prepared:
    """The row as ccc models it; raises RowProblem naming what it lacks."""
    for kind, name in (
        ("model", row.model),
        ("accelerator", row.accelerator),
        ("toolkit", row.toolkit),
    ):
        _known_name(kind, name, list(getattr(contract, kind + "s")))
    model = contract.models[row.model]
    toolkit = contract.toolkits[row.toolkit]
    accelerator = contract.accelerators[row.accelerator]
    dies = row.devices * row.dies_per_device
    system = instance_system(contract, row.system, dies)
    if system is None:
        _known_name("server or supernode", row.system, [*contract.servers, *contract.supernodes])
        raise RowProblem("system", f"`{row.system}` has no server ccc can build a cluster of")
    _lengths_stated(row)
    weights = _dtype("weights", row.weights)
    kv_cache = _dtype("kv_cache", row.kv_cache)
    deployment = workload_deployment(row.id, row.model, weights, kv_cache)
    traffic = _traffic(row, model)
    if system.accelerator.name != row.accelerator:
        raise RowProblem(
            "accelerator",
            f"`{row.system}` holds `{system.accelerator.name}`, not `{row.accelerator}`",
        )
    degrees = _degrees(row, contract, system)
    s = scenario(system, model, toolkit, deployment, degrees, traffic)
    peaks = (("compute", s.hardware.compute), ("bandwidth", s.hardware.bandwidth))
    missing = tuple(name for name, value in peaks if value is None)
    keys = keys_for(row.accelerator, accelerator.vendor, lineage(contract.toolkits, row.toolkit))
    return Prepared(row, s, work(s), keys, row.accelerator, missing)


def _lengths_stated(row: Row) -> None:
    """The lengths the row's phase is predicted at: the prompt always (a decode instance
    decodes at its context; without `output_tokens` that is the prompt), the output too for
    a whole run. A length taken as 0 would predict a one-token request."""
    w = row.workload
    needed = ["input_tokens"] + (["output_tokens"] if row.phase == "both" else [])
    missing = [k for k in needed if getattr(w, k) is None]
    if missing:
        what = " and ".join(f"`{k}`" for k in missing)
        raise RowProblem("workload", f"its workload states no {what}, which a {row.phase} row "
                         "is predicted at")  # fmt: skip


def _dtype(field: str, name: str) -> str:
    """A dtype as the catalog spells it (the data's `w8a8` is int8 weights)."""
    dtype = _WEIGHTS.get(name, name)
    if dtype not in DTYPE_BYTES:
        hint = did_you_mean(dtype, list(DTYPE_BYTES))
        known = ", ".join([*DTYPE_BYTES, *_WEIGHTS])
        raise RowProblem(field, f"unknown dtype `{name}` ({hint or 'ccc knows ' + known})")
    return dtype


def _known_name(kind: str, name: str, names: list[str]) -> None:
    if name not in names:
        hint = did_you_mean(name, names)
        field = "system" if kind == "server or supernode" else kind
        raise RowProblem(
            field, f"the catalog has no {kind} `{name}`" + (f" ({hint})" if hint else "")
        )


def _traffic(row: Row, model: Model) -> Traffic:
    w = row.workload
    concurrency = None
    if w.concurrency is not None:
        scale = row.devices if w.concurrency_scope == "device" else 1
        concurrency = max(1, round(w.concurrency * scale))
    acceptance = w.mtp_acceptance
    if acceptance is None:
        acceptance = float(known(model.mtp_acceptance) or 0.0) if w.mtp_draft_tokens else 0.0
    return Traffic(
        phase=row.phase,
        input_tokens=round(w.input_tokens or 0),
        output_tokens=round(w.output_tokens or 0),
        concurrency=concurrency,
        cached_fraction=w.cached_prefix_fraction,
        draft_tokens=w.mtp_draft_tokens,
        acceptance=acceptance,
        ideal_balance=w.expert_balance == "ideal",
        run_requests=w.requests or RUN_REQUESTS,
        dataset=w.dataset,
        min_fraction=w.min_fraction,
        request_rate=w.request_rate,
        harness=row.harness,
    )


def _degrees(row: Row, contract: Contract, system: System) -> Degrees:
    """The row's degrees in ccc's convention (see the data README), checked against its dies
    and placed as `ccc plan` places them (an empty `parallel`: placement's best)."""
    p = row.parallel
    dies = row.devices * row.dies_per_device
    if p.tp is None and p.dp is None and p.pp is None and p.ep is None:
        return _placed(row, contract, system, {})
    tp, dp, pp, ep = p.tp or 1, p.dp or 1, p.pp or 1, p.ep or 1
    if p.attention_dp:
        world = max(tp, dp)
        tp, dp = world // dp, dp
    if tp * dp * pp != dies:
        raise RowProblem(
            "parallel", f"its degrees give {tp * dp * pp} ranks but it counts {dies} devices (dies)"
        )
    stated = {"tp": tp, "dp": dp, "pp": pp, "ep": ep, "extra_experts": p.redundant_experts}
    return _placed(row, contract, system, stated)


# Deployment keys a row has under the same name; placement's other keys are its degrees.
_ROW_KEYS = frozenset({"weights", "kv_cache", "toolkit", "model"})


def _placed(row: Row, contract: Contract, system: System, stated: dict[str, int]) -> Degrees:
    """One instance of the row placed at its `stated` degrees (the others `auto`) by the
    placement `ccc plan` runs, the engine's capabilities included: its degrees, with the
    redundant expert slots the engine adds; or RowProblem with placement's own diagnostic."""
    from ccc.front.support import toolkit_support
    from ccc.ir import Deployment, Parallel, Workload
    from ccc.placement.place import place

    dies = row.devices * row.dies_per_device
    longest = (row.workload.input_tokens or 0) + (row.workload.output_tokens or 0)
    values = {
        "name": "row",
        "model": row.model,
        "cluster": system.cluster.name,
        "toolkit": row.toolkit,
        "weights": _dtype("weights", row.weights),
        "kv_cache": _dtype("kv_cache", row.kv_cache),
        "devices": dies,
        "replicas": 1,
        "parallel": build(Parallel, stated),
        # The run held its own requests, not the model's whole window (GPUStack, for one,
        # passes vLLM --max-model-len 8192), and it fitted: the share of memory it gave the
        # engine (--gpu-memory-utilization, --mem-fraction-static) is not stated, so the
        # row is placed against the whole device.
        "workload": build(Workload, {"context": float(round(longest))} if longest else {}),
        "memory_fraction": 1.0,
    }
    # Each key "written" at a span whose file is the key, so a diagnostic says which it is.
    spans = {k: Span.point(k, 1, 1) for k in values}
    spans |= {f"parallel.{k}": Span.point("parallel", 1, 1) for k in stated}
    deployment = build(Deployment, values).model_copy(update={"spans": spans})
    clusters = {**contract.clusters, system.cluster.name: system.cluster}
    trial = contract.model_copy(update={"clusters": clusters, "deployments": {"row": deployment}})
    refusals = toolkit_support(trial, deployment)
    placements, found = place(trial)
    for role in placements.get("row", []):
        whole = [c for c in role.candidates if c.degrees.devices == dies]
        if whole:
            return whole[0].degrees
    errors = [d for d in [*refusals, *found] if d.severity is Severity.ERROR]
    if not errors:
        raise RowProblem(
            "devices", f"no placement of `{row.model}` fits one instance of {dies} devices"
        )
    first = errors[0]
    key = first.span.file if first.span else "parallel"
    field = key if key in _ROW_KEYS else "parallel" if stated else "devices"
    raise RowProblem(field, first.message, code=first.code, help=first.help)


# --- prediction of a row's metrics --------------------------------------------------------------


def _at(p: Prepared, hardware: Hardware | None) -> tuple[Scenario, Work]:
    """The row's scenario and work, on `hardware` where given (a chip's inferred peaks)."""
    if hardware is None:
        return p.scenario, p.work
    s = p.scenario._replace(hardware=hardware)
    return s, work(s)


def metrics(p: Prepared, f: Factors, hardware: Hardware | None = None) -> dict[str, float]:
    """The row's measured metrics as the fit sees them: the closed form, times the row's
    correction toward its simulated run (per counted device, as the row counts)."""
    s, w = _at(p, hardware)
    values = _as_row(p.row, predict(s, w, f, explain=False))
    for k, ratio in p.correction:
        values[k] *= ratio
    return values


def simulated(p: Prepared, f: Factors, hardware: Hardware | None = None) -> dict[str, float]:
    """The row's metrics as its run ran: a benchmark run simulated request by request
    (`ccc.performance.simulate`); a prefill or decode instance's steady state as it is."""
    s, w = _at(p, hardware)
    if not _is_run(s):
        return _as_row(p.row, predict(s, w, f, explain=False))
    return _as_row(p.row, simulate(s, w, f))


def _is_run(s: Scenario) -> bool:
    return s.phase == "both" and s.run_requests is not None and s.run_requests <= MAX_REQUESTS


def at_slo(p: Prepared, table: FactorTable) -> Prepared:
    """A row whose figure is the best its source found under an SLO, at the operating point
    ccc would choose at `table`'s factors: the concurrency with the most output per device
    that meets it (`best_under_slo`); where none meets it, the concurrency its source ran.

    Scores only: the fit takes the row at the concurrency its source ran, a measurement like
    any other (CloudMatrix-Infer's 538 tokens/s per NPU at 8 sequences is a TPOT of 14.9 ms
    there); the score then asks whether the model's curve crosses the SLO where it did."""
    slo = p.row.slo
    hardware = _hardware_with_inferred(p, table)
    if slo is None or hardware is None:
        return p
    from ccc.performance.search import best_under_slo

    ttft = None if slo.ttft_ms is None else slo.ttft_ms / 1000
    tpot = None if slo.tpot_ms is None else slo.tpot_ms / 1000
    f = table.factors_for(p.keys)
    concurrency = best_under_slo(p.scenario._replace(hardware=hardware), f, ttft, tpot)
    if concurrency is None:
        return p
    s = p.scenario._replace(concurrency=concurrency)
    return p._replace(scenario=s, work=work(s))


def corrected(prepared: Sequence[Prepared], table: FactorTable) -> list[Prepared]:
    """Each run's simulated metrics over its closed form at `table`'s factors."""
    out = []
    for p in prepared:
        hardware = _hardware_with_inferred(p, table)
        if hardware is None or not _is_run(p.scenario):
            out.append(p._replace(correction=()))
            continue
        f = table.factors_for(p.keys)
        bare = p._replace(correction=())
        inferred = hardware if p.missing else None
        closed, run = metrics(bare, f, inferred), simulated(bare, f, inferred)
        ratios = tuple((k, run[k] / closed[k]) for k in sorted(run) if closed[k] > 0)
        out.append(p._replace(correction=ratios))
    return out


def _as_row(row: Row, prediction: Prediction) -> dict[str, float]:
    per_counted = row.dies_per_device  # a row counts packages where a package has several dies
    values = {
        "output_tokens_per_s_per_device": prediction.output_per_device * per_counted,
        "input_tokens_per_s_per_device": prediction.input_per_device * per_counted,
        "total_tokens_per_s_per_device": prediction.total_per_device * per_counted,
        "ttft_ms": prediction.ttft * 1000,
        "tpot_ms": prediction.tpot * 1000,
    }
    return {k: values[k] for k in row.measured if k in values}


def row_loss(
    p: Prepared, f: Factors, hardware: Hardware | None = None, power: float = 1.0
) -> float:
    """Mean absolute log error over the row's metrics (each row weighs the same), raised to
    `power` per metric (2: no metric is given up for the others, as a site's few rows need)."""
    predicted = metrics(p, f, hardware)
    errors: list[float] = [
        abs(math.log(max(predicted[k], 1e-12) / v)) ** power
        for k, v in p.row.measured.items()
        if v > 0
    ]
    return sum(errors) / max(len(errors), 1)


# --- fitting ----------------------------------------------------------------------------------


# Fits on the closed form between simulations of the runs: the corrections settle in two.
_CORRECTIONS = 2


def fit(prepared: Sequence[Prepared], contract: Contract) -> FactorTable:
    """The factor table of the rows: fitted on the closed form, each run then simulated at
    the fit and the fit repeated on the corrected form (a fixed point, reached in two)."""
    table = fit_corrected(prepared, contract)
    for _ in range(_CORRECTIONS):
        prepared = corrected(prepared, table)
        table = fit_corrected(prepared, contract, start=table)
    return table


def fit_corrected(
    prepared: Sequence[Prepared], contract: Contract, start: FactorTable | None = None
) -> FactorTable:
    """Fit the layers on rows whose peaks are known, then infer unknown peaks per chip,
    each row at its own correction; from `start`'s values where given (a refinement: fewer
    sweeps)."""
    begun = start.layers if start is not None else {}
    known_rows = [p for p in prepared if not p.missing]
    layers: dict[str, Layer] = {}
    if known_rows:
        layers["global"] = _fit_layer(known_rows, None, True, begun.get("global"))
    for depth in (2, 1, 0):  # toolkit, then vendor x toolkit, then chip x toolkit
        groups: dict[str, list[Prepared]] = {}
        for p in known_rows:
            groups.setdefault(p.keys[depth], []).append(p)
        # an engine's layers before its flavours' (their parent), then by name
        for key, rows in sorted(groups.items(), key=lambda g: (len(g[1][0].keys), g[0])):
            if len(rows) >= MIN_ROWS:
                parent = _parent(layers, rows[0].keys[depth + 1 :])
                layers[key] = _fit_layer(rows, parent, False, begun.get(key))
    table = FactorTable(layers=layers)
    if not layers:  # no row of a chip with known peaks: no factors to infer a peak against
        return table
    inferred = {}
    for chip in sorted({p.accelerator for p in prepared if p.missing}):
        rows = [p for p in prepared if p.accelerator == chip]
        inferred[chip] = _infer_peaks(rows, table, _vendor_prior(chip, prepared, contract))
    return table.model_copy(update={"inferred": inferred})


_START = Layer(
    compute=0.5,
    decode_compute=0.4,
    bandwidth=0.6,
    network=0.5,
    network_out=0.8,
    imbalance=1.2,
    layer_latency=2e-5,
    sequence_overhead=1e-5,
    request_latency=0.02,
    host_overhead=1e-5,
    hop_latency=1e-6,
    hop_latency_out=5e-5,
    moe_efficiency=1.0,
    rows=[],
)
# What a finer layer may move away from its parent: how well an engine's kernels use the chip
# and how much host work it does per sequence. Links, expert balance and per-layer latency are
# properties of the fabric and the model shape, fitted once on every row.
PER_LAYER = (
    "compute",
    "decode_compute",
    "bandwidth",
    "sequence_overhead",
    "request_latency",
    "host_overhead",
    "moe_efficiency",
)


def _parent(layers: dict[str, Layer], keys: Sequence[str]) -> Layer | None:
    return next((layers[k] for k in keys if k in layers), None)


_SWEEPS, _REFINING_SWEEPS = 5, 2


def _fit_layer(
    rows: list[Prepared], parent: Layer | None, free_all: bool, begun: Layer | None
) -> Layer:
    """Factors minimising the rows' mean absolute log error (plus the prior toward `parent`),
    searched from `begun` (an earlier fit's values) where given."""
    names = list(_FACTORS if free_all else PER_LAYER)
    values = {k: getattr(parent or _START, k) for k in _FACTORS}
    if begun is not None:  # the free factors resume; the others are the parent's as fitted now
        values |= {k: getattr(begun, k) for k in names}

    def loss(v: dict[str, float]) -> float:
        f = Factors(**v)  # type: ignore[arg-type]  # the keys are exactly _FACTORS, floats
        data = sum(row_loss(p, f) for p in rows)
        prior = 0.0
        if parent is not None:
            prior = sum(
                _SPREAD.get(k, 1.0) * math.log(v[k] / getattr(parent, k)) ** 2 for k in names
            )
        return data + _PRIOR_WEIGHT * prior

    sweeps = _REFINING_SWEEPS if begun is not None else _SWEEPS
    values = coordinate_descent(loss, values, names, sweeps=sweeps)
    return Layer(**values, rows=sorted(p.row.id for p in rows))


def _infer_peaks(rows: list[Prepared], table: FactorTable, prior: dict[str, float]) -> InferredPeak:
    """The missing peaks of one chip that best predict its rows with its layers' factors,
    pulled (as a layer toward its parent) toward `prior`: its vendor's known chips, per die."""
    missing = sorted({m for p in rows for m in p.missing})
    scale = {"compute": 1e14, "bandwidth": 1e12}  # search in units of 100 TFLOP/s and TB/s
    values = {m: prior.get(m, scale[m]) / scale[m] for m in missing}

    def hardware(p: Prepared, v: dict[str, float]) -> Hardware:
        hw = p.scenario.hardware
        return hw._replace(
            compute=hw.compute or v.get("compute", 1.0) * scale["compute"],
            attention=hw.attention or v.get("compute", 1.0) * scale["compute"],
            bandwidth=hw.bandwidth or v.get("bandwidth", 1.0) * scale["bandwidth"],
        )

    def loss(v: dict[str, float]) -> float:
        data = sum(row_loss(p, table.factors_for(p.keys), hardware(p, v)) for p in rows)
        pull = sum(math.log(v[m] * scale[m] / prior[m]) ** 2 for m in missing if m in prior)
        return data + _PRIOR_WEIGHT * pull

    bounds = {m: (0.01, 100.0) for m in missing}
    values = coordinate_descent(loss, values, missing, bounds)
    return InferredPeak(
        compute=values["compute"] * scale["compute"] if "compute" in values else None,
        bandwidth=values["bandwidth"] * scale["bandwidth"] if "bandwidth" in values else None,
        rows=sorted(p.row.id for p in rows),
    )


def _vendor_prior(chip: str, prepared: Sequence[Prepared], contract: Contract) -> dict[str, float]:
    """Geometric means of the per-die peaks the catalog knows for the chip's vendor."""
    vendor = contract.accelerators[chip].vendor
    siblings = [
        a
        for name, a in sorted(contract.accelerators.items())
        if a.vendor == vendor and name != chip
    ]
    dtype = next(p.scenario.hardware.compute_dtype for p in prepared if p.accelerator == chip)
    found: dict[str, list[float]] = {"compute": [], "bandwidth": []}
    for a in siblings:
        peaks = hardware_of(a, dtype)
        if peaks.compute is not None and peaks.compute_dtype == dtype:
            found["compute"].append(peaks.compute)
        if peaks.bandwidth is not None:
            found["bandwidth"].append(peaks.bandwidth)
    return {k: math.exp(sum(map(math.log, v)) / len(v)) for k, v in found.items() if v}


def coordinate_descent(
    loss: Callable[[dict[str, float]], float],
    values: dict[str, float],
    names: list[str],
    bounds: dict[str, tuple[float, float]] | None = None,
    sweeps: int = 5,
) -> dict[str, float]:
    """Minimise `loss` one name at a time, golden-section search in log space within bounds."""
    bounds = bounds or _BOUNDS
    current = dict(values)
    for _ in range(sweeps):
        for name in names:
            low, high = (math.log(b) for b in bounds[name])

            def along(x: float, name: str = name) -> float:
                return loss({**current, name: math.exp(x)})

            current[name] = math.exp(_golden(along, low, high))
    return current


def _golden(f: Callable[[float], float], low: float, high: float, steps: int = 24) -> float:
    ratio = (math.sqrt(5) - 1) / 2
    a, b = low, high
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(steps):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(d)
    return (a + b) / 2


# --- the report `ccc calibrate` prints ----------------------------------------------------------


class ScoredMetric(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    id: str
    metric: str | None = None
    predicted: float | None = None
    measured: float | None = None
    abs_pct_error: float | None = None
    factor_layer: str | None = None
    unproven: list[str] = Field(default_factory=list)
    error: str | None = None
    field: str | None = None  # the key of the row an error is about
    code: str | None = None  # placement's code where placement refused the row
    help: str | None = None
    # what the row is, for the report's groups: its toolkit, chip vendor, harness, source
    toolkit: str | None = None
    vendor: str | None = None
    harness: str | None = None
    source: str | None = None


class GroupScore(BaseModel):
    """The scored metrics of one group (a toolkit, a vendor, a metric, a harness)."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    metrics: int
    median_abs_pct_error: float | None
    within_2x: float | None  # the share of them predicted within a factor of 2


Scoring = Literal["in_sample", "leave_one_out", "leave_source_out", "given"]
# What each scoring says of the factors a row was predicted with.
SCORINGS: dict[str, str] = {
    "in_sample": "in-sample (fitted on every row)",
    "leave_one_out": "leave-one-out (each row predicted by a fit without it)",
    "leave_source_out": "leave-source-out (each row predicted by a fit without every row of "
    "its source)",
    "given": "scored with the given factor table, nothing fitted",
}
GROUPS = ("toolkit", "vendor", "metric", "harness", "source")


class CalibrationReport(BaseModel):
    """`ccc calibrate --format json`: one object, rows first, then the summary."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    rows: list[ScoredMetric]
    median_abs_pct_error: float | None
    max_abs_pct_error: float | None
    predicted_rows: int
    failed_rows: int
    leave_one_out: bool
    factors: FactorTable
    # the share of scored metrics predicted within a factor of 2 of the measurement
    within_2x: float | None = None
    scoring: Scoring = "in_sample"
    factors_from: str = "fitted on these rows"  # or the --factors file, or "shipped"
    # by group kind (GROUPS), then group: how the metrics of each group score
    groups: dict[str, dict[str, GroupScore]] = Field(default_factory=dict)


def report(
    rows: Sequence[Row],
    contract: Contract,
    scoring: Scoring = "in_sample",
    given: FactorTable | None = None,
    given_from: str = "shipped",
) -> CalibrationReport:
    """Predict every row and score it: with the factors fitted on every row (`in_sample`),
    fitted without it (`leave_one_out`) or without every row of its source
    (`leave_source_out`), or with the `given` table, fitting nothing."""
    prepared: list[Prepared] = []
    failures: list[ScoredMetric] = []
    for row in rows:
        try:
            prepared.append(prepare(row, contract))
        except RowProblem as error:
            failures.append(
                ScoredMetric(
                    id=row.id,
                    error=str(error),
                    field=error.field,
                    code=error.code,
                    help=error.help,
                    **_described(row, contract),
                )
            )
    table = given if given is not None else fit(prepared, contract)
    held_out = _held_out_fits(prepared, table, contract, scoring)
    scored: list[ScoredMetric] = []
    for p in prepared:
        used = held_out(p) if held_out else table
        scored += _score(p, used, contract) or [
            ScoredMetric(
                id=p.row.id,
                error=_why_not(p, used, given is not None),
                field="accelerator",
                **_described(p.row, contract),
            )
        ]
    errors = [m.abs_pct_error for m in scored if m.abs_pct_error is not None]
    failed = {m.id for m in scored + failures if m.error}
    return CalibrationReport(
        rows=sorted(scored + failures, key=lambda m: (m.id, m.metric or "")),
        median_abs_pct_error=_median(errors),
        max_abs_pct_error=max(errors) if errors else None,
        predicted_rows=len({m.id for m in scored if m.error is None}),
        failed_rows=len(failed),
        leave_one_out=scoring == "leave_one_out",
        factors=table,
        within_2x=_within_2x(scored),
        scoring=scoring,
        factors_from=given_from if given is not None else "fitted on these rows",
        groups=_groups(scored),
    )


def _held_out_fits(
    prepared: list[Prepared], table: FactorTable, contract: Contract, scoring: Scoring
) -> Callable[[Prepared], FactorTable] | None:
    """The table each row is predicted with when rows are held out of the fit: one fit per
    row, or per source (shared by the source's rows). A held-out fit starts from the runs'
    corrections at the whole fit `table` (their shape, not their scale: the held-out row
    itself is simulated at the held-out factors)."""
    if scoring not in ("leave_one_out", "leave_source_out"):
        return None
    prepared = corrected(prepared, table)
    if scoring == "leave_one_out":
        return lambda p: fit_corrected([q for q in prepared if q.row is not p.row], contract)
    fits: dict[str, FactorTable] = {}

    def without_source(p: Prepared) -> FactorTable:
        key = publisher(p.row.source)
        if key not in fits:
            rest = [q for q in prepared if publisher(q.row.source) != key]
            fits[key] = fit_corrected(rest, contract)
        return fits[key]

    return without_source


class _Described(TypedDict):
    toolkit: str
    vendor: str | None
    harness: str
    source: str


def _described(row: Row, contract: Contract) -> _Described:
    accelerator = contract.accelerators.get(row.accelerator)
    return {
        "toolkit": row.toolkit,
        "vendor": accelerator.vendor if accelerator else None,
        "harness": row.harness,
        "source": publisher(row.source),
    }


def _ratio_within_2x(m: ScoredMetric) -> bool:
    if not m.predicted or not m.measured:
        return False
    return 0.5 <= m.predicted / m.measured <= 2.0


def _within_2x(scored: Sequence[ScoredMetric]) -> float | None:
    metrics = [m for m in scored if m.abs_pct_error is not None]
    if not metrics:
        return None
    return round(sum(map(_ratio_within_2x, metrics)) / len(metrics), 4)


def _groups(scored: Sequence[ScoredMetric]) -> dict[str, dict[str, GroupScore]]:
    metrics = [m for m in scored if m.abs_pct_error is not None]
    out: dict[str, dict[str, GroupScore]] = {}
    for kind in GROUPS:
        members: dict[str, list[ScoredMetric]] = {}
        for m in metrics:
            members.setdefault(str(getattr(m, kind) or "unknown"), []).append(m)
        out[kind] = {
            name: GroupScore(
                metrics=len(group),
                median_abs_pct_error=_rounded(_median([m.abs_pct_error or 0.0 for m in group])),
                within_2x=_within_2x(group),
            )
            for name, group in sorted(members.items())
        }
    return out


def _score(p: Prepared, table: FactorTable, contract: Contract) -> list[ScoredMetric]:
    hardware = _hardware_with_inferred(p, table)
    if hardware is None:
        return []
    factors = table.factors_for(p.keys)
    p = at_slo(p, table)
    predicted = simulated(p, factors, hardware if p.missing else None)
    unproven = list(p.work.unproven) + [f"inferred {m}" for m in p.missing]
    return [
        ScoredMetric(
            id=p.row.id,
            metric=k,
            predicted=round(predicted[k], 4),
            measured=v,
            abs_pct_error=round(abs(predicted[k] - v) / v * 100, 2),
            factor_layer=factors.layer,
            unproven=unproven,
            **_described(p.row, contract),
        )
        for k, v in sorted(p.row.measured.items())
        if k in predicted
    ]


def _hardware_with_inferred(p: Prepared, table: FactorTable) -> Hardware | None:
    hw = p.scenario.hardware
    if not p.missing:
        return hw
    peak = table.inferred.get(p.accelerator)
    if peak is None:
        return None
    compute = hw.compute or peak.compute
    bandwidth = hw.bandwidth or peak.bandwidth
    if compute is None or bandwidth is None:
        return None
    return hw._replace(compute=compute, bandwidth=bandwidth)


def _why_not(p: Prepared, table: FactorTable, given: bool) -> str:
    unknown = f"`{p.accelerator}` has no known {' or '.join(p.missing)} in the catalog"
    if given:
        return unknown + " and the factor table infers none for it"
    if not table.layers:
        return unknown + " and no row of a chip with known peaks fits the factors to infer it by"
    return unknown + " and no other row of it to infer one from"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2

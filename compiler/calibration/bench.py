"""Calibration: a site's own benchmark results as measurement rows, and the site layer they fit.

In: the result file a benchmark client saved (`vllm bench serve --save-result`: one JSON object,
or one per line with --append-result; SGLang's bench_serving / benchmark.serving: one JSON line
per run, appended) and the plan `ccc plan` made of the contract's deployment. Out: one `Row` per
run (the plan gives model, system, degrees and dtypes; the file gives lengths, their spread,
concurrency, requests and the metrics), and a factor table whose layer for the chip and toolkit
is fitted on those rows over the table it starts from.

Keys read, by client (read in vllm 0.34.0 `vllm/benchmarks/serve.py` and sglang 0.5.23
`sglang/benchmark/serving.py`): `completed`, `total_input_tokens`, `total_output_tokens`,
`output_throughput`, `mean_ttft_ms`, `mean_tpot_ms`, `max_concurrency`, `request_rate` (vLLM
writes "inf", SGLang a bare Infinity), and the total rate (vLLM `total_token_throughput`,
SGLang `total_throughput`); vLLM `num_prompts` and, with --save-detailed, `input_lens` /
`output_lens`; SGLang `dataset_name` and `random_range_ratio`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from ccc import codes
from ccc.calibration.fit import PER_LAYER, Prepared, coordinate_descent, corrected, row_loss
from ccc.diagnostics import Diagnostic
from ccc.performance.factors import FactorTable, Layer
from ccc.performance.model import Factors
from ccc.span import Span

__all__ = ["Planned", "Results", "fit_site", "read_results", "rows_of"]


class Planned(NamedTuple):
    """What the contract's plan fixes about the run (one instance, `replicas` of it)."""

    model: str
    accelerator: str
    system: str
    toolkit: str
    weights: str
    kv_cache: str
    tp: int
    dp: int
    pp: int
    ep: int
    extra_experts: int
    replicas: int


class Results(NamedTuple):
    runs: list[dict[str, Any]]
    diagnostics: list[Diagnostic]


_NEEDED = ("completed", "total_input_tokens", "total_output_tokens", "output_throughput")


def read_results(text: str, name: str) -> Results:
    """Every run in a result file's text, or where it is not a client's result."""
    from ccc.calibration.measurements import _parse

    help = "pass the file `vllm bench serve --save-result` or SGLang's bench_serving wrote"
    stripped = text.strip()
    chunks = [stripped] if stripped.startswith("{") and "\n{" not in stripped else []
    if not chunks:
        chunks = [line for line in stripped.splitlines() if line.strip()]
    runs, problems = [], []
    for number, chunk in enumerate(chunks, start=1):
        data, problem = _parse(chunk, name, codes.MEASUREMENTS_INVALID, help)
        if problem is not None:
            problems.append(problem)
            continue
        missing = [k for k in _NEEDED if not isinstance(data, dict) or k not in data]
        if missing:
            what = ", ".join(f"`{k}`" for k in missing)
            problems.append(_problem(name, number, f"run {number} has no {what}", help))
            continue
        runs.append(data)
    if not runs and not problems:
        problems.append(_problem(name, 1, "the file holds no run", help))
    return Results(runs, problems)


def _problem(name: str, line: int, message: str, help: str) -> Diagnostic:
    return Diagnostic.make(
        codes.MEASUREMENTS_INVALID, span=Span.point(name, line, 1), message=message, help=help
    )


def rows_of(runs: Sequence[dict[str, Any]], planned: Planned, name: str) -> list[dict]:
    """The runs as measurement rows (`calibration.schema.json`), per device of the plan."""
    stem = re.sub(r"[^a-z0-9_.-]+", "-", name.lower()).strip("-.") or "result"
    return [_row(run, planned, f"site-{stem}-{i}", name) for i, run in enumerate(runs, 1)]


def _row(run: dict[str, Any], p: Planned, row_id: str, name: str) -> dict:
    completed = max(int(run["completed"]), 1)
    devices = p.tp * p.dp * p.pp
    counted = devices * p.replicas  # the client drove every replica behind the Service
    measured = {"output_tokens_per_s_per_device": float(run["output_throughput"]) / counted}
    total = run.get("total_token_throughput", run.get("total_throughput"))
    if isinstance(total, (int, float)):
        measured["total_tokens_per_s_per_device"] = float(total) / counted
    for key in ("ttft_ms", "tpot_ms"):
        value = run.get(f"mean_{key}")
        if isinstance(value, (int, float)) and value > 0:
            measured[key] = float(value)
    workload: dict[str, Any] = {
        "input_tokens": float(run["total_input_tokens"]) / completed,
        "output_tokens": float(run["total_output_tokens"]) / completed,
        "requests": max(1, -(-int(run.get("num_prompts") or completed) // p.replicas)),
        **_spread(run),
    }
    concurrency = run.get("max_concurrency")
    if isinstance(concurrency, int) and concurrency > 0:
        workload["concurrency"] = max(1.0, concurrency / p.replicas)
    rate = _rate(run.get("request_rate"))
    if rate is not None:
        workload["request_rate"] = rate / p.replicas
    parallel = {"tp": p.tp, "dp": p.dp, "pp": p.pp, "ep": p.ep}
    if p.extra_experts:
        parallel["redundant_experts"] = p.extra_experts
    return {
        "id": row_id,
        "source": f"site benchmark {name}",
        "model": p.model,
        "accelerator": p.accelerator,
        "system": p.system,
        "devices": devices,
        "toolkit": p.toolkit,
        "weights": p.weights,
        "kv_cache": p.kv_cache,
        "parallel": parallel,
        "workload": workload,
        "measured": measured,
        "harness": "online",
    }


def _rate(value: Any) -> float | None:
    """Requests/s the client offered; None for all at once ("inf", Infinity)."""
    if isinstance(value, (int, float)) and math.isfinite(value) and value > 0:
        return float(value)
    return None


def _spread(run: dict[str, Any]) -> dict[str, Any]:
    """How the run's lengths spread: SGLang names its data set; vLLM's per-request lengths
    (--save-detailed) show it; without them, the lengths bench.sh sends are fixed."""
    dataset = run.get("dataset_name")
    if dataset == "random":
        ratio = run.get("random_range_ratio")
        if isinstance(ratio, (int, float)) and 0 < ratio < 1:
            return {"dataset": "random", "min_fraction": float(ratio)}
        return {"dataset": "fixed"}
    if dataset == "sharegpt":
        return {"dataset": "sharegpt"}
    lens = run.get("input_lens")
    if isinstance(lens, list) and lens and all(isinstance(x, int) for x in lens):
        low, high = min(lens), max(lens)
        if high > 0 and low < high:
            return {"dataset": "random", "min_fraction": max(low, 1) / high}
    return {"dataset": "fixed"}


# The site's rows move the engine's own factors away from the table they start from as far as
# their own metrics ask (a squared log error each, so none is given up for the others); a
# faint pull toward the table's values only keeps the factors the rows cannot see where
# they were (a factor e times off costs what a 3 % error of one metric does).
_SITE_PRIOR = 1e-3
_SITE_SWEEPS = 5


# Rounds of simulating the runs at the site layer so far and refitting on the corrected
# closed form, each from the last round's values: a site far from the table it starts from
# moves the runs' corrections too (a mixed step's prompts and decodes share its time, so
# TTFT and TPOT correct each other). Measured on the H200 example's run: TTFT 17 % off
# after three rounds restarted from the table, 0.9 % after six resumed.
_SITE_ROUNDS = 6


def fit_site(prepared: Sequence[Prepared], base: FactorTable) -> FactorTable:
    """`base` with the layer of each site row's chip and toolkit fitted on those rows."""
    table = base
    for _ in range(_SITE_ROUNDS):
        by_key: dict[str, list[Prepared]] = {}
        for p in corrected(prepared, table):
            by_key.setdefault(p.keys[0], []).append(p)
        layers = dict(table.layers)
        for key, group in sorted(by_key.items()):
            parent = base.factors_for(group[0].keys)
            layers[key] = _site_layer(group, parent, table.factors_for(group[0].keys))
        table = base.model_copy(update={"layers": layers})
    return table


def _site_layer(rows: list[Prepared], parent: Factors, begun: Factors) -> Layer:
    """The rows' layer, pulled faintly toward `parent`, searched from `begun`."""
    names = list(PER_LAYER)
    start = Layer.values_of(begun)
    start.pop("rows")

    def loss(v: dict[str, float]) -> float:
        f = Factors(**v)  # type: ignore[arg-type]  # the keys are exactly the factor names
        data = sum(row_loss(p, f, power=2.0) for p in rows)
        pull = sum(math.log(v[k] / getattr(parent, k)) ** 2 for k in names if getattr(parent, k))
        return data + _SITE_PRIOR * pull

    values = coordinate_descent(loss, start, names, sweeps=_SITE_SWEEPS)
    return Layer(**values, rows=sorted(p.row.id for p in rows))

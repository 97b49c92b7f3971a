"""ccc and NVIDIA's aiconfigurator side by side, in one run, on the jobs both can do.

1. The sweep "Qwen3-32B on 8 x H200, 4,000 in / 500 out, TTFT <= 2 s, TPOT <= 50 ms":
   `ccc estimate ... --ttft 2s --tpot 50ms` against `aiconfigurator cli default` with the
   same arguments. Wall time and peak memory of each (fresh processes, median of --runs),
   and the best configuration and output tokens/s per GPU each picks.
2. Single-point estimates of fixed NVIDIA configurations: each tool's TTFT, TPOT and output
   tokens/s per GPU, and, where a row of the published measurements matches the point
   (model, system, engine, degrees, lengths, concurrency), the measurement beside them.
   ccc's factors were fitted on those rows, so its prediction there is in-sample; the
   leave-one-out prediction (`ccc calibrate --leave-one-out`, fitted without the row) is
   shown too and is the fair figure.

aiconfigurator lives in its own virtual environment (`--install` creates it and installs
the pinned version from the package index); it is never a dependency of ccc. Its figures
are its own predictions from its bundled database, as ccc's are from its model.
Run: python bench/compare_aiconfigurator.py [--install] [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccc.calibration.fit import RUN_REQUESTS  # noqa: E402

from bench.measure import ccc_command, machine, positive_int, runs  # noqa: E402

AIC_VERSION = "0.12.0"  # flags and output formats below were read from this version
DEFAULT_VENV = ROOT / "bench" / ".venv-aiconfigurator"
SHARED_DATA = ROOT.parent / "shared" / "data" / "calibration.json"
BUNDLED_DATA = ROOT / "tests" / "data" / "calibration.json"


class Point(NamedTuple):
    """One fixed configuration, in each tool's names, and the measurement it matches."""

    label: str
    ccc: list[str]
    aic: list[str]
    row: str | None  # id of the matching published measurement


def _point(
    label: str,
    model: tuple[str, str],
    system: tuple[str, str],
    engine: str,
    tp: int,
    lengths: tuple[int, int],
    concurrency: int,
    row: str | None = None,
    moe: bool = False,
) -> Point:
    isl, osl = lengths
    ccc_args = [
        "--model", model[0], "--system", system[0], "--toolkit", engine,
        "--devices", str(tp), "--tp", str(tp), "--ep", "1",
        "--isl", str(isl), "--osl", str(osl), "--concurrency", str(concurrency),
    ]  # fmt: skip
    aic_args = [
        "--model-path", model[1], "--system", system[1], "--backend", engine,
        "--isl", str(isl), "--osl", str(osl), "--batch-size", str(concurrency),
        "--tp-size", str(tp),
    ]  # fmt: skip
    if moe:  # aiconfigurator needs the MoE split stated: all of it tensor-parallel, as TP8
        aic_args += ["--moe-tp-size", str(tp), "--moe-ep-size", "1"]
    if row is not None:  # a measured benchmark run: its length as `ccc calibrate` reads it
        ccc_args += ["--requests", str(RUN_REQUESTS)]
    return Point(label, ccc_args, aic_args, row)


QWEN3_32B = ("qwen3_32b", "Qwen/Qwen3-32B")
DEEPSEEK_V3 = ("deepseek_v3", "deepseek-ai/DeepSeek-V3")
DEEPSEEK_R1 = ("deepseek_r1", "deepseek-ai/DeepSeek-R1")
H200 = ("hgx_h200", "h200_sxm")
H100 = ("hgx_h100", "h100_sxm")

POINTS = [
    _point("DeepSeek-V3 8xH200 SGLang TP8 4000/500 c32", DEEPSEEK_V3, H200, "sglang", 8,
           (4000, 500), 32, moe=True),
    *(
        _point(f"Qwen3-32B H200 TRT-LLM TP{tp} 4000/500 c32", QWEN3_32B, H200, "trtllm", tp,
               (4000, 500), 32)
        for tp in (1, 2, 4)
    ),
    _point("DeepSeek-R1 8xH200 SGLang TP8 1k/1k c8", DEEPSEEK_R1, H200, "sglang", 8,
           (1024, 1024), 8, "inferencex-dsr1-h200x8-sglang-1k1k-c8", moe=True),
    _point("DeepSeek-R1 8xH200 SGLang TP8 1k/1k c64", DEEPSEEK_R1, H200, "sglang", 8,
           (1024, 1024), 64, "inferencex-dsr1-h200x8-sglang-1k1k-c64", moe=True),
    _point("DeepSeek-R1 8xH200 vLLM TP8 219/201 c1000", DEEPSEEK_R1, H200, "vllm", 8,
           (219, 201), 1000, "gpustack-dsr1-h200x8-vllm-sharegpt", moe=True),
    _point("Qwen3-32B 1xH100 vLLM TP1 217/201 c1000", QWEN3_32B, H100, "vllm", 1,
           (217, 201), 1000, "gpustack-qwen3-32b-h100x1-vllm-sharegpt"),
]  # fmt: skip

SWEEP = {"model": QWEN3_32B, "system": H200, "gpus": 8, "isl": 4000, "osl": 500}
SLO_MS = {"ttft": 2000, "tpot": 50}
ENGINES = ("trtllm", "vllm", "sglang")  # both tools' names for these three agree


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--install",
        action="store_true",
        help=f"create --venv and install aiconfigurator=={AIC_VERSION} into it first",
    )
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="aiconfigurator's venv")
    parser.add_argument("--runs", type=positive_int, default=3, help="process runs per timing")
    parser.add_argument(
        "--backend", choices=ENGINES, default="trtllm", help="engine of the sweep (default: trtllm)"
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=["sweep", "points"],
        metavar="sweep,points",
        help="which jobs to run (default: both)",
    )
    parser.add_argument("--json", metavar="FILE", help="write the figures here as JSON")
    return parser.parse_args(argv)


def _jobs(text: str) -> list[str]:
    jobs = [j.strip() for j in text.split(",") if j.strip()]
    if not jobs or set(jobs) - {"sweep", "points"}:
        raise argparse.ArgumentTypeError("jobs are sweep and points")
    return jobs


# --- aiconfigurator's environment -------------------------------------------------------


def install(venv: Path) -> None:
    """A virtual environment of its own, with the pinned aiconfigurator."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, f"aiconfigurator=={AIC_VERSION}"], check=True)


def aic_command(venv: Path) -> list[str] | None:
    program = venv / "bin" / "aiconfigurator"
    return [str(program), "cli"] if program.exists() else None


def aic_version(venv: Path) -> str | None:
    python = venv / "bin" / "python"
    done = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('aiconfigurator'))"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or None


# --- job 1: the sweep --------------------------------------------------------------------


def ccc_sweep_argv(backend: str) -> list[str]:
    s = SWEEP
    return [
        *ccc_command(), "estimate", "--model", s["model"][0], "--system", s["system"][0],
        "--devices", str(s["gpus"]), "--toolkit", backend, "--isl", str(s["isl"]),
        "--osl", str(s["osl"]), "--ttft", f"{SLO_MS['ttft']}ms", "--tpot", f"{SLO_MS['tpot']}ms",
        "--format", "json",
    ]  # fmt: skip


def aic_sweep_argv(aic: list[str], backend: str, save_dir: Path) -> list[str]:
    s = SWEEP
    return [
        *aic, "default", "--model-path", s["model"][1], "--system", s["system"][1],
        "--total-gpus", str(s["gpus"]), "--isl", str(s["isl"]), "--osl", str(s["osl"]),
        "--ttft", str(SLO_MS["ttft"]), "--tpot", str(SLO_MS["tpot"]), "--backend", backend,
        "--save-dir", str(save_dir),
    ]  # fmt: skip


def ccc_best(document: dict[str, Any]) -> dict[str, Any] | None:
    """The plan `ccc estimate` ranks first: its layout and prediction."""
    if not document.get("plans"):
        return None
    best = document["plans"][0]
    performance = best["performance"]
    replicas = best["roles"][0]["replicas"]  # the prediction is of one instance
    return {
        "layout": " + ".join(_ccc_role(r) for r in best["roles"]),
        "concurrency": performance["concurrency"] * replicas,
        "ttft_ms": _ms(performance["ttft_s"]),
        "tpot_ms": _ms(performance["tpot_s"]),
        "output_tokens_per_s_per_gpu": _round(performance["output_tokens_per_s_per_device"]),
        "meets_slo": performance["meets_slo"],
    }


def _ccc_role(role: dict[str, Any]) -> str:
    degrees = f"tp{role['tp']} pp{role['pp']} dp{role['dp']} ep{role['ep']}"
    return f"{role['role']}: {role['replicas']} x ({degrees})"


def aic_best(save_dir: Path, total_gpus: int) -> dict[str, Any] | None:
    """The best of aiconfigurator's aggregated and disaggregated winners (its CSV rows
    describe one replica: totals are scaled to the GPUs asked for)."""
    found = []
    for path in sorted(save_dir.rglob("best_config_topn.csv")):
        mode = path.parent.name
        with path.open(newline="", encoding="utf-8") as stream:
            first = next(csv.DictReader(stream), None)
        if first is not None:
            found.append(_aic_row(mode, first, total_gpus))
    return max(found, key=lambda r: r["output_tokens_per_s_per_gpu"], default=None)


def _aic_row(mode: str, row: dict[str, str], total_gpus: int) -> dict[str, Any]:
    replicas = max(1, total_gpus // int(float(row["num_total_gpus"])))
    if mode == "agg":
        layout = f"agg: {replicas} x ({row['parallel']}, batch {row['bs']})"
    else:
        layout = (
            f"disagg: {replicas} x (prefill {row['(p)workers']} x {row['(p)parallel']}, "
            f"decode {row['(d)workers']} x {row['(d)parallel']} batch {row['(d)bs']})"
        )
    return {
        "layout": layout,
        "concurrency": int(float(row["concurrency"])) * replicas,
        "ttft_ms": _round(float(row["ttft"])),
        "tpot_ms": _round(float(row["tpot"])),
        "output_tokens_per_s_per_gpu": _round(float(row["tokens/s/gpu"])),
        "meets_slo": float(row["ttft"]) <= SLO_MS["ttft"] and float(row["tpot"]) <= SLO_MS["tpot"],
    }


def sweep(aic: list[str] | None, backend: str, count: int) -> dict[str, Any]:
    ccc_argv = ccc_sweep_argv(backend)
    result: dict[str, Any] = {"ccc": runs(ccc_argv, count).as_dict()}
    result["ccc"]["best"] = ccc_best(json.loads(_output(ccc_argv)))
    if aic is not None:
        with tempfile.TemporaryDirectory() as tmp:
            save_dir = Path(tmp) / "results"
            argv = aic_sweep_argv(aic, backend, save_dir)
            result["aiconfigurator"] = runs(argv, count).as_dict()
            result["aiconfigurator"]["best"] = aic_best(save_dir, SWEEP["gpus"])
        ratio = result["aiconfigurator"]["median_s"] / result["ccc"]["median_s"]
        result["ccc_faster_by"] = round(ratio, 1)
    return result


# --- job 2: single points ------------------------------------------------------------------


_AIC_FIGURE = re.compile(r"^\s+(TTFT|TPOT|tokens/s/gpu):\s+([\d,.]+)", re.MULTILINE)


def ccc_point(point: Point) -> dict[str, Any]:
    argv = [*ccc_command(), "estimate", *point.ccc, "--format", "json"]
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - start
    best = ccc_best(json.loads(done.stdout)) if done.stdout.strip().startswith("{") else None
    if best is None:
        return {"error": _last_line(done.stderr), "wall_s": _round(wall)}
    return {k: best[k] for k in ("ttft_ms", "tpot_ms", "output_tokens_per_s_per_gpu")} | {
        "wall_s": _round(wall)
    }


def aic_point(aic: list[str], point: Point) -> dict[str, Any]:
    start = time.perf_counter()
    done = subprocess.run([*aic, "estimate", *point.aic], capture_output=True, text=True)
    wall = time.perf_counter() - start
    figures = {
        name: float(value.replace(",", "")) for name, value in _AIC_FIGURE.findall(done.stdout)
    }
    if done.returncode != 0 or len(figures) < 3:
        return {"error": _last_line(done.stdout + done.stderr), "wall_s": _round(wall)}
    return {
        "ttft_ms": _round(figures["TTFT"]),
        "tpot_ms": _round(figures["TPOT"]),
        "output_tokens_per_s_per_gpu": _round(figures["tokens/s/gpu"]),
        "wall_s": _round(wall),
    }


def measured_rows(data: Path) -> dict[str, dict[str, Any]]:
    rows = json.loads(data.read_text(encoding="utf-8"))
    return {row["id"]: row["measured"] for row in rows}


def leave_one_out(data: Path) -> dict[str, dict[str, float]]:
    """ccc's prediction of every row from factors fitted without it."""
    argv = [*ccc_command(), "calibrate", str(data), "--leave-one-out", "--format", "json"]
    report = json.loads(_output(argv, allowed=(0, 1)))
    predicted: dict[str, dict[str, float]] = {}
    for scored in report["rows"]:
        if scored.get("predicted") is not None:
            predicted.setdefault(scored["id"], {})[scored["metric"]] = scored["predicted"]
    return predicted


def points(aic: list[str] | None) -> list[dict[str, Any]]:
    data = SHARED_DATA if SHARED_DATA.exists() else BUNDLED_DATA
    measured = measured_rows(data)
    held_out = leave_one_out(data)
    results = []
    for point in POINTS:
        entry: dict[str, Any] = {"point": point.label, "ccc": ccc_point(point)}
        if aic is not None:
            entry["aiconfigurator"] = aic_point(aic, point)
        if point.row is not None and point.row in measured:
            entry["row"] = point.row
            entry["measured"] = _metrics_of(measured[point.row])
            entry["ccc_leave_one_out"] = _metrics_of(held_out.get(point.row, {}))
        results.append(entry)
    return results


def _metrics_of(values: dict[str, float]) -> dict[str, float]:
    names = {
        "ttft_ms": "ttft_ms",
        "tpot_ms": "tpot_ms",
        "output_tokens_per_s_per_device": "output_tokens_per_s_per_gpu",
    }
    return {names[k]: _round(v) for k, v in values.items() if k in names}


# --- output ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.install:
        install(args.venv)
    aic = aic_command(args.venv)
    if aic is None:
        print(
            f"aiconfigurator is not installed in {args.venv}: run with --install to create it "
            "(ccc's side is measured alone)",
            file=sys.stderr,
        )
    result: dict[str, Any] = {
        "machine": machine(),
        "aiconfigurator": aic_version(args.venv) if aic else None,
        "runs": args.runs,
    }
    if "sweep" in args.jobs:
        result["sweep"] = sweep(aic, args.backend, args.runs)
        print_sweep(result["sweep"])
    if "points" in args.jobs:
        result["points"] = points(aic)
        print_points(result["points"])
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    return 0


def print_sweep(result: dict[str, Any]) -> None:
    s = SWEEP
    print(
        f"\nsweep: {s['model'][1]} on {s['gpus']} x H200, {s['isl']} in / {s['osl']} out, "
        f"TTFT <= {SLO_MS['ttft']} ms, TPOT <= {SLO_MS['tpot']} ms"
    )
    for tool in ("ccc", "aiconfigurator"):
        if tool not in result:
            continue
        figures, best = result[tool], result[tool]["best"] or {}
        print(
            f"  {tool:15} wall {figures['median_s']:7.3f} s  peak {figures['peak_mib']:6.1f} MiB  "
            f"best {best.get('layout', 'none')}: {best.get('output_tokens_per_s_per_gpu')} "
            f"tok/s/GPU, TTFT {best.get('ttft_ms')} ms, TPOT {best.get('tpot_ms')} ms, "
            f"concurrency {best.get('concurrency')} in all"
        )
    if "ccc_faster_by" in result:
        print(f"  ccc is {result['ccc_faster_by']}x faster")


def print_points(results: list[dict[str, Any]]) -> None:
    print("\nsingle points (TTFT ms / TPOT ms / output tok/s per GPU)")
    for entry in results:
        print(f"  {entry['point']}")
        for key in ("ccc", "ccc_leave_one_out", "aiconfigurator", "measured"):
            if key in entry:
                print(f"    {key:18} {_figures(entry[key])}")


def _figures(values: dict[str, Any]) -> str:
    if "error" in values:
        return f"no estimate: {values['error']}"
    keys = ("ttft_ms", "tpot_ms", "output_tokens_per_s_per_gpu")
    return " / ".join(str(values.get(k, "-")) for k in keys)


def _output(argv: list[str], allowed: tuple[int, ...] = (0,)) -> str:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode not in allowed:
        raise SystemExit(f"{' '.join(argv[:3])}... failed: {_last_line(done.stderr)}")
    return done.stdout


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else _round(seconds * 1000)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


if __name__ == "__main__":
    sys.exit(main())

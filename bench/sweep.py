"""The SLO sweep "Qwen3-32B on 8 x H200, 4,000 in / 500 out, TTFT <= 2 s, TPOT <= 50 ms".

ccc's equivalent of aiconfigurator's `cli default` with those arguments: every feasible
layout of one HGX H200 server (vLLM), each at every concurrency its KV cache holds (powers of
two and their midpoints), ranked by output tokens/s per GPU under the SLO. Two timings:
  in-process  the search alone (catalog loaded once), median of --runs
  process     `ccc estimate ... --format json` as a user runs it, median of --runs
The bar (issue 29): the whole process within 0.35 s wall.
Run: python bench/sweep.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ARGS = [
    "--model", "qwen3_32b", "--system", "hgx_h200", "--devices", "8",
    "--isl", "4000", "--osl", "500", "--format", "json",
]  # fmt: skip
SLO = {"ttft": 2.0, "tpot": 0.05}


def in_process(runs: int) -> tuple[float, dict]:
    from ccc.api import load_catalog
    from ccc.front.resolve import Options
    from ccc.performance.recommend import Ask, estimate

    contract = load_catalog(Options(cwd=Path.cwd())).contract
    ask = Ask("qwen3_32b", "hgx_h200", input_tokens=4000, output_tokens=500, **SLO)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = estimate(contract, ask, 8, {})
        times.append(time.perf_counter() - start)
    best = answer.report.plans[0]
    roles = [{k: getattr(r, k) for k in ("tp", "dp", "pp", "ep", "replicas")} for r in best.roles]
    performance = best.performance.model_dump(exclude={"decode_step", "factors"})
    return statistics.median(times), {"roles": roles, "performance": performance}


def process(runs: int) -> tuple[float, float]:
    """Median and fastest wall time of the whole process. The package's modules are
    byte-compiled first, as `pip install` (not editable) leaves them: with
    PYTHONDONTWRITEBYTECODE set, an editable checkout would recompile every edited module on
    every run and time the compiler, not ccc."""
    root = Path(__file__).resolve().parent.parent
    folders = [str(root / name) for name in ("compiler", "dsl", "targets")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)
    command = [sys.executable, "-m", "ccc.cli", "estimate", *ARGS, "--ttft", "2s", "--tpot", "50ms"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    search, best = in_process(args.runs)
    wall, fastest = process(args.runs)
    result = {"search_s": search, "process_s": wall, "process_fastest_s": fastest, "best": best}
    print(
        f"sweep (search only): {search:.3f} s; whole `ccc estimate` process: {wall:.3f} s "
        f"(median of {args.runs}; fastest {fastest:.3f} s)"
    )
    print(json.dumps(best, indent=2, sort_keys=True))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Wall time and peak memory of `ccc plan` as the cluster grows: 64 -> 384 -> 8,192 -> 32,768.

Two series, each a generated contract serving DeepSeek-V3 with every degree `auto`:
  hgx:   HGX H200 servers (8 GPUs each) joined by InfiniBand, fp8 weights
  ascend: Atlas 950 SuperPoDs (8,192 NPUs in one scale-up domain); at 384, CloudMatrix384
          (384 packages, so 768 dies: the row is twice its label), at 64, 4 Atlas 800 A3
Each size runs `ccc plan --format json --ranks --top 1` (the best plan with its full rank
table) in fresh processes, median of --runs; peak memory is the child's max RSS.
The bar (issue 12): 8,192 devices within 1 s and 200 MiB, 32,768 within 4.5x the 8,192 time.
Run: python bench/plan_scaling.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import ccc_command, runs

SIZES = (64, 384, 8192, 32768)


def hgx(devices: int) -> str:
    return (
        'import "std/nvidia"\nimport "std/models/deepseek"\nimport "std/toolkits/sglang"\n'
        f"cluster c {{ server = hgx_h200  nodes = {devices // 8} }}\n"
        "deployment d { model = deepseek_v3  cluster = c  toolkit = sglang  weights = fp8\n"
        "  workload { input_tokens = 2048  output_tokens = 512  concurrency = 64 } }\n"
    )


def ascend(devices: int) -> str:
    if devices == 64:
        cluster = "cluster c { server = atlas_800_a3  nodes = 4 }"
    elif devices == 384:
        cluster = (
            "cluster c { supernode = cloudmatrix384  supernodes = 1 }\n# 768 dies: 384 packages"
        )
    else:
        cluster = f"cluster c {{ supernode = atlas_950_superpod  supernodes = {devices // 8192} }}"
    return (
        'import "std/ascend"\nimport "std/models/deepseek"\nimport "std/toolkits/vllm_ascend"\n'
        f"{cluster}\n"
        "deployment d { model = deepseek_v3  cluster = c  toolkit = vllm_ascend  weights = int8\n"
        "  workload { input_tokens = 2048  output_tokens = 512  concurrency = 64 } }\n"
    )


def measure(path: Path, count: int) -> tuple[float, float]:
    figures = runs(
        [*ccc_command(), "plan", str(path), "--format", "json", "--ranks", "--top", "1"], count
    )
    return figures.median_s, figures.peak_mib


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for series, make in (("hgx", hgx), ("ascend", ascend)):
            for devices in SIZES:
                path = Path(tmp) / f"{series}_{devices}.cc"
                path.write_text(make(devices), encoding="utf-8")
                start = time.perf_counter()
                wall, peak = measure(path, args.runs)
                rows.append(
                    {
                        "series": series,
                        "devices": devices,
                        "wall_s": round(wall, 3),
                        "peak_mib": round(peak, 1),
                    }
                )
                print(
                    f"{series:7s} {devices:6d} devices  wall {wall:6.3f} s  peak {peak:6.1f} MiB"
                    f"  ({time.perf_counter() - start:.1f} s for {args.runs} runs)",
                    flush=True,
                )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

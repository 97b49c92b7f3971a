"""`ccc compile` of the 8-device example to every target that applies (vllm, k8s, slurm,
bench, plan), as a user runs it: a separate process each time, writing into a fresh
directory; then `ccc validate` of that output against the contract, as a pull request runs it.
Median, minimum and maximum wall time and the peak resident memory of the runs.
The bar (issue 14): compile median <= 0.6 s.
Run: python bench/compile.py [--runs N] [--example FILE]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(*argv: str) -> float:
    ccc = Path(sys.executable).parent / "ccc"
    command = [str(ccc)] if ccc.exists() else [sys.executable, "-m", "ccc.cli"]
    start = time.perf_counter()
    subprocess.run([*command, *argv], check=True, capture_output=True)
    return time.perf_counter() - start


def report(what: str, times: list[float]) -> None:
    print(f"{what}, {len(times)} processes:")
    print(
        f"  median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--example", default=str(ROOT / "examples" / "h200_qwen3_32b.cc"))
    args = parser.parse_args()
    example = Path(args.example)
    with tempfile.TemporaryDirectory() as scratch:
        outs = [str(Path(scratch) / f"out{i}") for i in range(args.runs)]
        compiles = [timed("compile", str(example), "-o", out) for out in outs]
        validates = [timed("validate", out, "--contract", str(example)) for out in outs]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    report(f"ccc compile {example.name} to every target", compiles)
    report(f"ccc validate of that output against {example.name}", validates)
    print(f"  peak resident memory of a run: {peak:.0f} MiB")


if __name__ == "__main__":
    main()

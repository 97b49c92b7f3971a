"""Start-up cost of `ccc check` against the bare import of the stack it must use.

N separate processes each (default 7), interleaved:
  baseline: python -c "import lark, pydantic; pydantic.BaseModel"
  ccc:      ccc check <an 8-device example>
The bar is ccc <= 1.5 x baseline, as the median ratio of CPU time within each pair of runs.
Run: python bench/startup.py [--runs N] [FILE]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

DEFAULT = Path(__file__).resolve().parent.parent / "examples" / "h200_qwen3_32b.cc"


class Series(NamedTuple):
    """One side's runs: wall and CPU seconds of each, in run order."""

    walls: list[float]
    cpus: list[float]


def measure(commands: list[list[str]], runs: int) -> list[Series]:
    """Wall and CPU seconds of every run of each command. Runs are interleaved (A B A B
    ...), so both sides of a pair see the same background load; CPU time (user + system of
    the child) is the steadier figure on a busy machine."""
    series = [Series([], []) for _ in commands]
    for _ in range(runs):
        for command, side in zip(commands, series, strict=True):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            side.walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            side.cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return series


def paired(check: list[float], base: list[float]) -> tuple[float, float, float]:
    """The median of the ratios of runs made one after the other, and its quartiles.

    A virtual machine's speed drifts by tens of percent within a minute; a ratio taken
    within a pair cancels the drift that a ratio of two medians keeps."""
    ratios = [c / b for c, b in zip(check, base, strict=True)]
    low, middle, high = statistics.quantiles(ratios, n=4)
    return middle, low, high


def console_script() -> str:
    """The `ccc` that pip installed for this interpreter. Not the first `ccc` on PATH: a
    version manager's shim there (pyenv's is a bash script) would add its own start-up,
    tens of milliseconds, to ccc's side only, since the baseline runs this interpreter."""
    beside = Path(sys.executable).parent / "ccc"
    return str(beside) if beside.exists() else shutil.which("ccc") or "ccc"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ccc = console_script()
    base, check = measure(
        [
            [sys.executable, "-c", "import lark, pydantic; pydantic.BaseModel"],
            [ccc, "check", args.file],
        ],
        args.runs,
    )
    cache = "off" if sys.flags.dont_write_bytecode else "on"
    print(f"{args.runs} interleaved runs each; bytecode cache {cache}; {ccc}")
    for label, side in (
        ("baseline (import lark, pydantic)", base),
        (f"ccc check {Path(args.file).name}", check),
    ):
        wall, cpu = statistics.median(side.walls), statistics.median(side.cpus)
        print(f"  {label:<34}median wall {wall * 1e3:6.1f} ms  cpu {cpu * 1e3:6.1f} ms")
    for kind, c, b in (("wall", check.walls, base.walls), ("cpu", check.cpus, base.cpus)):
        middle, low, high = paired(c, b)
        print(f"  ratio {kind:<4} {middle:.2f}  (quartiles {low:.2f}-{high:.2f}; bar 1.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

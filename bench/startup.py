"""Start-up cost of `ccc check` against the bare import of the stack it must use.

Median wall time of N separate processes each (default 7):
  baseline: python -c "import lark, pydantic; pydantic.BaseModel"
  ccc:      ccc check <an 8-device example>
The bar is ccc <= 1.5 x baseline. Run: python bench/startup.py [--runs N] [FILE]
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

DEFAULT = Path(__file__).resolve().parent.parent / "examples" / "h200_qwen3_32b.cc"


def measure(commands: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """Median wall and CPU seconds of each command. Runs are interleaved (A B A B ...), so
    both sides see the same background load; CPU time (user + system of the child) is the
    steadier figure on a busy machine."""
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for i, command in enumerate(commands):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            walls[i].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[i].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


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
    (base_wall, base_cpu), (check_wall, check_cpu) = measure(
        [
            [sys.executable, "-c", "import lark, pydantic; pydantic.BaseModel"],
            [ccc, "check", args.file],
        ],
        args.runs,
    )
    cache = "off" if sys.flags.dont_write_bytecode else "on"
    print(f"median of {args.runs} interleaved runs; bytecode cache {cache}; {ccc}")
    print(
        f"  baseline (import lark, pydantic)  wall {base_wall * 1e3:6.1f} ms  cpu {base_cpu * 1e3:6.1f} ms"
    )
    print(
        f"  ccc check {Path(args.file).name:<24}wall {check_wall * 1e3:6.1f} ms  cpu {check_cpu * 1e3:6.1f} ms"
    )
    print(f"  ratio  wall {check_wall / base_wall:.2f}  cpu {check_cpu / base_cpu:.2f}  (bar 1.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

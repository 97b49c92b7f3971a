"""Start-up cost of `ccc check` against the bare import of the stack it must use.

Median wall time of N separate processes each (default 7):
  baseline: python -c "import lark, pydantic; pydantic.BaseModel"
  ccc:      ccc check <an 8-device example>
The bar is ccc <= 1.5 x baseline. Run: python bench/startup.py [--runs N] [FILE]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent / "examples" / "h200_qwen3_32b.cc"


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ccc = shutil.which("ccc") or f"{Path(sys.executable).parent}/ccc"
    baseline = median_seconds(
        [sys.executable, "-c", "import lark, pydantic; pydantic.BaseModel"], args.runs
    )
    check = median_seconds([ccc, "check", args.file], args.runs)
    print(f"baseline import lark+pydantic: {baseline * 1000:7.1f} ms (median of {args.runs})")
    print(f"ccc check {Path(args.file).name}: {check * 1000:7.1f} ms (median of {args.runs})")
    print(f"ratio: {check / baseline:.2f} (bar: 1.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

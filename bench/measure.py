"""Timing a command as a user runs it: a fresh process each time, its wall time from start
to exit and its own peak resident memory (from `wait4`, so one run's peak is not mixed with
another's). Shared by the benchmark scripts."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

__all__ = ["Figures", "ccc_command", "machine", "positive_int", "run_once", "runs"]


class Figures(NamedTuple):
    """Wall seconds (median, min, max over the runs) and the highest peak RSS in MiB."""

    median_s: float
    min_s: float
    max_s: float
    peak_mib: float
    runs: int
    exit_code: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "median_s": round(self.median_s, 4),
            "min_s": round(self.min_s, 4),
            "max_s": round(self.max_s, 4),
            "peak_mib": round(self.peak_mib, 1),
            "runs": self.runs,
            "exit_code": self.exit_code,
        }


def ccc_command() -> list[str]:
    """The installed `ccc` beside this interpreter, else `python -m ccc.cli`."""
    beside = Path(sys.executable).parent / "ccc"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ccc")
    return [found] if found else [sys.executable, "-m", "ccc.cli"]


def run_once(argv: Sequence[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one process; its output is discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return wall, usage.ru_maxrss / 1024, process.returncode  # ru_maxrss is KiB on Linux


def runs(argv: Sequence[str], count: int, cwd: Path | None = None, before=None) -> Figures:
    """`count` runs of `argv` (`before()` is called ahead of each, e.g. to clear an output
    directory, and is not timed)."""
    walls, peaks, codes = [], [], []
    for _ in range(count):
        if before is not None:
            before()
        wall, peak, code = run_once(argv, cwd)
        walls.append(wall)
        peaks.append(peak)
        codes.append(code)
    return Figures(statistics.median(walls), min(walls), max(walls), max(peaks), count, max(codes))


def positive_int(text: str) -> int:
    """An argparse type: a count of runs, at least 1."""
    import argparse

    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def machine() -> dict[str, str | int]:
    """What the figures were measured on."""
    return {
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "processor": _cpu_model(),
        "cpus": os.cpu_count() or 0,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"

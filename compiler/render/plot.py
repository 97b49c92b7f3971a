"""Render: the Pareto front as a PNG, tokens/s per device against tokens/s per user.

matplotlib is an optional extra (`pip install 'cluster-contract-compiler[plot]'`); importing
this module without it raises ImportError, which the CLI turns into a usage error.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt
from ccc.plans import PlanReport

__all__ = ["plot_front"]


def plot_front(report: PlanReport, path: Path) -> None:
    """Write the report's Pareto fronts to `path` (PNG, atomically, no timestamp)."""
    from ccc.writer import write_bytes_atomic

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=100)
    for name in sorted({f.deployment for f in report.pareto}):
        front = [f for f in report.pareto if f.deployment == name]
        users = [f.tokens_per_s_per_user for f in front]
        devices = [f.output_tokens_per_s_per_device for f in front]
        axes.plot(users, devices, marker="o", label=name)
        for f in front:
            axes.annotate(
                f"{f.plan} @{f.concurrency}",
                (f.tokens_per_s_per_user, f.output_tokens_per_s_per_device),
                fontsize=6,
                textcoords="offset points",
                xytext=(3, 3),
            )
    axes.set_xlabel("output tokens/s per user")
    axes.set_ylabel("output tokens/s per device")
    axes.set_title("Pareto front (predicted)")
    axes.grid(True, alpha=0.3)
    if report.pareto:
        axes.legend(fontsize=8)
    buffer = io.BytesIO()
    # No creation time or software version in the file: the same plans give the same bytes.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    write_bytes_atomic(path, buffer.getvalue())

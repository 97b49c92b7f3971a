"""Render: diagnostics and sources in, text out (rustc-style text, JSON, SARIF 2.1.0)."""

from __future__ import annotations

from collections.abc import Sequence

from ccc.targets._files import dumps  # one JSON writer for diagnostics, plans and artifacts

__all__ = ["columns", "dumps", "duration"]


def columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows of cells as left-aligned columns, two spaces apart, indented by two."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def duration(seconds: float) -> str:
    """A time as people read it: `28.0 ms` under a second, `2.47 s` from one, `16.2 min`
    from two minutes and `3.1 h` from two hours (a queue's wait, say)."""
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"

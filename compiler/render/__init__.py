"""Renderers: diagnostics and sources in, text out (rustc-style text, JSON, SARIF 2.1.0)."""

from __future__ import annotations

import json as _json  # not `json`: that name is the sibling module ccc.render.json
from typing import Any

__all__ = ["dumps"]


def dumps(data: Any) -> str:
    """JSON as ccc writes it everywhere: sorted keys, two-space indent, UTF-8, final newline,
    so equal data is byte-identical output."""
    return _json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

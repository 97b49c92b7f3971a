"""JSON: diagnostics as data, in the versioned `Report` shape (its JSON Schema via
`ccc schema report`). Keys sorted, so equal input gives byte-identical output."""

from __future__ import annotations

import json
from typing import Any

from ccc.diagnostics import Diagnostic, Severity
from pydantic import BaseModel, Field

__all__ = ["Report", "UnknownFigure", "dumps", "render"]


class UnknownFigure(BaseModel):
    deployment: str
    figure: str
    blocks: str


class Report(BaseModel):
    """What `ccc check --format json` prints."""

    version: int = 1
    errors: int
    warnings: int
    diagnostics: list[Diagnostic]
    unknown_figures: list[UnknownFigure] = Field(default_factory=list)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render(diagnostics: list[Diagnostic], unknowns: list[UnknownFigure] | None = None) -> str:
    report = Report(
        errors=sum(d.severity is Severity.ERROR for d in diagnostics),
        warnings=sum(d.severity is Severity.WARNING for d in diagnostics),
        diagnostics=diagnostics,
        unknown_figures=unknowns or [],
    )
    return dumps(report.model_dump(mode="json"))

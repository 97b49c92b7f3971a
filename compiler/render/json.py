"""Render: diagnostics as JSON data, in the versioned `Report` shape (`ccc schema report`).

Keys sorted, so equal input gives byte-identical output.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ccc.diagnostics import Diagnostic, Severity
from ccc.render import dumps
from pydantic import BaseModel, Field

__all__ = [
    "CompileReport",
    "CompiledDeployment",
    "CompiledRole",
    "Report",
    "UnknownFigure",
    "render",
]


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


class CompiledRole(BaseModel):
    role: str
    tp: int
    dp: int
    pp: int
    ep: int
    replicas: int
    devices: int  # every device of the role's instances


class CompiledDeployment(BaseModel):
    deployment: str
    toolkit: str
    devices: int
    servers: int
    roles: list[CompiledRole]
    endpoint: str | None  # where clients call it on Kubernetes
    files: list[str]  # relative to the output directory


class CompileReport(Report):
    """What `ccc compile --format json` prints: the diagnostics, and what was written."""

    output: str | None = None  # the directory, when the compile wrote it
    deployments: list[CompiledDeployment] = Field(default_factory=list)


def render(diagnostics: list[Diagnostic], unknowns: Iterable[Any] = ()) -> str:
    """The report; `unknowns` are the checks' blockers (deployment, figure, blocks)."""
    report = Report(
        errors=sum(d.severity is Severity.ERROR for d in diagnostics),
        warnings=sum(d.severity is Severity.WARNING for d in diagnostics),
        diagnostics=diagnostics,
        unknown_figures=[
            UnknownFigure(deployment=u.deployment, figure=u.figure, blocks=u.blocks)
            for u in unknowns
        ],
    )
    return dumps(report.model_dump(mode="json"))

"""Core: diagnostics, what ccc says about a contract, each with a stable code and a span.

In: nothing of ccc but the span (a leaf). Out: `Diagnostic`, built by the stages with
`Diagnostic.error(CODE, span=..., message=..., ...)` and rendered by `ccc.render`.
A user mistake is never raised: stages return diagnostics, and exit codes follow from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import NamedTuple

from ccc.span import Span

__all__ = ["Code", "Diagnostic", "Label", "Severity", "exit_code", "has_errors", "sort_key"]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Code(NamedTuple):
    """A registered diagnostic: `CCnnnn`, a kebab slug, a default severity and its explanation."""

    code: str
    slug: str
    severity: Severity
    summary: str
    explain: str


@dataclass(frozen=True)
class Label:
    """A secondary place worth showing, with a short note."""

    span: Span
    message: str

    @classmethod
    def at(cls, span: Span | None, message: str) -> list[Label]:
        """The label as a list of one, or none where the place is unknown (a block made in
        memory, as `ccc estimate` makes its deployment, has no span to point at)."""
        return [] if span is None else [cls(span=span, message=message)]


@dataclass(frozen=True)
class Diagnostic:
    """One finding. `label` annotates the primary span; `labels` point elsewhere.

    A dataclass (cheap to create on every check); the JSON report that carries it is a
    pydantic model, so its schema is generated all the same.
    """

    code: str
    slug: str
    severity: Severity
    message: str
    span: Span | None = None
    label: str | None = None
    labels: list[Label] = field(default_factory=list)
    help: str | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def make(
        cls,
        code: Code,
        *,
        message: str,
        span: Span | None = None,
        label: str | None = None,
        labels: Iterable[Label] = (),
        help: str | None = None,
        notes: Iterable[str] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        return cls(
            code=code.code,
            slug=code.slug,
            severity=severity or code.severity,
            message=message,
            span=span,
            label=label,
            labels=list(labels),
            help=help,
            notes=list(notes),
        )

    def escalated(self) -> Diagnostic:
        """The same finding as an error (`--strict` turns warnings into errors)."""
        if self.severity is not Severity.WARNING:
            return self
        return replace(self, severity=Severity.ERROR)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def exit_code(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> int:
    """0 clean (warnings allowed), 1 errors (warnings count with `strict`), 2 internal error."""
    items = list(diagnostics)
    if any(d.code.startswith("CC9") for d in items):
        return 2
    if has_errors(items) or (strict and any(d.severity is Severity.WARNING for d in items)):
        return 1
    return 0


def sort_key(d: Diagnostic) -> tuple:
    """Report in reading order: by file, position, then code, so output is stable."""
    if d.span is None:
        return ("", 0, 0, d.code, d.message)
    return (d.span.file, d.span.line, d.span.column, d.code, d.message)

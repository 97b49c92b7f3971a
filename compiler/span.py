"""A region of source text. A leaf module: the IR and the diagnostics both point with it.

A frozen dataclass rather than a pydantic model: every node of every parsed file carries
spans, so creating one must be cheap; pydantic still validates and serialises it wherever it
sits inside an IR block or a report.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file: 1-based line and column, end column exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

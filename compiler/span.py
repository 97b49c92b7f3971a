"""A region of source text. A leaf module: the IR and the diagnostics both point with it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Span"]


class Span(BaseModel):
    """A region of a source file: 1-based line and column, end column exclusive."""

    model_config = ConfigDict(frozen=True)
    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

"""Core: a region of source text, a leaf the IR and the diagnostics both point with.

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

    @classmethod
    def point(cls, file: str, line: int, column: int) -> Span:
        """The one character at `line`:`column`."""
        return cls(file, line, column, line, column + 1)

    @classmethod
    def at_offset(cls, file: str, text: str, offset: int) -> Span:
        """The one character at `offset` of `text` (a character index, not a byte)."""
        line = text.count("\n", 0, offset) + 1
        return cls.point(file, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)

    @classmethod
    def of_decode_error(cls, file: str, error: UnicodeDecodeError) -> Span:
        """The first byte that is not UTF-8, as a line and a column of the text before it."""
        before = error.object[: error.start]
        column = len(bytes(before).decode("utf-8", "replace").rsplit("\n", 1)[-1]) + 1
        return cls.point(file, before.count(b"\n") + 1, column)

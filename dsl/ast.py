"""The syntax tree of a `.cc` file: what the user wrote, with a span on every node.

In: built by `ccc.dsl.parser`. Out: read by the lowering (to IR) and the formatter.
Plain frozen dataclasses, not pydantic: the tree is internal and built on every `ccc check`,
so it stays cheap. Numbers keep their text so the formatter reprints them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccc.span import Span

__all__ = [
    "Assign",
    "BlockDecl",
    "Body",
    "Bool",
    "Comment",
    "Entry",
    "File",
    "Import",
    "ListValue",
    "Quantity",
    "Ref",
    "Section",
    "Str",
    "UnknownValue",
    "Value",
]


@dataclass(frozen=True)
class Quantity:
    number: str
    unit: str | None
    span: Span
    unit_span: Span | None = None

    @property
    def magnitude(self) -> float:
        return float(self.number.replace("_", ""))


@dataclass(frozen=True)
class Str:
    value: str
    span: Span


@dataclass(frozen=True)
class Ref:
    name: str
    span: Span


@dataclass(frozen=True)
class UnknownValue:
    span: Span


@dataclass(frozen=True)
class Bool:
    value: bool
    span: Span


@dataclass(frozen=True)
class ListValue:
    items: tuple[Value, ...]
    span: Span


Value = Quantity | Str | Ref | UnknownValue | Bool | ListValue


@dataclass(frozen=True)
class Assign:
    """`key = value`, or `key <= value` in an objective (`op` says which)."""

    key: str
    key_span: Span
    op: str
    value: Value
    span: Span
    quoted_key: bool = False


@dataclass(frozen=True)
class Body:
    entries: tuple[Entry, ...]
    span: Span


@dataclass(frozen=True)
class Section:
    """A nested block: `workload { ... }`."""

    name: str
    name_span: Span
    body: Body
    span: Span


Entry = Assign | Section


@dataclass(frozen=True)
class Import:
    path: str
    span: Span
    path_span: Span


@dataclass(frozen=True)
class BlockDecl:
    kind: str
    kind_span: Span
    name: str
    name_span: Span
    body: Body | None
    span: Span
    extends: Ref | None = None
    source: Str | None = None


@dataclass(frozen=True)
class Comment:
    text: str
    line: int
    column: int


@dataclass
class File:
    path: str
    items: list[Import | BlockDecl] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

"""Language: the syntax tree of a `.cc` file, what the user wrote, with a span on every node.

In: built by `ccc.dsl.parser`. Out: read by the lowering (to IR) and the formatter.
NamedTuples, not pydantic or dataclasses: the tree is internal and its classes are created
on every `ccc check`, where a NamedTuple costs a seventh of a frozen dataclass. Numbers keep their text so the formatter reprints them unchanged.
"""

from __future__ import annotations

from typing import NamedTuple

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


class Quantity(NamedTuple):
    number: str
    unit: str | None
    span: Span
    unit_span: Span | None = None

    @property
    def magnitude(self) -> float:
        return float(self.number.replace("_", ""))


class Str(NamedTuple):
    value: str
    span: Span


class Ref(NamedTuple):
    name: str
    span: Span


class UnknownValue(NamedTuple):
    span: Span


class Bool(NamedTuple):
    value: bool
    span: Span


class ListValue(NamedTuple):
    items: tuple[Value, ...]
    span: Span


Value = Quantity | Str | Ref | UnknownValue | Bool | ListValue


class Assign(NamedTuple):
    """`key = value`, or `key <= value` in an objective (`op` says which)."""

    key: str
    key_span: Span
    op: str
    value: Value
    span: Span
    quoted_key: bool = False


class Body(NamedTuple):
    entries: tuple[Entry, ...]
    span: Span


class Section(NamedTuple):
    """A nested block: `workload { ... }`."""

    name: str
    name_span: Span
    body: Body
    span: Span


Entry = Assign | Section


class Import(NamedTuple):
    path: str
    span: Span
    path_span: Span


class BlockDecl(NamedTuple):
    kind: str
    kind_span: Span
    name: str
    name_span: Span
    body: Body | None
    span: Span
    extends: Ref | None = None
    source: Str | None = None


class Comment(NamedTuple):
    text: str
    line: int
    column: int


class File:
    """A parsed file: its top-level items and its comments (kept for the formatter)."""

    __slots__ = ("comments", "items", "path")

    def __init__(
        self,
        path: str,
        items: list[Import | BlockDecl] | None = None,
        comments: list[Comment] | None = None,
    ) -> None:
        self.path = path
        self.items: list[Import | BlockDecl] = items if items is not None else []
        self.comments: list[Comment] = comments if comments is not None else []

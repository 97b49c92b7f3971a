"""Language: `ccc fmt` prints a syntax tree back in the one canonical layout, comments kept.

In: `.cc` text. Out: the canonical text (or the syntax diagnostics that prevent it).
Canonical: two-space indents, one entry per line, `key = value` with single spaces, lists
inline, at most one blank line kept wherever the author left one. Comments stay where they
were: a comment after code on its line stays there; a comment on its own line stays before
the entry that followed it. Numbers keep their written text, so the meaning never changes
and formatting twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccc.diagnostics import Diagnostic
from ccc.dsl import ast
from ccc.dsl.parser import parse

__all__ = ["format_file", "format_text", "render_value"]

INDENT = "  "


def format_text(text: str, path: str = "<input>") -> tuple[str | None, list[Diagnostic]]:
    """The canonical form of `text`, or None and the syntax errors that prevent it."""
    tree, diagnostics = parse(text, path)
    if diagnostics:
        return None, diagnostics
    return format_file(tree), []


def format_file(tree: ast.File) -> str:
    printer = _Printer(sorted(tree.comments, key=lambda c: (c.line, c.column)))
    for item in tree.items:
        printer.item(item)
    printer.flush_comments(before_line=None, depth=0)
    return "\n".join(printer.lines).rstrip("\n") + "\n" if printer.lines else ""


def render_value(value: ast.Value) -> str:
    if isinstance(value, ast.Quantity):
        return value.number + (f" {value.unit}" if value.unit else "")
    if isinstance(value, ast.Str):
        return _quote(value.value)
    if isinstance(value, ast.Ref):
        return value.name
    if isinstance(value, ast.UnknownValue):
        return "unknown"
    if isinstance(value, ast.Bool):
        return "true" if value.value else "false"
    return "[" + ", ".join(render_value(v) for v in value.items) + "]"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


@dataclass
class _Printer:
    comments: list[ast.Comment]
    lines: list[str] = field(default_factory=list)
    last_line: int = 0  # the last source line printed, to see where blank lines were
    opened: bool = True  # just after `{` or at the file start: no blank line here

    def item(self, item: ast.Import | ast.BlockDecl) -> None:
        if isinstance(item, ast.Import):
            self.entry_line(item.span.line, item.span.end_line, f"import {_quote(item.path)}", 0)
            return
        header = f"{item.kind} {item.name}"
        if item.extends is not None:
            header += f" extends {item.extends.name}"
        if item.source is not None:
            header += f" from {_quote(item.source.value)}"
        if item.body is None:
            self.entry_line(item.span.line, item.span.end_line, header, 0)
            return
        self.nested(header, item.span.line, item.body, 0)

    def nested(self, header: str, line: int, body: ast.Body, depth: int) -> None:
        if not body.entries and not self._comments_within(body):
            self.entry_line(line, body.span.end_line, header + " {}", depth)
            return
        self.entry_line(line, body.span.line, header + " {", depth)
        self.opened = True
        for entry in body.entries:
            if isinstance(entry, ast.Section):
                self.nested(entry.name, entry.span.line, entry.body, depth + 1)
            else:
                key = _quote(entry.key) if entry.quoted_key else entry.key
                text = f"{key} {entry.op} {render_value(entry.value)}"
                self.entry_line(entry.span.line, entry.span.end_line, text, depth + 1)
        self.flush_comments(before_line=body.span.end_line, depth=depth + 1)
        self.lines.append(INDENT * depth + "}" + self._trailing(body.span.end_line))
        self.last_line = body.span.end_line
        self.opened = False

    def entry_line(self, start: int, end: int, text: str, depth: int) -> None:
        self.flush_comments(before_line=start, depth=depth)
        self._blank_if_gap(start)
        self.lines.append(INDENT * depth + text + self._trailing(end))
        self.last_line = end
        self.opened = False

    def flush_comments(self, before_line: int | None, depth: int) -> None:
        while self.comments and (before_line is None or self.comments[0].line < before_line):
            comment = self.comments.pop(0)
            self._blank_if_gap(comment.line)
            self.lines.append(INDENT * depth + comment.text)
            self.last_line = comment.line
            self.opened = False

    def _blank_if_gap(self, line: int) -> None:
        if not self.opened and line > self.last_line + 1:
            self.lines.append("")

    def _trailing(self, line: int) -> str:
        if self.comments and self.comments[0].line == line:
            return "  " + self.comments.pop(0).text
        return ""

    def _comments_within(self, body: ast.Body) -> bool:
        return any(body.span.line <= c.line <= body.span.end_line for c in self.comments)

"""Render: rustc-style text, the message, the location, the source line with carets, the help.

In: diagnostics and the source texts by file name. Out: a string. Colour only when asked
(the CLI asks on a terminal), so captured output and golden files are plain.
"""

from __future__ import annotations

from collections.abc import Iterable

from ccc.diagnostics import Diagnostic, Severity
from ccc.span import Span

__all__ = ["render", "summary"]

_COLOURS = {"error": "31", "warning": "33", "note": "36", "gutter": "34", "help": "36"}


def _paint(text: str, what: str, colour: bool, bold: bool = False) -> str:
    if not colour:
        return text
    code = _COLOURS.get(what, "0")
    return f"\x1b[{'1;' if bold else ''}{code}m{text}\x1b[0m"


def render(
    diagnostics: Iterable[Diagnostic], sources: dict[str, str], *, colour: bool = False
) -> str:
    return "".join(_one(d, sources, colour) + "\n" for d in diagnostics)


def _one(d: Diagnostic, sources: dict[str, str], colour: bool) -> str:
    spans = [s for s in [d.span, *(label.span for label in d.labels)] if s is not None]
    width = max((len(str(s.line)) for s in spans), default=1)
    pad = " " * width
    head = _paint(f"{d.severity.value}[{d.code}]", d.severity.value, colour, bold=True)
    lines = [f"{head}{_paint(': ' + d.message, '', colour, bold=True)}"]
    if d.span is not None:
        lines += _excerpt(d.span, d.label, "^", sources, pad, colour, d.severity.value, "-->")
    for label in d.labels:
        lines += _excerpt(
            label.span,
            label.message,
            "-",
            sources,
            pad,
            colour,
            "gutter",
            "-->" if d.span is None else ":::",
        )
    for note in d.notes:
        lines.append(f"{pad} {_paint('=', 'gutter', colour)} note: {note}")
    if d.help:
        lines.append(
            f"{pad} {_paint('=', 'gutter', colour)} "
            f"{_paint('help', 'help', colour, bold=True)}: {d.help}"
        )
    return "\n".join(lines)


def _excerpt(
    span: Span,
    label: str | None,
    mark: str,
    sources: dict[str, str],
    pad: str,
    colour: bool,
    tone: str,
    arrow: str,
) -> list[str]:
    bar = _paint("|", "gutter", colour)
    out = [f"{pad}{_paint(arrow, 'gutter', colour)} {span.file}:{span.line}:{span.column}"]
    text = sources.get(span.file)
    source_lines = text.splitlines() if text is not None else []
    if not 0 < span.line <= len(source_lines):
        return out
    line = source_lines[span.line - 1].replace("\t", " ")
    end = span.end_column if span.end_line == span.line else len(line) + 1
    width = max(1, min(end, len(line) + 1) - span.column)
    carets = " " * (span.column - 1) + mark * width
    number = _paint(str(span.line).rjust(len(pad)), "gutter", colour)
    out += [
        f"{pad} {bar}",
        f"{number} {bar} {line}".rstrip(),
        f"{pad} {bar} {_paint(carets + (' ' + label if label else ''), tone, colour)}",
    ]
    return out


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    parts = [
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in ((errors, "error"), (warnings, "warning"))
        if n
    ]
    return ", ".join(parts) if parts else "no problems"

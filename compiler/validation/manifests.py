"""Validation: manifests as `ccc validate` reads them, with the position of every key and word.

In: a file's text and its format (yaml, json, shell). Out: a tree of `Node`s (YAML and JSON,
through PyYAML's composer, which keeps line and column; JSON is YAML to it) or a list of shell
`Statement`s (each command as an argv, split by `shlex` a physical line at a time so every
word keeps its line). Parsing builds no objects (safe scalars only) and refuses aliases, so a
manifest cannot make ccc construct or expand anything. A file that does not parse is a
`Malformed` with the position of the problem.
"""

from __future__ import annotations

import re
import shlex
from typing import Any, NamedTuple

from ccc.limits import MAX_MANIFEST_DEPTH
from ccc.span import Span

__all__ = [
    "Malformed",
    "Node",
    "Statement",
    "Word",
    "plain",
    "read_shell",
    "read_tree",
    "refuse_deep_brackets",
]


class Malformed(Exception):
    """The text is not the format its name says; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class Node(NamedTuple):
    """A value of a YAML or JSON document and where it is. A mapping's values are Nodes and
    carry `key`, the span of their key (drift in a mapping is shown at the key's line)."""

    value: Any  # dict[str, Node] | list[Node] | str | int | float | bool | None
    span: Span
    key: Span | None = None

    @property
    def where(self) -> Span:
        return self.key or self.span


def plain(value: Any) -> Any:
    """A value with its Nodes unwrapped: data again, as json.dumps takes it."""
    if isinstance(value, Node):
        return plain(value.value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # dates and the like, which YAML also reads


def read_tree(text: str, file: str) -> list[Node]:
    """The documents of a YAML stream (a JSON file is one document)."""
    import yaml

    refuse_deep_brackets(text, file)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # libyaml when installed
    try:
        documents = []
        while loader.check_node():
            documents.append(_node(loader.get_node(), file, loader, set()))
        return documents
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise Malformed(f"{error.problem or error.context}", line, column) from None
    except yaml.YAMLError as error:
        raise Malformed(str(error)) from None
    finally:
        loader.dispose()


def _span(node: Any, file: str) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def refuse_deep_brackets(text: str, file: str) -> None:
    """Flow collections nested past MAX_MANIFEST_DEPTH are refused before the parser, which recurses
    once per level, sees them."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for column, char in enumerate(line, start=1):
            depth += (char in "[{") - (char in "]}")
            if depth > MAX_MANIFEST_DEPTH:
                raise Malformed(
                    f"nested more than {MAX_MANIFEST_DEPTH} levels deep", number, column
                )


def _node(node: Any, file: str, loader: Any, seen: set[int], depth: int = 0) -> Node:
    """A composed node as a Node. An alias makes the composer hand out a node it gave
    before: refused there, before a small file could expand into a huge tree."""
    import yaml

    if depth > MAX_MANIFEST_DEPTH:
        raise Malformed(f"nested more than {MAX_MANIFEST_DEPTH} levels deep", *_start(node))
    if id(node) in seen:
        raise Malformed(
            "a YAML alias reuses the value anchored here; manifests may not use aliases",
            *_start(node),
        )
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        entries: dict[str, Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise Malformed("a mapping key is not a plain value", *_start(key))
            name = str(_construct(loader, key))
            entries[name] = _node(value, file, loader, seen, depth + 1)._replace(
                key=_span(key, file)
            )
        return Node(entries, _span(node, file))
    if isinstance(node, yaml.SequenceNode):
        items = [_node(item, file, loader, seen, depth + 1) for item in node.value]
        return Node(items, _span(node, file))
    return Node(_construct(loader, node), _span(node, file))


def _construct(loader: Any, node: Any) -> Any:
    """A scalar's value, or Malformed where it is."""
    import yaml

    try:
        return loader.construct_object(node)
    except yaml.YAMLError as error:
        raise Malformed(str(error), *_start(node)) from None
    except ValueError:  # an integer of more digits than Python converts (4,300 by default)
        digits = sum(c.isdigit() for c in node.value)
        raise Malformed(f"a number of {digits} digits, too long to read", *_start(node)) from None


def _start(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# --- shell ---------------------------------------------------------------------------------


class Word(NamedTuple):
    text: str
    span: Span


class Statement(NamedTuple):
    """One logical line of a script: a command, an `export`, a `#SBATCH` directive or a
    control line (`if ...; then`, `else`, `fi`). `branch` is the if/else arm it sits in
    (`""` outside any), so a leader's command is matched with the leader's."""

    kind: str  # "command" | "export" | "directive" | "control"
    words: list[Word]
    branch: str
    span: Span


_CONTINUED = re.compile(r"\\\s*$")


def read_shell(text: str, file: str) -> list[Statement]:
    """The statements of a bash script ccc writes (or a person edited): comments other than
    `#SBATCH` dropped, continued lines joined, `exec` and leading `VAR=value` kept as words."""
    statements: list[Statement] = []
    branch = ""
    pending: list[Word] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not pending and stripped.startswith("#SBATCH"):
            words = _words(stripped[len("#SBATCH") :], file, number, line)
            statements.append(Statement("directive", words, "", _line_span(file, number, line)))
            continue
        continued = bool(_CONTINUED.search(line))
        body = _CONTINUED.sub("", line) if continued else line
        pending += _words(body, file, number, line)
        if continued:
            continue
        if pending:
            statement, branch = _statement(pending, branch, file)
            statements.append(statement)
        pending = []
    if pending:
        statements.append(_statement(pending, branch, file)[0])
    return statements


def _words(body: str, file: str, number: int, line: str) -> list[Word]:
    try:
        texts = shlex.split(body, comments=True)
    except ValueError as error:
        raise Malformed(f"{error} (ccc writes no quote that spans lines)", number) from None
    words, cursor = [], 0
    for text in texts:
        column = _column_of(line, text, cursor)
        cursor = column - 1 + len(text)
        words.append(Word(text, Span(file, number, column, number, column + len(text))))
    return words


def _column_of(line: str, text: str, cursor: int) -> int:
    """Where a word's text starts on its line (quoting may hide it: then the cursor)."""
    found = line.find(text, cursor)
    return (found if found >= 0 else cursor) + 1


def _line_span(file: str, number: int, line: str) -> Span:
    return Span(file, number, 1, number, len(line) + 1)


def _statement(words: list[Word], branch: str, file: str) -> tuple[Statement, str]:
    first = words[0]
    span = Span(
        file, first.span.line, first.span.column, words[-1].span.line, words[-1].span.end_column
    )
    head = first.text
    if head in ("if", "elif"):
        condition = " ".join(w.text for w in words[1:]).removesuffix("; then").rstrip(";")
        return Statement("control", words, branch, span), condition.removesuffix(" then").strip()
    if head == "else":
        return Statement("control", words, branch, span), f"not ({branch})"
    if head == "fi":
        return Statement("control", words, branch, span), ""
    if head == "export":
        return Statement("export", words[1:], branch, span), branch
    return Statement("command", words, branch, span), branch

"""Language: parse `.cc` text into the syntax tree, every syntax error with what was expected.

In: source text and its file name. Out: an `ast.File` and diagnostics (CC0xxx, CC7003,
CC7006).
A whole-file LALR parse is tried first. If it fails, the file is cut at its top-level
headers (an `import` or `KIND NAME` at column 1) and each piece is parsed alone, so one
broken block yields one error and the other blocks still parse and get checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from ccc import codes
from ccc.diagnostics import Code, Diagnostic
from ccc.dsl import ast
from ccc.limits import MAX_LIST_ITEMS, MAX_NESTING
from ccc.span import Span

if TYPE_CHECKING:
    import lark
    from lark.tree import Branch, Meta

__all__ = ["parse"]

_READABLE = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string",
    "UNIT": "a unit",
    "CMP": "a comparison (`<=`, `>=`)",
    "EQUAL": "`=`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "COMMA": "`,`",
    "$END": "the end of the file",
    "IMPORT": "`import`",
    "EXTENDS": "`extends`",
    "FROM": "`from`",
    "UNKNOWN": "`unknown`",
    "TRUE": "`true`",
    "FALSE": "`false`",
}


class _CommentSink:
    """Where the lexer puts the comments of the parse under way (lark's documented way to
    keep ignored comments), so the text is lexed once, not again to find them."""

    def __init__(self) -> None:
        self.comments: list[ast.Comment] = []

    def __call__(self, token: lark.Token) -> lark.Token:
        line, column = cast("tuple[int, int]", (token.line, token.column))  # the lexer's: placed
        self.comments.append(ast.Comment(str(token).rstrip(), line, column))
        return token


_SINK = _CommentSink()


@lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    from ccc.dsl import tables

    return tables.load(lexer_callbacks={"COMMENT": _SINK})


def parse(text: str, path: str) -> tuple[ast.File, list[Diagnostic]]:
    """The syntax tree of `text` (named `path` in spans) and its syntax diagnostics."""
    too_large = _shape_error(text, path)
    if too_large:
        return ast.File(path), [too_large]
    comments: list[ast.Comment] = []
    try:
        tree = _parse_collecting(text, comments)
    except Exception as error:
        return _parse_in_pieces(text, path, error)
    return ast.File(path, _Builder(path).items(tree), comments), []


def _parse_collecting(text: str, comments: list[ast.Comment]) -> lark.Tree[lark.Token]:
    _SINK.comments = comments
    try:
        return _parser().parse(text)
    finally:
        _SINK.comments = []


_HEADER = re.compile(r"^(import\b|[A-Za-z_]\w*[ \t]+[A-Za-z_]\w*)", re.MULTILINE)


def _parse_in_pieces(
    text: str, path: str, first_error: Exception
) -> tuple[ast.File, list[Diagnostic]]:
    starts = sorted({0, *(m.start() for m in _HEADER.finditer(text))})
    file = ast.File(path)
    diagnostics: list[Diagnostic] = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=False):
        # Blank out everything outside the piece so lines and columns stay true.
        piece = _blank(text[:begin]) + text[begin:end]
        comments: list[ast.Comment] = []
        try:
            tree = _parse_collecting(piece, comments)
        except Exception as error:
            diagnostics.append(_syntax_diagnostic(error, path, piece))
            continue
        file.items.extend(_Builder(path).items(tree))
        file.comments.extend(comments)
    if not diagnostics:  # the pieces parsed, the whole did not: report the whole's error
        diagnostics.append(_syntax_diagnostic(first_error, path, text))
    return file, diagnostics


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _syntax_diagnostic(error: Exception, path: str, text: str) -> Diagnostic:
    import lark

    line = getattr(error, "line", 1) or 1
    column = getattr(error, "column", 1) or 1
    if isinstance(error, lark.UnexpectedCharacters):
        char = error.char
        span = Span(file=path, line=line, column=column, end_line=line, end_column=column + 1)
        if char == '"':
            return Diagnostic.make(
                codes.UNTERMINATED_STRING,
                span=span,
                message="this string is never closed",
                label="the string starts here",
                help='close it with `"` on the same line',
            )
        return Diagnostic.make(
            codes.UNEXPECTED_CHARACTER,
            span=span,
            message=f"unexpected character {char!r}",
            label="not part of any token",
            help=_word_help(char, _word_at(text, error.pos_in_stream or 0))
            or _expected_help(error.allowed),
        )
    token = getattr(error, "token", None)
    found = "the end of the file" if token is None or token.type == "$END" else f"`{token}`"
    if token is not None and token.type != "$END":
        span = Span(
            file=path,
            line=token.line,
            column=token.column,
            end_line=token.end_line,
            end_column=token.end_column,
        )
    else:
        span = Span(file=path, line=line, column=column, end_line=line, end_column=column)
    expected = getattr(error, "expected", None) or getattr(error, "accepts", None) or set()
    return Diagnostic.make(
        codes.SYNTAX_ERROR,
        span=span,
        message=f"unexpected {found}",
        label="not expected here",
        help=_expected_help(expected),
    )


_NAME_WITH_DASHES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+")
_WORD_END = re.compile(r'[\s{}\[\],=#"]')


def _word_at(text: str, offset: int) -> str:
    """The run of characters around `offset` up to a space or a character of the syntax."""
    start = offset
    while start > 0 and not _WORD_END.match(text[start - 1]):
        start -= 1
    end = _WORD_END.search(text, offset)
    return text[start : end.start() if end else len(text)]


def _word_help(char: str, word: str) -> str | None:
    """What the user most likely meant by a word the lexer stopped inside: a name spelled
    with dashes (`vllm-ascend`), or a text left unquoted (`vllm/vllm-openai:v0.11.0`)."""
    if char == "-" and _NAME_WITH_DASHES.fullmatch(word):
        return f"names are written with `_`: did you mean `{word.replace('-', '_')}`?"
    if any(c in word for c in "/:@"):
        return f'a text with `{char}` in it is quoted: write `"{word}"`'
    return None


def _expected_help(expected: Iterable[str] | None) -> str | None:
    names = sorted({_READABLE.get(name, f"`{name}`") for name in expected or ()})
    if not names:
        return None
    if len(names) == 1:
        return f"expected {names[0]}"
    return "expected " + ", ".join(names[:-1]) + " or " + names[-1]


_SHAPE = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[\[\]{},]')


def _shape_error(text: str, path: str) -> Diagnostic | None:
    """Nesting too deep (CC7003) or a list too long (CC7006), found by a scan of brackets and
    commas before the parser sees the text, so neither costs a recursion or a long parse."""
    open_items: list[int] = []  # per open bracket: its commas so far (-1: a block, not counted)
    for match in _SHAPE.finditer(text):
        token = match.group()
        if token in "[{":
            open_items.append(0 if token == "[" else -1)
            if len(open_items) > MAX_NESTING:
                return _limit_at(
                    text,
                    path,
                    match.start(),
                    codes.TOO_DEEP,
                    f"blocks and lists nest more than {MAX_NESTING} levels deep",
                    "this level is too deep",
                    "flatten the structure",
                )
        elif token in "]}":
            if open_items:
                open_items.pop()
        elif token == "," and open_items and open_items[-1] >= 0:
            open_items[-1] += 1
            if open_items[-1] > MAX_LIST_ITEMS:  # so at least MAX_LIST_ITEMS + 1 items
                return _limit_at(
                    text,
                    path,
                    match.start(),
                    codes.LIST_TOO_LONG,
                    f"a list holds more than {MAX_LIST_ITEMS} items",
                    "the list is past its limit here",
                    "describe the set by a rule (a count, a server shape) instead of listing it",
                )
    return None


def _limit_at(
    text: str, path: str, offset: int, code: Code, message: str, label: str, help: str
) -> Diagnostic:
    span = Span.at_offset(path, text, offset)
    return Diagnostic.make(code, span=span, message=message, label=label, help=help)


def _tree(branch: Branch[lark.Token]) -> lark.Tree[lark.Token]:
    """A child where the grammar puts a rule's tree (lark types every child as tree or token)."""
    return cast("lark.Tree[lark.Token]", branch)


def _token(branch: Branch[lark.Token]) -> lark.Token:
    """A child where the grammar puts a token."""
    return cast("lark.Token", branch)


class _Builder:
    """Turns lark's tree into `ast` nodes."""

    def __init__(self, path: str) -> None:
        self.path = path

    def span(self, node: lark.Token | Meta) -> Span:
        # lark types a token's place as optional (a token made by hand has none); the lexer's
        # tokens, the only ones here, all have one.
        line, column, end_line, end_column = cast(
            "tuple[int, int, int, int]", (node.line, node.column, node.end_line, node.end_column)
        )
        return Span(
            file=self.path, line=line, column=column, end_line=end_line, end_column=end_column
        )

    def items(self, tree: lark.Tree[lark.Token]) -> list[ast.Import | ast.BlockDecl]:
        return [self.item(_tree(child)) for child in tree.children]

    def item(self, tree: lark.Tree[lark.Token]) -> ast.Import | ast.BlockDecl:
        if tree.data == "import_stmt":
            token = _token(tree.children[1])
            return ast.Import(_unquote(token), self.span(tree.meta), self.span(token))
        kind, name, extends, source, body = tree.children
        return ast.BlockDecl(
            kind=str(kind),
            kind_span=self.span(_token(kind)),
            name=str(name),
            name_span=self.span(_token(name)),
            body=self.body(_tree(body)) if body is not None else None,
            span=self.span(tree.meta),
            extends=self._ref(_tree(extends)) if extends is not None else None,
            source=self._source(_tree(source)) if source is not None else None,
        )

    def _ref(self, tree: lark.Tree[lark.Token]) -> ast.Ref:
        name = _token(tree.children[0])
        return ast.Ref(str(name), self.span(name))

    def _source(self, tree: lark.Tree[lark.Token]) -> ast.Str:
        text = _token(tree.children[0])
        return ast.Str(_unquote(text), self.span(text))

    def body(self, tree: lark.Tree[lark.Token]) -> ast.Body:
        entries = tree.children[1:-1]
        return ast.Body(tuple(self.entry(_tree(child)) for child in entries), self.span(tree.meta))

    def entry(self, tree: lark.Tree[lark.Token]) -> ast.Entry:
        if tree.data == "section":
            name, body = tree.children
            return ast.Section(
                str(name), self.span(_token(name)), self.body(_tree(body)), self.span(tree.meta)
            )
        key = _token(_tree(tree.children[0]).children[0])
        quoted = key.type == "STRING"
        op = "=" if tree.data == "assign" else str(tree.children[1])
        return ast.Assign(
            key=_unquote(key) if quoted else str(key),
            key_span=self.span(key),
            op=op,
            value=self.value(_tree(tree.children[-1])),
            span=self.span(tree.meta),
            quoted_key=quoted,
        )

    def value(self, tree: lark.Tree[lark.Token]) -> ast.Value:
        import lark

        kind = tree.data
        span = self.span(tree.meta)
        if kind == "quantity":
            number, unit = tree.children
            return ast.Quantity(
                str(number),
                str(unit) if unit is not None else None,
                span,
                self.span(_token(unit)) if unit is not None else None,
            )
        if kind == "string":
            return ast.Str(_unquote(_token(tree.children[0])), span)
        if kind == "ref":
            return ast.Ref(str(tree.children[0]), span)
        if kind == "unknown":
            return ast.UnknownValue(span)
        if kind in ("true", "false"):
            return ast.Bool(kind == "true", span)
        items = tuple(
            self.value(child) for child in tree.children[1:-1] if isinstance(child, lark.Tree)
        )
        return ast.ListValue(items, span)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(token: lark.Token) -> str:
    body = str(token)[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)

"""Language: the standard catalog's syntax trees, stored as JSON so contracts need not re-parse.

Most of a `ccc check` is spent parsing the catalog files a contract imports, and those files
only change with ccc itself. Each stored tree is keyed by the SHA-256 of its file's text: an
edited file simply misses and is parsed, so the cache can be stale but never wrong.
Each tree is stored as its own JSON text, so a contract decodes only the files it imports,
and without comments, which only the formatter reads (from the text, not from here).
Regenerate with `python -m ccc.dsl.regenerate` (a test checks it is current).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ccc.dsl import HERE, ast
from ccc.span import Span

__all__ = ["CACHE", "cached", "defining_file", "encode", "write"]

CACHE = "std.ast.json"
_TYPES = {
    cls.__name__: cls
    for cls in (
        ast.Quantity,
        ast.Str,
        ast.Ref,
        ast.UnknownValue,
        ast.Bool,
        ast.ListValue,
        ast.Assign,
        ast.Body,
        ast.Section,
        ast.Import,
        ast.BlockDecl,
        ast.Comment,
    )
}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _stored() -> dict[str, Any]:
    try:
        text = (HERE / CACHE).read_text(encoding="utf-8")
        stored: dict[str, Any] = json.loads(text)
        return stored
    except (OSError, ValueError):
        return {}


def cached(relative: str, text: str, name: str) -> ast.File | None:
    """The tree of std file `relative` if the cache holds it for exactly this `text`."""
    entry = _stored().get(relative)
    if entry is None or entry["sha256"] != digest(text):
        return None
    items: list[ast.Import | ast.BlockDecl] = json.loads(entry["items"], object_hook=_decoder(name))
    return ast.File(name, items)


def defining_file(name: str, kinds: tuple[str, ...]) -> str | None:
    """The std file (e.g. `toolkits/sglang`, as an import names it) that defines block
    `name` of one of `kinds`, for the help of a name that is not imported. Read only when
    a name is missing, so it may decode every stored tree."""
    for relative, entry in sorted(_stored().items()):
        for item in json.loads(entry["items"], object_hook=_decoder("std/" + relative)):
            named = isinstance(item, ast.BlockDecl) and item.name == name
            if named and (not kinds or item.kind in kinds):
                return relative.removesuffix(".cc")
    return None


def encode(tree: ast.File, text: str) -> dict[str, Any]:
    items = [_encode(i) for i in tree.items]
    return {"sha256": digest(text), "items": json.dumps(items, separators=(",", ":"))}


def _encode(value: Any) -> Any:
    if isinstance(value, Span):
        return [value.line, value.column, value.end_line, value.end_column]
    if hasattr(value, "_fields"):
        return {"t": type(value).__name__, "v": [_encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"l": [_encode(v) for v in value]}
    return value


def _decoder(name: str) -> Callable[[dict[str, Any]], Any]:
    """json's object_hook, called inside out on every object: the nodes are rebuilt as the
    C decoder goes (a Python walk of the decoded JSON took twice as long). A node's only
    list-valued fields are its spans; a tuple of nodes is written as {"l": [...]}."""

    def node(value: dict[str, Any]) -> Any:
        if "t" in value:
            fields: list[Any] = [Span(name, *v) if v.__class__ is list else v for v in value["v"]]
            return _TYPES[value["t"]](*fields)
        return tuple(value["l"])

    return node


def write(std: Path, target: Path) -> None:
    from ccc.dsl.parser import parse

    entries = {}
    for path in sorted(std.rglob("*.cc")):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(std).as_posix()
        tree, errors = parse(text, "std/" + relative)
        if not errors:
            entries[relative] = encode(tree, text)
    target.write_text(
        json.dumps(entries, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )

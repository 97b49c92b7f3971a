"""Language: the grammar's LALR tables, stored as JSON so `ccc check` need not rebuild them.

Building the tables costs more than the rest of a small check; loading them costs ~3 ms.
The file records the grammar's hash and the lark version it was built with; if either
differs, the parser is built from the grammar instead, so a stale file is never used.
Regenerate after editing the grammar or the standard catalog: `python -m ccc.dsl.regenerate`
(it also refreshes the catalog's stored trees; tests check both).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccc.dsl import HERE

if TYPE_CHECKING:
    import lark

__all__ = ["OPTIONS", "build", "grammar_text", "load", "write"]

OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "propagate_positions": True,
    "maybe_placeholders": True,
}
TABLES = "cc.lark.json"


def grammar_text() -> str:
    return (HERE / "cc.lark").read_text(encoding="utf-8")


def _stamp(grammar: str) -> dict[str, str]:
    import lark

    return {
        "grammar_sha256": hashlib.sha256(grammar.encode()).hexdigest(),
        "lark": lark.__version__,
    }


def build(**extra: Any) -> lark.Lark:
    import lark

    return lark.Lark(grammar_text(), **OPTIONS, **extra)


def load(**extra: Any) -> lark.Lark:
    """The parser from the stored tables when they match this grammar and lark, else built.

    `extra` are the options lark accepts at load time, e.g. `lexer_callbacks`.
    """
    import lark

    grammar = grammar_text()
    try:
        stored = json.loads((HERE / TABLES).read_text("utf-8"), object_hook=_decode)
    except (OSError, ValueError):
        return build(**extra)
    if stored.get("stamp") != _stamp(grammar):
        return build(**extra)
    try:
        return lark.Lark.__new__(lark.Lark)._load(stored["tables"], **extra)
    except Exception:
        return build(**extra)


def serialized(parser: lark.Lark) -> dict[str, Any]:
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    return {"stamp": _stamp(grammar_text()), "tables": _encode({"data": data, "memo": memo})}


def write(path: Path) -> None:
    text = json.dumps(serialized(build()), sort_keys=True, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")


# JSON keys are strings; lark's tables key dicts by ints and tuples. Such dicts are written
# as {"__items__": [[key, value], ...]} and read back with their keys restored.
def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"__items__": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: dict[str, Any]) -> dict[Any, Any]:
    """json's object_hook (called inside out, so values are already decoded)."""
    if len(value) == 1 and "__items__" in value:
        return {_key(k): v for k, v in value["__items__"]}
    return value


def _key(key: Any) -> Any:
    return tuple(_key(k) for k in key) if isinstance(key, list) else key

"""The stored LALR tables match the grammar and parse exactly as a freshly built parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ccc.dsl import tables

from tests.conftest import ROOT

STORED = ROOT / "dsl" / tables.TABLES
SAMPLES = sorted(
    [
        *(ROOT / "tests" / "cases").rglob("*.cc"),
        *(ROOT / "dsl" / "std").rglob("*.cc"),
        *(ROOT / "examples").glob("*.cc"),
    ]
)


def test_stored_tables_are_built_from_this_grammar() -> None:
    # lark numbers its states differently each build, so the hash of the grammar, not the
    # bytes of the tables, says whether they are current. (A different lark version only
    # makes `load` build the parser instead.)
    stored = json.loads(STORED.read_text(encoding="utf-8"))["stamp"]
    fresh = tables.serialized(tables.build())["stamp"]
    assert stored["grammar_sha256"] == fresh["grammar_sha256"], "run: python -m ccc.dsl.regenerate"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_loaded_parser_parses_like_a_built_one(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert outcome(tables.load(), text) == outcome(tables.build(), text)


def outcome(parser, text: str):
    try:
        return parser.parse(text)
    except Exception as error:
        return type(error).__name__, getattr(error, "line", None), getattr(error, "column", None)


STD = ROOT / "dsl" / "std"


@pytest.mark.parametrize("path", sorted(STD.rglob("*.cc")), ids=lambda p: p.name)
def test_stored_catalog_tree_is_current_and_equal_to_a_parse(path: Path) -> None:
    from ccc.dsl import stdcache
    from ccc.dsl.parser import parse

    text = path.read_text(encoding="utf-8")
    name = "std/" + path.relative_to(STD).as_posix()
    stored = stdcache.cached(path.relative_to(STD).as_posix(), text, name)
    assert stored is not None, "run: python -m ccc.dsl.regenerate"
    parsed, _ = parse(text, name)
    assert stored.items == parsed.items
    assert stored.comments == []  # only the formatter reads comments, and it reads the text


def test_an_edited_catalog_file_misses_the_cache() -> None:
    from ccc.dsl import stdcache

    assert stdcache.cached("kunlunxin.cc", "accelerator x {}\n", "std/kunlunxin.cc") is None


def test_the_whole_catalog_loads_from_the_stored_trees(monkeypatch) -> None:
    # `ccc estimate` and `recommend` pass every std file as a path of its own (its root is
    # its own directory, std/models or std/toolkits): those too must not be parsed again.
    from ccc.api import load_catalog
    from ccc.front import loader
    from ccc.front.resolve import Options

    parsed: list[str] = []
    real_parse = loader.parse

    def counting_parse(text: str, name: str):
        parsed.append(name)
        return real_parse(text, name)

    monkeypatch.setattr(loader, "parse", counting_parse)
    result = load_catalog(Options(cwd=ROOT))
    assert "qwen3_32b" in result.contract.models and "vllm" in result.contract.toolkits
    assert parsed == []

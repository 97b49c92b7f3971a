"""The parser: positions, units next to keys, and properties over generated contracts."""

from __future__ import annotations

import pytest
from ccc.dsl import ast
from ccc.dsl.formatter import format_text
from ccc.dsl.parser import parse
from ccc.dsl.units import UNITS
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import budget

KEYWORDS = {"import", "extends", "from", "unknown", "true", "false"}


def strip(node):
    """The tree without positions: what the text means, not where it was."""
    if hasattr(node, "_fields"):
        return (
            type(node).__name__,
            *tuple(
                strip(getattr(node, f))
                for f in node._fields
                if f
                not in (
                    "span",
                    "key_span",
                    "name_span",
                    "kind_span",
                    "path_span",
                    "unit_span",
                    "comments",
                    "path",
                )
            ),
        )
    if isinstance(node, list | tuple):
        return tuple(strip(n) for n in node)
    return node


names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
numbers = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**9).map(str),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["1e6", "2.5e-3", "8_192", ".5"]),
)
units = st.sampled_from(sorted(UNITS))
strings = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


scalars = st.one_of(
    st.tuples(numbers, st.one_of(st.none(), units)).map(
        lambda t: t[0] + (f" {t[1]}" if t[1] else "")
    ),
    strings.map(quote),
    names,
    st.sampled_from(["unknown", "true", "false"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    max_leaves=8,
)
separators = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "  # note\n", "\n# own line\n"])


@st.composite
def bodies(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 3 and draw(st.booleans()) and draw(st.booleans()):
            parts.append(f"{draw(names)} {draw(bodies(depth + 1))}")
        else:
            op = draw(st.sampled_from(["=", "=", "<=", ">="]))
            key = draw(st.one_of(names, names.map(quote)))
            parts.append(f"{key} {op} {draw(values)}")
    seps = [draw(separators) for _ in range(len(parts) + 1)]
    return "{" + "".join(s + p for s, p in zip(seps, parts, strict=False)) + seps[-1] + "}"


@st.composite
def files(draw) -> str:
    items = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.integers(0, 5)) == 0:
            items.append(f"import {quote(draw(names))}")
            continue
        header = f"{draw(names)} {draw(names)}"
        if draw(st.booleans()):
            header += f" extends {draw(names)}"
        if draw(st.integers(0, 3)) == 0:
            header += f" from {quote(draw(names) + '.json')}"
        items.append(header + " " + draw(bodies()))
    return "".join(item + draw(separators.filter(lambda s: "\n" in s)) for item in items)


@settings(max_examples=budget(150), deadline=None)
@given(files())
def test_formatting_preserves_meaning_and_is_idempotent(text: str) -> None:
    tree, errors = parse(text, "x.cc")
    assert errors == []
    formatted, errors = format_text(text, "x.cc")
    assert errors == [] and formatted is not None
    again, _ = parse(formatted, "x.cc")
    assert strip(again.items) == strip(tree.items)
    assert format_text(formatted, "x.cc")[0] == formatted
    assert len(again.comments) == len(tree.comments)


@settings(max_examples=budget(150), deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_gives_located_syntax_errors(text: str) -> None:
    _tree, errors = parse(text, "x.cc")
    for error in errors:
        assert error.code.startswith(("CC0", "CC7"))
        assert error.span is not None and error.span.line >= 1 and error.span.column >= 1


def test_a_unit_is_not_mistaken_for_the_next_key() -> None:
    tree, errors = parse("block w { input_tokens = 2048  s = 5 s  B = 2 B }", "x.cc")
    assert errors == []
    entries = tree.items[0].body.entries
    assert [(e.key, e.value.number, e.value.unit) for e in entries] == [
        ("input_tokens", "2048", None),
        ("s", "5", "s"),
        ("B", "2", "B"),
    ]


def test_positions_are_kept_on_every_node() -> None:
    tree, _ = parse("accelerator a {\n  memory = 64 GiB\n}\n", "x.cc")
    block = tree.items[0]
    assign = block.body.entries[0]
    assert (block.span.line, block.span.column) == (1, 1)
    assert (assign.key_span.line, assign.key_span.column) == (2, 3)
    assert isinstance(assign.value, ast.Quantity)
    assert (assign.value.span.column, assign.value.span.end_column) == (12, 18)


def test_a_broken_block_does_not_hide_errors_in_the_next() -> None:
    text = "accelerator a { memory 64 GiB }\naccelerator b { vendor = }\naccelerator c {}\n"
    tree, errors = parse(text, "x.cc")
    assert [(e.code, e.span.line) for e in errors] == [("CC0001", 1), ("CC0001", 2)]
    assert [item.name for item in tree.items] == ["c"]


@pytest.mark.parametrize(
    ("written", "dimension", "meant"),
    [
        ("TBps", "bandwidth", "TB/s"),  # bytes per second, not the bits of Tbps
        ("GiBs", "bytes", "GiB"),
        ("GiBs", "bandwidth", "GiB/s"),
        ("gib", "bytes", "GiB"),
        ("TFLOP", "compute", "TFLOPS"),
        ("xyz", "bytes", None),
    ],
)
def test_a_unit_suggestion_keeps_the_dimension_the_key_expects(
    written: str, dimension: str, meant: str | None
) -> None:
    from ccc.dsl.units import UNITS, suggest_unit

    assert suggest_unit(written, dimension) == meant
    assert meant is None or UNITS[meant][0] == dimension


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("vllm-ascend", "did you mean `vllm_ascend`?"),
        ("vllm/vllm-openai:v0.11.0", 'write `"vllm/vllm-openai:v0.11.0"`'),
    ],
)
def test_an_unquoted_text_or_a_dashed_name_gets_its_fix(value: str, hint: str) -> None:
    _, diagnostics = parse(f"deployment d {{ image = {value} }}\n", "x.cc")
    assert [d.code for d in diagnostics] == ["CC0002"]
    assert diagnostics[0].help is not None and hint in diagnostics[0].help
    fixed = value.replace("-", "_") if "/" not in value else f'"{value}"'
    assert parse(f"deployment d {{ image = {fixed} }}\n", "x.cc")[1] == []

"""Fuzzing: mutants of real inputs, run through the same entry point as the `ccc` command.

`mutate(data, rng)` breaks a file the ways files break: truncation, deleted, duplicated and
swapped lines and tokens, random and invalid-UTF-8 bytes, huge and tiny numbers, unknown
units, deep nesting, very long lines, an empty file. `mutate_json` also breaks a JSON file
the ways a hand-edited one breaks while it stays JSON (a value of another type or out of
range, a key deleted or misspelled, a row duplicated), to reach the stages past the reader. `run_case` runs one mutant through
`ccc.cli.main` and returns what is wrong with the outcome (None when it is right): every case
must end with exit 0, or exit 1 with at least one coded, located diagnostic, never exit 2 (an
internal error) or a traceback. The test suite runs a CI-sized batch; `bench/fuzz.py` runs
as many as asked.
"""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from ccc.cli import main

NUMBER = re.compile(rb"\b\d+(\.\d+)?\b")
UNIT = re.compile(rb"\b(\d+(?:\.\d+)?)\s*(GiB|GB|TB/s|GB/s|TFLOPS|PFLOPS|ms|us|W|kW|B|K|M)\b")
TOKEN = re.compile(rb"\S+")
HUGE = [b"1e308", b"1e999", b"99999999999999999999999999", b"18446744073709551617", b"-1"]
TINY = [b"0", b"0.0", b"1e-320", b"-0", b"0.000000001"]
UNITS = [b"furlongs", b"GiBB", b"TB/h", b"ms/s", b"\xc2\xb5s", b"%"]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _tokens(data: bytes) -> list[re.Match[bytes]]:
    return list(TOKEN.finditer(data))


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def _duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at])
    return b"\n".join(lines)


def _swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


def _splice(data: bytes, match: re.Match[bytes], replacement: bytes) -> bytes:
    return data[: match.start()] + replacement + data[match.end() :]


def _delete_token(data: bytes, rng: random.Random) -> bytes:
    tokens = _tokens(data)
    return _splice(data, rng.choice(tokens), b"") if tokens else data


def _duplicate_token(data: bytes, rng: random.Random) -> bytes:
    tokens = _tokens(data)
    if not tokens:
        return data
    token = rng.choice(tokens)
    return _splice(data, token, token.group() + b" " + token.group())


def _swap_tokens(data: bytes, rng: random.Random) -> bytes:
    tokens = _tokens(data)
    if len(tokens) < 2:
        return data
    a, b = sorted(rng.sample(tokens, 2), key=lambda m: m.start())
    return data[: a.start()] + b.group() + data[a.end() : b.start()] + a.group() + data[b.end() :]


def _random_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16))) + data[at:]


def _invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return (
        data[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf0\x28\x8c"]) + data[at:]
    )


def _extreme_number(data: bytes, rng: random.Random) -> bytes:
    numbers = list(NUMBER.finditer(data))
    if not numbers:
        return data
    return _splice(data, rng.choice(numbers), rng.choice(HUGE + TINY))


def _unknown_unit(data: bytes, rng: random.Random) -> bytes:
    units = list(UNIT.finditer(data))
    if not units:
        return data
    match = rng.choice(units)
    return data[: match.start(2)] + rng.choice(UNITS) + data[match.end(2) :]


def _deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([20, 100, 1000, 20000])
    opener, closer = rng.choice([(b"[", b"]"), (b"{", b"}"), (b"(", b")")])
    at = rng.randrange(len(data) + 1)
    return data[:at] + opener * depth + b"1" + closer * depth + data[at:]


def _long_line(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return (
        data[:at] + rng.choice([b"a", b"9", b"#", b'"']) * rng.choice([10_000, 200_000]) + data[at:]
    )


def _empty(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"", b"\n", b" ", b"\x00"])


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _truncate,
    _delete_line,
    _duplicate_line,
    _swap_lines,
    _delete_token,
    _duplicate_token,
    _swap_tokens,
    _random_bytes,
    _invalid_utf8,
    _extreme_number,
    _unknown_unit,
    _deep_nesting,
    _long_line,
    _empty,
]
# Most mutants should stay close to valid input, to reach the stages past the parser.
WEIGHTS = [3, 6, 4, 4, 6, 4, 4, 2, 1, 6, 4, 1, 1, 1]


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        data = rng.choices(MUTATIONS, WEIGHTS)[0](data, rng)
    return data


ODD_VALUES = [None, True, "", "x", [], {}, -1, 0, 0.5, 1, 2**63, 1e308, 1e-320, "NaN"]


def mutate_json(data: bytes, rng: random.Random) -> bytes:
    """A byte-level mutant half the time; else a JSON document with one thing changed."""
    try:
        document = json.loads(data)
    except ValueError:
        document = None
    if document is None or rng.random() < 0.5:
        return mutate(data, rng)
    for _ in range(rng.choice([1, 1, 2, 3])):
        _mutate_document(document, rng)
    return json.dumps(document, indent=1).encode()


def _mutate_document(document, rng: random.Random) -> None:
    parent, key = _random_slot(document, rng)
    if parent is None:
        return
    action = rng.choice(["value", "value", "value", "delete", "rename", "duplicate"])
    if action == "value":
        parent[key] = rng.choice(ODD_VALUES)
    elif action == "delete":
        del parent[key]
    elif action == "rename" and isinstance(parent, dict):
        parent[key + rng.choice(["_", "s", "X"])] = parent.pop(key)
    else:
        value = parent[key]
        if isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(value)))
        else:
            parent[key] = [value, value]


def _random_slot(document, rng: random.Random):
    """A random (container, key) inside the document, walking down a random path."""
    parent, key = None, None
    node = document
    while isinstance(node, dict | list) and node and (parent is None or rng.random() < 0.7):
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        parent, node = node, node[key]
    return parent, key


ERROR_AT = re.compile(r"^error\[CC\d{4}\]: .*\n +--> \S+:\d+:\d+", re.MULTILINE)


def run_case(argv: list[str]) -> str | None:
    """What is wrong with running `ccc argv` in-process (None: nothing)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return judge(code, out.getvalue(), err.getvalue())


def judge(code: int, out: str, err: str) -> str | None:
    """What is wrong with an outcome of ccc: None for exit 0, or exit 1 with a coded, located
    error; else what happened."""
    if "Traceback" in out + err:
        return f"traceback: {(out + err)[-400:]}"
    if code not in (0, 1):
        return f"exit {code}: {err[-400:]}"
    if code == 1 and not _located_error(out, err):
        return f"exit 1 without a located diagnostic: {(out + err)[-400:]}"
    return None


def _located_error(out: str, err: str) -> bool:
    """A coded error with a location, in the JSON report on stdout or the text on stderr."""
    try:
        report = json.loads(out) if out.strip().startswith("{") else None
    except ValueError:
        report = None
    if report and isinstance(report.get("diagnostics"), list):
        return any(d.get("code") and d.get("span") for d in report["diagnostics"])
    return ERROR_AT.search(err) is not None


def corpus(root: Path) -> list[tuple[str, bytes]]:
    """The seeds: every example contract."""
    files = sorted((root / "examples").glob("*.cc"))
    return [(path.name, path.read_bytes()) for path in files]


def measurement_corpus(root: Path, rows: int = 3) -> list[tuple[str, bytes]]:
    """Seeds for `ccc calibrate`: the test data cut into files of a few rows (each fits in a
    tenth of a second, where the whole set takes half a second)."""
    data = json.loads((root / "tests" / "data" / "calibration.json").read_text(encoding="utf-8"))
    return [
        (f"rows{start}.json", json.dumps(data[start : start + rows], indent=1).encode())
        for start in range(0, len(data), rows)
    ]

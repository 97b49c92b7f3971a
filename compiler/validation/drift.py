"""Validation: what a checked-in manifest changed in what ccc would write, compared as data.

In: the expected value (plain data parsed from ccc's own rendering) and the manifest's
positioned value (`ccc.validation.manifests`). Out: `Drift`s, each at the manifest position of the key,
flag or word that differs. Semantics, not text: a mapping may gain keys and a named list
(containers, env, ports, volumes) items, since the site adds those; an argv is compared as
positionals and flags (`--flag value`, `--flag=value` alike, any order), so a site may add
flags the plan does not decide; numbers compare by value (`'8000'` is 8000, `0.9` is
`0.90`). Keys whose path matches a target's site-owned patterns are not compared, and a
value ccc wrote as a `<placeholder>` accepts whatever the site put there.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from ccc.span import Span
from ccc.validation.manifests import Malformed, Node, Statement, Word, read_shell

__all__ = [
    "ArgvParts",
    "Drift",
    "Rules",
    "ScriptHook",
    "compare_argv",
    "compare_script",
    "compare_tree",
    "parse_argv",
    "same",
]

_PLACEHOLDER = re.compile(r"<[^<>]+>")


class Drift(NamedTuple):
    kind: str  # "changed" | "missing" | "unexpected"
    path: str  # where in the document, or the flag
    expected: Any  # None for "unexpected"
    actual: Any  # None for "missing"
    span: Span  # the manifest's key, flag or word; for "missing", the enclosing one
    key: str  # the key or flag whose reason explains the value
    reason: str | None = None  # the plan decision behind it, where the file states it


def same(expected: object, actual: object) -> bool:
    """Equal as data: numbers by value, JSON text by its data, placeholders match anything."""
    if expected == actual and type(expected) is type(actual):
        return True
    if isinstance(expected, str) and _PLACEHOLDER.search(expected):
        pattern = re.escape(expected)
        for found in _PLACEHOLDER.findall(expected):
            pattern = pattern.replace(re.escape(found), ".+")
        return (
            isinstance(actual, str | int | float) and re.fullmatch(pattern, str(actual)) is not None
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return str(expected).lower() == str(actual).lower()
    number_e, number_a = _number(expected), _number(actual)
    if number_e is not None and number_a is not None:
        return number_e == number_a
    data_e, data_a = _json(expected), _json(actual)
    if data_e is not None and data_a is not None:
        return data_e == data_a
    return expected == actual


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _json(value: object) -> object:
    if not isinstance(value, str) or not value.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
        return None


# --- argv ------------------------------------------------------------------------------------


def _is_flag(word: str) -> bool:
    return word.startswith("-") and len(word) > 1 and _number(word) is None


class ArgvParts(NamedTuple):
    """An argv as positionals and flags; a flag's value is None when it takes none."""

    positionals: list[Word]
    flags: dict[str, list[tuple[Word, str | None, Word | None]]]  # flag -> (flag, value, at)


def parse_argv(words: Sequence[Word], valued: Callable[[str, Word | None], bool]) -> ArgvParts:
    """Split `words` into positionals and flags; `valued(flag, next)` says whether a flag
    takes the next word as its value."""
    positionals: list[Word] = []
    flags: dict[str, list[tuple[Word, str | None, Word | None]]] = {}
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not _is_flag(word.text):
            positionals.append(word)
            continue
        name, equals, inline = word.text.partition("=")
        if equals:
            flags.setdefault(name, []).append((word, inline, word))
            continue
        following = words[index] if index < len(words) else None
        if following is not None and not _is_flag(following.text) and valued(name, following):
            flags.setdefault(name, []).append((word, following.text, following))
            index += 1
        else:
            flags.setdefault(name, []).append((word, None, None))
    return ArgvParts(positionals, flags)


def _expected_parts(expected: Sequence[str], anchor: Span) -> ArgvParts:
    words = [Word(text, anchor) for text in expected]
    return parse_argv(words, lambda flag, following: True)


ScriptHook = Callable[[Sequence[str], Statement], list[Drift]]


def compare_argv(
    expected: Sequence[str],
    actual: Sequence[Word],
    anchor: Span,
    decided: frozenset[str],
    on_command: ScriptHook | None = None,
) -> tuple[list[Drift], ArgvParts]:
    """The drifts of `actual` from `expected`; and `actual` parsed. `decided` are the flags the
    plan decides: a site may not add one the plan left out. `anchor` locates a missing word.
    The script of a `-c` flag is compared command by command, each by `on_command` (default:
    as a plain argv)."""
    want = _expected_parts(expected, anchor)
    arity = {flag: values[0][1] is not None for flag, values in want.flags.items()}
    got = parse_argv(actual, lambda flag, following: arity.get(flag, True))
    drifts: list[Drift] = []
    for position, word in enumerate(want.positionals):
        if position >= len(got.positionals):
            drifts.append(Drift("missing", word.text, word.text, None, anchor, word.text))
        elif not same(word.text, got.positionals[position].text):
            found = got.positionals[position]
            drifts.append(Drift("changed", word.text, word.text, found.text, found.span, word.text))
    for flag, values in want.flags.items():
        drifts += _compare_flag(flag, values, got.flags.get(flag, []), anchor, on_command)
    for flag, values in got.flags.items():
        if flag in decided and flag not in want.flags:
            word, value, _ = values[0]
            drifts.append(Drift("unexpected", flag, None, value, word.span, flag))
    return drifts, got


def _compare_flag(
    flag: str, want: list, got: list, anchor: Span, on_command: ScriptHook | None
) -> list[Drift]:
    if not got:
        shown = [value for _, value, _ in want]
        return [Drift("missing", flag, shown[0] if len(shown) == 1 else shown, None, anchor, flag)]
    drifts = []
    for (_, expected, _), (word, actual, at) in zip(want, got, strict=False):
        if flag == "-c" and expected is not None and actual is not None and expected != actual:
            drifts += _compare_inline_script(expected, at or word, on_command)
        elif not same(expected, actual):
            drifts.append(Drift("changed", flag, expected, actual, (at or word).span, flag))
    if len(got) < len(want):
        drifts.append(Drift("missing", flag, want[len(got)][1], None, anchor, flag))
    return drifts


def _compare_inline_script(
    expected: str, actual: Word, on_command: ScriptHook | None
) -> list[Drift]:
    """`sh -c "a && exec b"`: the script's commands, each compared as a command line; every
    finding points at the script's word in the manifest."""
    want = read_shell(expected.replace(" && ", "\n"), actual.span.file)
    try:
        statements = read_shell(actual.text.replace(" && ", "\n"), actual.span.file)
    except Malformed as error:
        raise Malformed(str(error), actual.span.line, actual.span.column) from None
    got = [
        statement._replace(
            words=[w._replace(span=actual.span) for w in statement.words], span=actual.span
        )
        for statement in statements
    ]
    return compare_script(want, got, on_command or _compare_command, actual.span)


def _compare_command(expected: Sequence[str], found: Statement) -> list[Drift]:
    return compare_argv(expected, found.words, found.span, frozenset())[0]


# --- trees -----------------------------------------------------------------------------------

ArgvHook = Callable[[str, Sequence[str], Node, dict], list[Drift]]


class Rules(NamedTuple):
    site: Sequence[str]  # fnmatch patterns of paths the site owns
    argv_keys: frozenset[str]  # keys whose list is an argv
    on_argv: ArgvHook  # compares one argv: (path, expected, actual node, parent mapping)


def compare_tree(expected: Any, actual: Node, rules: Rules, path: str = "") -> list[Drift]:
    """The drifts of the manifest value `actual` from `expected`, below `path`."""
    if any(fnmatch.fnmatchcase(path, pattern) for pattern in rules.site):
        return []
    if isinstance(expected, dict):
        return _compare_mapping(expected, actual, rules, path)
    if isinstance(expected, list):
        return _compare_list(expected, actual, rules, path)
    if isinstance(actual.value, dict | list) or not same(expected, actual.value):
        shown = "a mapping" if isinstance(actual.value, dict) else actual.value
        shown = "a list" if isinstance(actual.value, list) else shown
        return [Drift("changed", path, expected, shown, actual.where, _last(path))]
    return []


def _last(path: str) -> str:
    tail = path.rsplit(".", 1)[-1]
    return tail.split("[", 1)[0] if "[" in tail and not tail.startswith("[") else tail


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _compare_mapping(expected: dict, actual: Node, rules: Rules, path: str) -> list[Drift]:
    if not isinstance(actual.value, dict):
        return [Drift("changed", path, "a mapping", actual.value, actual.where, _last(path))]
    drifts: list[Drift] = []
    for key, value in expected.items():
        below = _join(path, key)
        if any(fnmatch.fnmatchcase(below, pattern) for pattern in rules.site):
            continue
        if key not in actual.value:
            drifts.append(Drift("missing", below, value, None, actual.where, key))
        elif key in rules.argv_keys and _is_argv(value):
            drifts += rules.on_argv(below, value, actual.value[key], expected)
        else:
            drifts += compare_tree(value, actual.value[key], rules, below)
    return drifts


def _is_argv(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _compare_list(expected: list, actual: Node, rules: Rules, path: str) -> list[Drift]:
    if not isinstance(actual.value, list):
        return [Drift("changed", path, expected, actual.value, actual.where, _last(path))]
    items: list[Node] = actual.value
    if expected and all(isinstance(e, dict) and "name" in e for e in expected):
        return _compare_named(expected, actual, rules, path)
    if not all(isinstance(e, dict | list) for e in expected):
        values = [item.value for item in items]
        if len(values) == len(expected) and all(map(same, expected, values)):
            return []
        return [Drift("changed", path, expected, values, actual.where, _last(path))]
    drifts: list[Drift] = []
    for index, value in enumerate(expected):
        if index >= len(items):
            drifts.append(
                Drift("missing", f"{path}[{index}]", value, None, actual.where, _last(path))
            )
        else:
            drifts += compare_tree(value, items[index], rules, f"{path}[{index}]")
    return drifts


def _compare_named(expected: list, actual: Node, rules: Rules, path: str) -> list[Drift]:
    """Items matched by `name` (containers, env, ports, volumes): the site may add its own."""
    by_name = {
        item.value["name"].value: item
        for item in actual.value
        if isinstance(item.value, dict)
        and isinstance(item.value.get("name"), Node)
        and isinstance(item.value["name"].value, str | int)
    }
    drifts: list[Drift] = []
    for value in expected:
        below = f"{path}[{value['name']}]"
        if value["name"] not in by_name:
            drifts.append(Drift("missing", below, value, None, actual.where, str(value["name"])))
        else:
            drifts += compare_tree(value, by_name[value["name"]], rules, below)
    return drifts


# --- scripts ---------------------------------------------------------------------------------


def compare_script(
    expected: list[Statement], actual: list[Statement], on_command: ScriptHook, top: Span
) -> list[Drift]:
    """A script's `#SBATCH` directives as one argv, its exports by name, and each command
    matched to the command of the same program in the same if/else arm (in order); `top`
    locates what is missing."""
    drifts = _compare_directives(expected, actual, top)
    drifts += _compare_exports(expected, actual, top)
    unmatched: dict[tuple[str, str], list[Statement]] = {}
    for statement in actual:
        if statement.kind == "command":
            unmatched.setdefault(_command_key(statement), []).append(statement)
    for statement in expected:
        if statement.kind != "command":
            continue
        found = unmatched.get(_command_key(statement), [])
        words = [w.text for w in statement.words]
        if not found:
            shown = " ".join(words)
            drifts.append(Drift("missing", shown, shown, None, top, _program(statement)))
            continue
        drifts += on_command(words, found.pop(0))
    return drifts


def _program(statement: Statement) -> str:
    words = [w.text for w in statement.words]
    while words and (words[0] == "exec" or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
        words = words[1:]
    return words[0] if words else ""


def _command_key(statement: Statement) -> tuple[str, str]:
    return statement.branch, _program(statement)


def _compare_directives(
    expected: list[Statement], actual: list[Statement], top: Span
) -> list[Drift]:
    want = [w.text for s in expected if s.kind == "directive" for w in s.words]
    got = [w for s in actual if s.kind == "directive" for w in s.words]
    if not want:
        return []
    return compare_argv(want, got, top, frozenset())[0]


def _compare_exports(expected: list[Statement], actual: list[Statement], top: Span) -> list[Drift]:
    got: dict[tuple[str, str], Word] = {}
    for statement in actual:
        if statement.kind == "export":
            for word in statement.words:
                got[(statement.branch, word.text.partition("=")[0])] = word
    drifts = []
    for statement in expected:
        if statement.kind != "export":
            continue
        for word in statement.words:
            name, _, value = word.text.partition("=")
            found = got.get((statement.branch, name))
            if found is None:
                drifts.append(Drift("missing", name, value, None, top, name))
            elif not same(value, found.text.partition("=")[2]):
                actual_value = found.text.partition("=")[2]
                drifts.append(Drift("changed", name, value, actual_value, found.span, name))
    return drifts

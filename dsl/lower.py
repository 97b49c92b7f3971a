"""Language: lower a block's syntax to IR field values in SI units, checking keys and dimensions.

In: one `ast.Body` and the IR class it describes. Out: a `Lowered` (field values, the span
of every field by dotted path, the references to resolve) and diagnostics (CC1006, CC1010,
CC2xxx). References are only collected here: whether a name exists, and is of the right
kind, is the resolver's question, because it needs every file.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, NamedTuple

from ccc import codes
from ccc.diagnostics import Code, Diagnostic, Label
from ccc.dsl import ast
from ccc.dsl.units import UNITS, describe, example, suggest_unit
from ccc.ir import UNKNOWN, Key, Section, keys_of, section_class
from ccc.limits import MAX_COUNT, MAX_MAGNITUDE
from ccc.span import Span

__all__ = ["Lowered", "RefUse", "did_you_mean", "lower_body"]


class RefUse(NamedTuple):
    """A name the block refers to, where, and which kinds it may name."""

    path: str
    name: str
    span: Span
    kinds: tuple[str, ...]


class Lowered:
    """A block's field values, the span of each by dotted path, the names it refers to.

    A plain class, not a dataclass: it is the lowering's working state, never compared or
    printed, and a dataclass costs every `ccc check` about half a millisecond to define.
    """

    __slots__ = ("diagnostics", "invalid", "refs", "spans", "values")

    def __init__(
        self,
        values: dict[str, Any] | None = None,
        spans: dict[str, Span] | None = None,
        refs: list[RefUse] | None = None,
        invalid: set[str] | None = None,
    ) -> None:
        self.values: dict[str, Any] = {} if values is None else values
        self.spans: dict[str, Span] = {} if spans is None else spans
        self.refs: list[RefUse] = [] if refs is None else refs
        self.invalid: set[str] = set() if invalid is None else invalid  # given, but wrong
        self.diagnostics: list[Diagnostic] = []


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    import difflib  # only a mistake asks, so a clean check never loads it

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def lower_body(body: ast.Body, cls: type[Section], prefix: str = "") -> Lowered:
    """Lower the entries of `body`, a block or section of IR class `cls`."""
    out = Lowered()
    _lower_into(body, cls, prefix, out.values, out)
    return out


def _lower_into(
    body: ast.Body, cls: type[Section], prefix: str, values: dict[str, Any], out: Lowered
) -> None:
    keys = keys_of(cls)
    seen: dict[str, Span] = {}
    for entry in body.entries:
        name = entry.key if isinstance(entry, ast.Assign) else entry.name
        name_span = entry.key_span if isinstance(entry, ast.Assign) else entry.name_span
        if name in seen:
            _reject(
                out,
                codes.DUPLICATE_KEY,
                span=name_span,
                message=f"`{name}` is given twice",
                label="given again here",
                labels=[Label(span=seen[name], message="first here")],
                help="keep one of them",
            )
            continue
        seen[name] = name_span
        key = keys.get(name)
        if key is None:
            out.diagnostics.append(_unknown_key(name, name_span, cls, keys))
            continue
        path = prefix + name
        value = _lower_entry(entry, key, cls, path, out)
        if value is not _INVALID:
            values[name] = value
            out.spans[path] = entry.span if isinstance(entry, ast.Assign) else name_span
        else:
            out.invalid.add(path)


_INVALID = object()


def _unknown_key(name: str, span: Span, cls: type[Section], keys: dict[str, Key]) -> Diagnostic:
    where = getattr(cls.model_fields.get("kind"), "default", None) or cls.__name__.lower()
    hint = did_you_mean(name, tuple(keys))
    return Diagnostic.make(
        codes.UNKNOWN_KEY,
        span=span,
        message=f"{where} has no key `{name}`",
        label="unknown key",
        help=hint or f"the keys of {where} are: " + ", ".join(sorted(keys)),
    )


def _lower_entry(entry: ast.Entry, key: Key, cls: type[Section], path: str, out: Lowered) -> Any:
    if key.type in ("section", "table", "map", "by_chip"):
        if not isinstance(entry, ast.Section):
            return _wrong_type(out, entry.span, path, f"a block: write `{entry.key} {{ ... }}`")
        if key.type == "section":
            nested: dict[str, Any] = {}
            _lower_into(entry.body, section_class(cls, entry.name), path + ".", nested, out)
            return nested
        return _lower_table(entry.body, key, path, out)
    if isinstance(entry, ast.Section):
        return _wrong_type(out, entry.span, path, f"a value: write `{entry.name} = ...`")
    if not _comparison_ok(entry, key, out):
        return _INVALID
    return _lower_value(entry.value, key, path, out)


def _comparison_ok(entry: ast.Assign, key: Key, out: Lowered) -> bool:
    wanted = key.op or "="
    if entry.op == wanted or (wanted in ("<=", ">=") and entry.op == wanted[0]):
        return True
    _reject(
        out,
        codes.WRONG_COMPARISON,
        span=entry.span,
        message=f"`{entry.key}` is written with `{wanted}`, not `{entry.op}`",
        label={"<=": "an upper bound", ">=": "a lower bound"}.get(wanted, "a plain value"),
        help=f"write `{entry.key} {wanted} ...`",
    )
    return False


_ITEM_KEYS = {
    "table": lambda key: Key("figure", key.doc, dim=key.dim),
    "map": lambda key: Key("text", ""),
    "by_chip": lambda key: Key("enums", key.doc, choices=key.choices),
}


def _lower_table(body: ast.Body, key: Key, path: str, out: Lowered) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for entry in body.entries:
        if isinstance(entry, ast.Section):
            _wrong_type(out, entry.span, path, "`name = value` entries")
            continue
        if key.type == "by_chip":  # keys name accelerators; each value is a list of dtypes
            out.refs.append(RefUse(f"{path}.{entry.key}", entry.key, entry.key_span, key.ref or ()))
        elif key.choices and entry.key not in key.choices:
            _reject(
                out,
                codes.INVALID_CHOICE,
                span=entry.key_span,
                message=f"`{entry.key}` is not one of the keys of `{path}`",
                label="not a valid key here",
                help=did_you_mean(entry.key, key.choices)
                or "choose one of: " + ", ".join(key.choices),
            )
            continue
        item_key = _ITEM_KEYS[key.type](key)
        value = _lower_value(entry.value, item_key, f"{path}.{entry.key}", out)
        if value is not _INVALID:
            table[entry.key] = value
            out.spans[f"{path}.{entry.key}"] = entry.span
    return table


def _reject(out: Lowered, code: Code, **details: Any) -> Any:
    """Report a problem with the value being lowered; the value is then left out."""
    out.diagnostics.append(Diagnostic.make(code, **details))
    return _INVALID


def _wrong_type(out: Lowered, span: Span, path: str, wanted: str) -> Any:
    return _reject(
        out,
        codes.WRONG_TYPE,
        span=span,
        message=f"`{path}` expects {wanted}",
        label="wrong kind of value",
        help=f"`{path}` expects {wanted}",
    )


_WANTED = {
    "int": "a whole number",
    "number": "a number",
    "text": "a string in double quotes",
    "bool": "`true` or `false`",
    "ref": "the name of a block",
    "refs": "a list of names",
    "enum": "one of a set of words",
    "enums": "a list of words",
    "ints": "a list of numbers",
    "int_groups": "a list of lists of numbers",
    "degree": "a whole number or `auto`",
    "ratio": "a number or `ideal`",
    "texts": "a list of strings",
}


def _lower_value(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    lower = _LOWERERS[key.type]
    return lower(value, key, path, out)


def _figure(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if isinstance(value, ast.UnknownValue):
        return UNKNOWN
    if not isinstance(value, ast.Quantity):
        wanted = f"{describe(key.dim or 'none')} (e.g. `{example(key.dim or 'none')}`)"
        return _wrong_type(out, value.span, path, wanted + " or `unknown`")
    magnitude = _magnitude(value, key.dim or "none", path, out)
    if magnitude is _INVALID:
        return _INVALID
    return _in_range(magnitude, value, key, path, out)


def _magnitude(value: ast.Quantity, dim: str, path: str, out: Lowered) -> Any:
    """The SI magnitude of `value`, which must be of dimension `dim`."""
    if value.unit is None:
        if dim in ("count", "none", "fraction"):
            return _scaled(value, 1.0, path, out)
        return _reject(
            out,
            codes.WRONG_DIMENSION,
            span=value.span,
            message=f"`{path}` expects {describe(dim)}, found a plain number",
            label="no unit",
            help=f"write it with its unit, e.g. `{example(dim)}`",
        )
    unit = UNITS.get(value.unit)
    if unit is None:
        close = suggest_unit(value.unit, dim)
        hint = f"did you mean `{close}`?" if close else None
        return _reject(
            out,
            codes.UNKNOWN_UNIT,
            span=value.unit_span or value.span,
            message=f"unknown unit `{value.unit}`",
            label="not a unit ccc knows",
            help=hint or f"`{path}` expects {describe(dim)}, e.g. `{example(dim)}`",
        )
    found, factor = unit
    if found != dim:
        return _reject(
            out,
            codes.WRONG_DIMENSION,
            span=value.span,
            message=f"`{path}` expects {describe(dim)}, found {describe(found)}",
            label=f"this is {describe(found)}",
            help=f"write it as, e.g., `{example(dim)}`",
        )
    return _scaled(value, factor, path, out)


def _scaled(value: ast.Quantity, factor: float, path: str, out: Lowered) -> Any:
    """`value` times `factor` as a finite float; decimal, so `8.2 B` is exactly 8.2e9."""
    try:
        magnitude = float(Decimal(value.number.replace("_", "")) * Decimal(repr(factor)))
    except ArithmeticError:
        magnitude = math.inf
    if math.isfinite(magnitude) and abs(magnitude) > MAX_MAGNITUDE:
        return _reject(
            out,
            codes.NUMBER_TOO_LARGE,
            span=value.span,
            message=f"`{path}` is {magnitude:.3g} in SI units, beyond ccc's limit of "
            f"{MAX_MAGNITUDE:g}",
            label="too large",
            help="no figure of a cluster comes near this: check the number and its unit",
        )
    if math.isfinite(magnitude):
        return magnitude
    return _reject(
        out,
        codes.OUT_OF_RANGE,
        span=value.span,
        message=f"`{path}` is too large to be a number",
        label="not a finite number",
        help="write the figure in a larger unit",
    )


def _in_range(magnitude: float, value: ast.Quantity, key: Key, path: str, out: Lowered) -> Any:
    upper = 1.0 if key.dim == "fraction" else None
    if magnitude < key.minimum or (upper is not None and magnitude > upper):
        bound = f"between {key.minimum:g} and {upper:g}" if upper else f"at least {key.minimum:g}"
        return _reject(
            out,
            codes.OUT_OF_RANGE,
            span=value.span,
            message=f"`{path}` must be {bound}",
            label="out of range",
            help=f"give `{path}` a value {bound}",
        )
    return magnitude


def _integer(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if not isinstance(value, ast.Quantity):
        return _wrong_type(out, value.span, path, _WANTED["int"])
    magnitude = _magnitude(value, "count", path, out)
    if magnitude is _INVALID:
        return _INVALID
    if magnitude != int(magnitude):
        return _reject(
            out,
            codes.NOT_AN_INTEGER,
            span=value.span,
            message=f"`{path}` must be a whole number, found {value.number}",
            label="not a whole number",
            help=f"write `{path}` as a whole number",
        )
    if abs(magnitude) > MAX_COUNT:
        return _reject(
            out,
            codes.NUMBER_TOO_LARGE,
            span=value.span,
            message=f"`{path}` is {magnitude:.3g}, beyond ccc's limit of {MAX_COUNT:.0e} for "
            "a count",
            label="too large",
            help="no count of devices, requests or tokens comes near this: check the number",
        )
    checked = _in_range(magnitude, value, key, path, out)
    return _INVALID if checked is _INVALID else int(checked)


def _number(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if not isinstance(value, ast.Quantity):
        return _wrong_type(out, value.span, path, _WANTED["number"])
    magnitude = _magnitude(value, key.dim or "none", path, out)
    return _INVALID if magnitude is _INVALID else _in_range(magnitude, value, key, path, out)


def _ratio(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if isinstance(value, ast.Ref) and value.name == "ideal":
        return 1.0
    return _number(value, Key("number", key.doc, minimum=1), path, out)


def _degree(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if isinstance(value, ast.Ref) and value.name == "auto":
        return "auto"
    if isinstance(value, ast.Quantity):
        return _integer(value, Key("int", key.doc, minimum=1), path, out)
    return _wrong_type(out, value.span, path, _WANTED["degree"])


def _text(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if isinstance(value, ast.Str):
        return value.value
    return _wrong_type(out, value.span, path, _WANTED["text"])


def _bool(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if isinstance(value, ast.Bool):
        return value.value
    return _wrong_type(out, value.span, path, _WANTED["bool"])


def _ref(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    if isinstance(value, ast.Ref):
        out.refs.append(RefUse(path, value.name, value.span, key.ref or ()))
        return value.name
    return _wrong_type(out, value.span, path, _WANTED["ref"])


def _enum(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
    choices = key.choices or ()
    if isinstance(value, ast.Ref) and value.name in choices:
        return value.name
    if isinstance(value, ast.Ref | ast.Str):
        word = value.name if isinstance(value, ast.Ref) else value.value
        quoted = isinstance(value, ast.Str) and word in choices
        return _reject(
            out,
            codes.INVALID_CHOICE,
            span=value.span,
            message=f"`{word}` is not a valid `{path}`",
            label="not one of the choices",
            help=f"write `{word}` without quotes"
            if quoted
            else did_you_mean(word, choices) or "choose one of: " + ", ".join(choices),
        )
    return _wrong_type(out, value.span, path, "one of: " + ", ".join(choices))


def _list_of(item: Any, item_type: str) -> Any:
    def lower(value: ast.Value, key: Key, path: str, out: Lowered) -> Any:
        if not isinstance(value, ast.ListValue):
            return _wrong_type(out, value.span, path, _WANTED[item_type])
        items = [item(element, key, path, out) for element in value.items]
        return _INVALID if any(x is _INVALID for x in items) else items

    return lower


_LOWERERS = {
    "figure": _figure,
    "int": _integer,
    "number": _number,
    "ratio": _ratio,
    "degree": _degree,
    "text": _text,
    "bool": _bool,
    "ref": _ref,
    "enum": _enum,
    "refs": _list_of(_ref, "refs"),
    "enums": _list_of(_enum, "enums"),
    "ints": _list_of(_integer, "ints"),
    "texts": _list_of(_text, "texts"),
    "int_groups": _list_of(_list_of(_integer, "ints"), "int_groups"),
}

"""Calibration: measurement files as `ccc calibrate` reads them, each fault a located diagnostic.

In: a file in the format of `calibration.schema.json` (a JSON list of published
measurements). Out: its rows, or diagnostics pointing at the byte, key or value at fault
(CC4003 for the format, CC7002/CC7003/CC7006 for files too large, too deep (past the
64 levels manifests may nest) or too long).
Values are read by `json` (the authority on JSON); positions come from the YAML composer
only when a value is wrong, so a file is never read into objects twice on the good path.
ccc's own limits stand on top of the format's: degrees at most the devices ccc plans for,
figures at most 1e30 and counts at most 1e15, as in contracts, so the fit stays finite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple, Protocol

from ccc import codes
from ccc.codes import REGISTRY
from ccc.diagnostics import Code, Diagnostic
from ccc.limits import (
    MAX_COUNT,
    MAX_DATA_BYTES,
    MAX_DEVICES,
    MAX_MAGNITUDE,
    MAX_ROWS,
)
from ccc.span import Span
from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, ValidationError

if TYPE_CHECKING:
    from ccc.performance.factors import FactorTable
    from pydantic_core import ErrorDetails

__all__ = [
    "Factors",
    "MeasurementFile",
    "Measurements",
    "Row",
    "RowParallel",
    "RowSlo",
    "RowWorkload",
    "load_rows",
    "not_modelled",
    "read_factors",
    "read_measurements",
    "read_rows",
    "read_text",
]

_SHOWN_ERRORS = 20  # a file of garbage rows gets the first ones and a count of the rest

Degree = Annotated[int, Field(ge=1, le=MAX_DEVICES)]
Tokens = Annotated[float, Field(ge=0, le=MAX_COUNT)]
Fraction = Annotated[float, Field(ge=0, le=1)]
# A measured figure: positive, and within 1e30 either way so an error ratio stays finite.
Figure = Annotated[float, Field(ge=1 / MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
Metric = Literal[
    "output_tokens_per_s_per_device",
    "input_tokens_per_s_per_device",
    "total_tokens_per_s_per_device",
    "ttft_ms",
    "tpot_ms",
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, strict=True, defer_build=True
    )


class RowParallel(_Strict):
    tp: Degree | None = None
    ep: Degree | None = None
    pp: Degree | None = None
    dp: Degree | None = None
    attention_dp: bool = False
    redundant_experts: Annotated[int, Field(ge=0, le=MAX_DEVICES)] = 0


class RowWorkload(_Strict):
    input_tokens: Tokens | None = None
    output_tokens: Tokens | None = None
    concurrency: Annotated[float, Field(ge=1, le=MAX_COUNT)] | None = None
    cached_prefix_fraction: Fraction = 0.0
    concurrency_scope: Literal["instance", "device"] = "instance"
    mtp_draft_tokens: Annotated[int, Field(ge=0, le=64)] = 0  # engines draft 1 to 7
    mtp_acceptance: Fraction | None = None
    expert_balance: Literal["measured", "ideal"] = "measured"
    # How the run was made (the data README's "How a measurement was taken"): lengths are
    # means spread as `dataset` says; `requests` in all, offered at `request_rate` per second
    # (absent: all at once).
    dataset: Literal["fixed", "random", "sharegpt", "trace"] = "fixed"
    min_fraction: Fraction | None = None
    requests: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    request_rate: Annotated[float, Field(gt=0, le=MAX_MAGNITUDE)] | None = None


class RowSlo(_Strict):
    """The latency bound the row's figure is the best throughput under."""

    ttft_ms: Figure | None = None
    tpot_ms: Figure | None = None


class Row(_Strict):
    """One published measurement (`calibration.schema.json`)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=200)]
    source: str
    vendor_claim: bool = False
    approximate: bool = False
    model: Name
    accelerator: Name
    system: Name
    devices: Degree
    dies_per_device: Annotated[int, Field(ge=1, le=64)] = 1
    toolkit: Name
    weights: Name
    kv_cache: Name = "bf16"
    phase: Literal["both", "prefill", "decode"] = "both"
    parallel: RowParallel
    workload: RowWorkload
    measured: Annotated[dict[Metric, Figure], Field(min_length=1)]
    notes: str | None = None
    harness: Literal["online", "offline", "profile"] = "online"
    slo: RowSlo | None = None


class MeasurementFile(RootModel[list[Row]]):
    """A measurement file: a JSON list of rows (`ccc schema measurements`)."""


class Measurements(NamedTuple):
    rows: list[Row]
    diagnostics: list[Diagnostic]
    text: str  # for rendering the diagnostics; "" when the file could not be read


def read_measurements(path: Path, name: str) -> Measurements:
    """Read and check the file at `path` (shown as `name`), within ccc's size limit."""
    text, problem = read_text(path, name, codes.MEASUREMENTS_INVALID)
    if problem is not None:
        return Measurements([], [problem], "")
    return read_rows(text, name)


def read_rows(text: str, name: str) -> Measurements:
    """The rows of a measurement file's text, or where it is wrong."""
    help = "a measurement file is a JSON list of rows (calibration.schema.json)"
    data, problem = _parse(text, name, codes.MEASUREMENTS_INVALID, help)
    if problem is not None:
        return Measurements([], [problem], text)
    if isinstance(data, list) and len(data) > MAX_ROWS:
        where = _locate(text, name, (MAX_ROWS,))
        message = f"the file holds {len(data)} rows, more than the {MAX_ROWS} ccc fits on"
        diagnostic = Diagnostic.make(
            codes.LIST_TOO_LONG, span=where, message=message, help="split the file by system"
        )
        return Measurements([], [diagnostic], text)
    try:
        rows = MeasurementFile.model_validate(data).root
    except ValidationError as error:
        schema = "see calibration.schema.json (ccc schema measurements) for the row format"
        return Measurements(
            [], _format_errors(error, text, name, codes.MEASUREMENTS_INVALID, schema), text
        )
    return Measurements(rows, _repeated_ids(rows, text, name), text)


class Factors(NamedTuple):
    """A factor table file as read: the table, or where it is wrong."""

    table: FactorTable | None
    diagnostics: list[Diagnostic]
    text: str


def read_factors(path: Path, name: str) -> Factors:
    """The factor table at `path` (`--factors FILE`: one `ccc calibrate --write-factors`
    wrote, or a site's), checked as a measurement file is (CC4006 at the key at fault)."""
    from ccc.performance.factors import FactorTable

    code = codes.FACTORS_INVALID
    text, problem = read_text(path, name, code)
    if problem is not None:
        return Factors(None, [problem], "")
    help = "a factor table is what `ccc calibrate --write-factors FILE` writes (ccc schema factors)"
    data, problem = _parse(text, name, code, help)
    if problem is not None:
        return Factors(None, [problem], text)
    try:
        table = FactorTable.model_validate(data)
    except ValidationError as error:
        return Factors(None, _format_errors(error, text, name, code, help), text)
    if "global" not in table.layers:
        where = _locate(text, name, ("layers",))
        message = "the table has no `global` layer, which every prediction falls back to"
        return Factors(None, [Diagnostic.make(code, span=where, message=message, help=help)], text)
    return Factors(table, [], text)


def read_text(path: Path, name: str, code: Code) -> tuple[str, Diagnostic | None]:
    """A data file's text within ccc's size limit, or why not."""
    size = path.stat().st_size
    if size > MAX_DATA_BYTES:
        message = f"{name} is {size} bytes, over the {MAX_DATA_BYTES} limit"
        return "", _at(codes.INPUT_TOO_LARGE, name, 1, 1, message, None)
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        message = f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x})"
        span = Span.of_decode_error(name, error)
        return "", Diagnostic.make(code, span=span, message=message)


def _parse(text: str, name: str, code: Code, help: str) -> tuple[Any, Diagnostic | None]:
    """JSON text as data, or the diagnostic of why not (too deep, too long a number)."""
    from ccc.validation.manifests import Malformed, refuse_deep_brackets

    try:  # json.loads recurses once per level
        refuse_deep_brackets(text, name)
    except Malformed as error:
        return None, _at(codes.TOO_DEEP, name, error.line, error.column, str(error), None)
    try:
        return json.loads(text, parse_int=_whole_number), None
    except _TooManyDigits as error:
        return None, _too_many_digits(text, name, error.literal)
    except json.JSONDecodeError as error:
        return None, _at(code, name, error.lineno, error.colno, f"not JSON: {error.msg}", help)


class _TooManyDigits(Exception):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _whole_number(literal: str) -> int:
    try:
        return int(literal)
    except ValueError:  # more digits than Python converts (4,300 by default)
        raise _TooManyDigits(literal) from None


def _too_many_digits(text: str, name: str, literal: str) -> Diagnostic:
    found = re.search(rf"(?<![\d.]){re.escape(literal)}(?!\d)", text)
    span = Span.at_offset(name, text, found.start() if found else 0)
    message = f"a number of {len(literal.lstrip('-'))} digits, too long to read"
    return Diagnostic.make(codes.NUMBER_TOO_LARGE, span=span, message=message)


class Failed(Protocol):
    """A row the fit could not model, as its report lists it."""

    @property
    def id(self) -> str: ...
    @property
    def error(self) -> str | None: ...
    @property
    def field(self) -> str | None: ...  # the row's key at fault
    @property
    def code(self) -> str | None: ...  # placement's code, where placement refused it
    @property
    def help(self) -> str | None: ...


def not_modelled(found: Measurements, name: str, failed: Sequence[Failed]) -> list[Diagnostic]:
    """A diagnostic at the key at fault for each row ccc read but cannot model: placement's
    own code and help where placement refused its degrees, else CC4004."""
    index = {row.id: number for number, row in enumerate(found.rows)}
    out = []
    for row in failed:
        code = REGISTRY.get(row.code or "", codes.ROW_NOT_MODELLED)
        out.append(
            Diagnostic.make(
                code,
                span=_locate(found.text, name, (index[row.id], row.field or "id")),
                message=f"row `{row.id}` cannot be predicted: {row.error}",
                label="ccc cannot model this" if code is codes.ROW_NOT_MODELLED else "as stated",
                help=row.help
                or "fix the row, or state what the catalog lacks in a site catalog (--catalog DIR)",
            )
        )
    return out


def _repeated_ids(rows: list[Row], text: str, name: str) -> list[Diagnostic]:
    """Rows are told apart by id (in the report and leave-one-out): a repeat is an error."""
    first: dict[str, int] = {}
    diagnostics = []
    for number, row in enumerate(rows):
        if row.id in first:
            diagnostics.append(
                Diagnostic.make(
                    codes.MEASUREMENTS_INVALID,
                    span=_locate(text, name, (number, "id")),
                    message=f"row {number + 1} repeats the id `{row.id}` of row {first[row.id] + 1}",
                    label="a second row with this id",
                    help="give every row its own id",
                )
            )
        first.setdefault(row.id, number)
    return diagnostics


def load_rows(path: Path) -> list[Row]:
    """The rows of a file known to be good (the bundled data); ValueError names the first
    problem of any other."""
    found = read_measurements(path, path.name)
    if found.diagnostics:
        first = found.diagnostics[0]
        where = f"{first.span.line}:{first.span.column}: " if first.span else ""
        raise ValueError(f"{path.name}:{where}{first.message}")
    return found.rows


def _format_errors(
    error: ValidationError, text: str, name: str, code: Code, help: str
) -> list[Diagnostic]:
    problems = error.errors(include_url=False)
    diagnostics = [
        Diagnostic.make(
            code,
            span=_locate(text, name, problem["loc"], problem["type"] == "extra_forbidden"),
            message=_describe(problem),
            label=_LABELS.get(problem["type"], "here"),
            help=help,
        )
        for problem in problems[:_SHOWN_ERRORS]
    ]
    diagnostics.sort(key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))
    if len(problems) > _SHOWN_ERRORS:
        diagnostics[-1].notes.append(f"{len(problems) - _SHOWN_ERRORS} more problems not shown")
    return diagnostics


_LABELS = {"missing": "this row lacks it", "extra_forbidden": "unknown field"}


def _describe(problem: ErrorDetails) -> str:
    path = _path_text(problem["loc"])
    if problem["type"] == "missing":
        return f"{path} is missing"
    if problem["type"] == "extra_forbidden":
        return f"{path} is not a field of the format"
    shown = json.dumps(problem.get("input"), ensure_ascii=True)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{path} = {shown}: {problem['msg'][0].lower()}{problem['msg'][1:]}"


def _path_text(loc: tuple[Any, ...]) -> str:
    """`row 3 .workload.concurrency`, as a reader finds it (rows counted from 1)."""
    if not loc:
        return "the file"
    head, *rest = loc
    row = f"row {head + 1}" if isinstance(head, int) else f"`{head}`"
    return row + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)


def _locate(text: str, name: str, loc: tuple[Any, ...], at_key: bool = False) -> Span:
    """Where the value at `loc` is (its key, `at_key`), or the start of the closest thing
    above it that exists (a missing key: its row); the file's start if positions fail."""
    from ccc.validation.manifests import Malformed, read_tree

    try:
        [node] = read_tree(text, name)
    except (Malformed, ValueError):
        return Span.point(name, 1, 1)
    for part in loc:
        value = node.value
        if isinstance(value, list) and isinstance(part, int) and part < len(value):
            node = value[part]
        elif isinstance(value, dict) and str(part) in value:
            node = value[str(part)]
        else:
            break
    span = node.where if at_key else node.span
    if isinstance(node.value, dict | list):  # a row or block: its opening bracket
        return Span.point(name, span.line, span.column)
    return span


def _at(
    code: Code, name: str, line: int, column: int, message: str, help: str | None
) -> Diagnostic:
    return Diagnostic.make(code, span=Span.point(name, line, column), message=message, help=help)

"""Driver: the library's verbs behind the CLI, the stages run in order (check, plan, compile).

In: paths and options. Out: results holding the contract, the texts (for rendering) and the
diagnostics. `--strict` is applied here, once, so every command means the same by it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ccc.diagnostics import Diagnostic, sort_key
from ccc.front.checks import Blocker, check_contract, unknown_figures
from ccc.front.loader import std_dir
from ccc.front.resolve import Options, resolve
from ccc.ir import Contract

if TYPE_CHECKING:
    from ccc.plans import PlanReport

__all__ = [
    "CheckResult",
    "CompileResult",
    "Options",
    "PlanResult",
    "ValidateResult",
    "check",
    "compile",
    "load_catalog",
    "plan",
    "plan_report",
    "validate",
]


class CheckResult(NamedTuple):
    contract: Contract
    sources: dict[str, str]
    diagnostics: list[Diagnostic]
    unknowns: list[Blocker]


def check(paths: list[Path], options: Options, *, strict: bool = False) -> CheckResult:
    """Parse, resolve and check `paths`: every problem of every file, in reading order."""
    resolved = resolve(paths, options)
    diagnostics = resolved.diagnostics + check_contract(resolved.contract)
    if strict:
        diagnostics = [d.escalated() for d in diagnostics]
    return CheckResult(
        resolved.contract,
        resolved.sources,
        sorted(diagnostics, key=sort_key),
        unknown_figures(resolved.contract),
    )


def load_catalog(options: Options) -> CheckResult:
    """The standard catalog, with the site catalogs of `options` layered before it."""
    root = std_dir()
    files = sorted(p for p in root.rglob("*.cc"))
    for catalog in options.catalogs:
        files += sorted(catalog.rglob("*.cc"))
    return check(files, options)


class PlanResult(NamedTuple):
    contract: Contract
    sources: dict[str, str]
    diagnostics: list[Diagnostic]
    placements: dict  # deployment -> [RolePlacement], from ccc.placement.place
    searches: dict | None = None  # deployment -> ccc.performance.search.Search, ranked
    systems: dict | None = None  # deployment -> its cluster's ccc.hardware.topology.System


def plan(
    paths: list[Path],
    options: Options,
    *,
    strict: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    factors: Any = None,
) -> PlanResult:
    """Check `paths`, place every deployment, then predict and rank its plans under its SLO.
    Placement runs only on a contract without errors: on a broken one its findings would be
    noise. `progress(deployment, done, total)` hears of each plan predicted; `factors`: the
    `FactorTable` to predict with (None: the shipped one)."""
    from ccc.diagnostics import has_errors
    from ccc.hardware.topology import systems_of
    from ccc.performance.search import search
    from ccc.placement.place import place

    checked = check(paths, options, strict=strict)
    if has_errors(checked.diagnostics):
        return PlanResult(checked.contract, checked.sources, checked.diagnostics, {})
    placements, found = place(checked.contract)
    searches = {}
    for name in sorted(placements):
        report = None if progress is None else functools.partial(progress, name)
        searches[name] = search(checked.contract, name, placements[name], factors, progress=report)
        found += searches[name].diagnostics
    if strict:
        found = [d.escalated() for d in found]
    diagnostics = sorted(checked.diagnostics + found, key=sort_key)
    systems = systems_of(checked.contract, placements)
    return PlanResult(checked.contract, checked.sources, diagnostics, placements, searches, systems)


def plan_report(planned: PlanResult, *, top: int, ranks: bool) -> PlanReport:
    """The `top` plans of each deployment as the versioned `ccc.plans.PlanReport` that
    `ccc plan --format json` prints (with every device's ranks when `ranks`)."""
    from ccc.performance.report import build_report

    return build_report(
        planned.placements, planned.systems or {}, top=top, ranks=ranks, searches=planned.searches
    )


class CompileResult(NamedTuple):
    contract: Contract
    sources: dict[str, str]
    diagnostics: list[Diagnostic]
    emitted: Any  # ccc.emit.Emitted; None when an error stopped the compile


def compile(
    paths: list[Path],
    options: Options,
    *,
    targets: Sequence[str] | None = None,
    inventory: Any = None,
    strict: bool = False,
    factors: Any = None,
) -> CompileResult:
    """Plan `paths`, then render the best plan of each deployment through `targets` (all
    that apply when None), in memory. Nothing is emitted for a contract with errors."""
    from ccc.diagnostics import has_errors
    from ccc.emit import emit

    planned = plan(paths, options, strict=strict, factors=factors)
    if has_errors(planned.diagnostics):
        return CompileResult(planned.contract, planned.sources, planned.diagnostics, None)
    emitted = emit(planned.contract, planned.placements, planned.searches, targets, inventory)
    found = [d.escalated() for d in emitted.diagnostics] if strict else emitted.diagnostics
    diagnostics = sorted(planned.diagnostics + found, key=sort_key)
    result = None if has_errors(diagnostics) else emitted
    return CompileResult(planned.contract, planned.sources, diagnostics, result)


class ValidateResult(NamedTuple):
    contract: Contract
    sources: dict[str, str]  # the contract's files and the manifests read
    diagnostics: list[Diagnostic]
    checked: list[str]  # manifest files compared, relative to the directory


def validate(
    directory: Path,
    paths: list[Path],
    options: Options,
    *,
    targets: Sequence[str] | None = None,
    inventory: Any = None,
    strict: bool = False,
) -> ValidateResult:
    """Compile `paths` in memory and compare the manifests under `directory` with the
    result: drift and edited degrees that no longer fit are CC6xxx errors."""
    from ccc.validation.compare import validate as compare

    compiled = compile(paths, options, targets=targets, inventory=inventory, strict=strict)
    if compiled.emitted is None:
        return ValidateResult(compiled.contract, compiled.sources, compiled.diagnostics, [])
    found = compare(directory, compiled.emitted, targets)
    return ValidateResult(
        compiled.contract,
        {**compiled.sources, **found.sources},
        sorted(compiled.diagnostics + found.diagnostics, key=sort_key),
        found.checked,
    )

"""The library's verbs behind the CLI: check a contract, load the catalog.

In: paths and options. Out: results holding the contract, the texts (for rendering) and the
diagnostics. `--strict` is applied here, once, so every command means the same by it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ccc.checks import Blocker, check_contract, unknown_figures
from ccc.diagnostics import Diagnostic, sort_key
from ccc.ir import Contract
from ccc.loader import std_dir
from ccc.resolve import Options, resolve

__all__ = ["CheckResult", "Options", "check", "load_catalog"]


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

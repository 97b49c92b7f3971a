"""Targets, the last stage: one module per target, found by file name (the registry).

A target module exports `NAME`, `KIND` ("engine", "runner" or "report"), `DESCRIPTION`,
`NOT_OWNED` (fnmatch patterns of key paths in its files that `ccc validate` leaves alone),
`applies(build) -> bool` and `emit(build, engine) -> Output` (its files and findings, as
data). An engine target also exports `TOOLKITS` (the catalog toolkits it launches),
`PREFERENCE` (its rank when ccc picks a toolkit for a chip: the engines most deployments use
first), `FLAGS` (its flags by concept, per verified version), `compute(build) -> EngineOutput`
(its launches, files and findings) and `degrees(values)` (the degrees its flags state, by
concept: how `ccc validate` re-checks an edited launch); a runner exports `WRAPS_ENGINE`,
whether it runs the engine's launches. `ccc.emit` computes the engine's output once per build
and passes it to every target's `emit`. `ccc.targets._types` states these as Protocols.
A module is imported only when asked for, so adding a target is adding its file (and its
golden tests); nothing else changes.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # the Protocols load with the first target, not with the registry
    from ccc.targets._types import EngineTarget, Target

__all__ = ["engine_for", "engine_toolkits", "engines", "launched_toolkit", "load", "names"]


@functools.cache
def names() -> tuple[str, ...]:
    """Every target, by name, sorted."""
    import pkgutil  # not at import: `ccc check` loads this package for `dumps` alone

    return tuple(
        sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    )


@functools.cache
def load(name: str) -> Target:
    """The target `name`, checked against what its kind must export (TypeError if not)."""
    if name not in names():
        raise KeyError(name)
    from ccc.targets._types import conforms

    return conforms(import_module(f"{__name__}.{name}"))


@functools.cache
def engines() -> tuple[EngineTarget, ...]:
    """Every engine target, the most used first (by PREFERENCE, then name)."""
    found = [cast("EngineTarget", m) for m in map(load, names()) if m.KIND == "engine"]
    return tuple(sorted(found, key=lambda m: (m.PREFERENCE, m.NAME)))


def engine_toolkits() -> tuple[str, ...]:
    """The catalog toolkits some engine target launches, the most used first."""
    return tuple(toolkit for engine in engines() for toolkit in engine.TOOLKITS)


def launched_toolkit(lineage: Sequence[str]) -> str:
    """The nearest toolkit of `lineage` (a toolkit and those it extends, nearest first) that
    an engine target launches, else the first."""
    launched = engine_toolkits()
    return next((name for name in lineage if name in launched), lineage[0] if lineage else "")


def engine_for(lineage: Sequence[str]) -> EngineTarget | None:
    """The engine target that launches a toolkit of `lineage` (a toolkit and those it
    extends, nearest first), if any."""
    name = launched_toolkit(lineage)
    return next((m for m in engines() if name in m.TOOLKITS), None)

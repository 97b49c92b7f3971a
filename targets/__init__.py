"""Targets, one module per file, found by file name.

A target module exports `NAME`, `KIND` ("engine", "runner" or "report"), `DESCRIPTION`,
`NOT_OWNED` (fnmatch patterns of key paths in its files that `ccc validate` leaves alone),
`applies(build) -> bool` and `emit(build, engine) -> Output` (its files and findings, as
data). An engine target also exports `TOOLKITS` (the catalog toolkits it launches),
`compute(build) -> EngineOutput`
(its launches, files and findings) and `degrees(values)` (the degrees its flags state, by
concept: how `ccc validate` re-checks an edited launch); a runner exports `WRAPS_ENGINE`,
whether it runs the engine's launches. `ccc.emit` computes the engine's output once per build
and passes it to every target's `emit`. `ccc.targets._types` states these as Protocols.
A module is imported only when asked for, so adding a target is adding its file (and its
golden tests); nothing else changes.
"""

from __future__ import annotations

import functools
import pkgutil
from importlib import import_module
from types import ModuleType

__all__ = ["engine_for", "load", "names"]


@functools.cache
def names() -> tuple[str, ...]:
    """Every target, by name, sorted."""
    return tuple(
        sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    )


def load(name: str) -> ModuleType:
    if name not in names():
        raise KeyError(name)
    return import_module(f"{__name__}.{name}")


def engine_for(toolkit: str) -> ModuleType | None:
    """The engine target that launches `toolkit`, if any."""
    for name in names():
        module = load(name)
        if module.KIND == "engine" and toolkit in module.TOOLKITS:
            return module
    return None

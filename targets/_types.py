"""Targets: what a target module exports, as Protocols that mypy checks every module against.

`Target` is every target; `EngineTarget` adds what an engine target exports, `RunnerTarget`
what a runner does. The registry (`ccc.targets.load`) checks a module's attributes against
these at run time (`conforms`); the assignments under TYPE_CHECKING make mypy check each
module's signatures too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

from ccc.targets._base import Build, Endpoints, Launch, Output
from ccc.targets._capabilities import Capabilities
from ccc.targets._flags import Flags
from ccc.targets._launch import EngineOutput

__all__ = ["EngineTarget", "RunnerTarget", "Target", "conforms"]


# Data members are read-only properties: a module's `NOT_OWNED = ("a",)` is then a
# `Sequence[str]` to mypy, as a plain (mutable, so invariant) attribute would not be.
class Target(Protocol):
    @property
    def NAME(self) -> str: ...
    @property
    def KIND(self) -> str: ...  # "engine", "runner" or "report"
    @property
    def DESCRIPTION(self) -> str: ...
    @property
    def NOT_OWNED(self) -> Sequence[str]: ...  # key paths `ccc validate` leaves alone

    def applies(self, build: Build) -> bool: ...

    def emit(self, build: Build, engine: EngineOutput | None) -> Output: ...


class EngineTarget(Target, Protocol):
    @property
    def TOOLKITS(self) -> Sequence[str]: ...  # the catalog toolkits it launches
    @property
    def PREFERENCE(self) -> int: ...  # lower first when ccc picks a toolkit, and in listings
    @property
    def FLAGS(self) -> Mapping[str, Flags]: ...  # concept -> flag or config key, by version
    @property
    def CAPABILITIES(self) -> Mapping[str, Capabilities]: ...  # what it expresses, by version

    def compute(self, build: Build) -> EngineOutput: ...

    def degrees(self, values: Mapping[str, str | None]) -> dict[str, int]: ...

    # the router a prefill/decode deployment is served through, found where the runner says
    # (None: the engine target starts none, and its compute says so as CC5006)
    def router(self, build: Build, endpoints: Endpoints) -> Launch | None: ...


class RunnerTarget(Target, Protocol):
    @property
    def WRAPS_ENGINE(self) -> bool: ...  # whether it runs the engine's launches


# Attribute -> the types its value may have, by kind (what `conforms` checks at run time).
_COMMON = {
    "NAME": str,
    "KIND": str,
    "DESCRIPTION": str,
    "NOT_OWNED": tuple,
}
_BY_KIND: dict[str, dict[str, type]] = {
    "engine": {"TOOLKITS": tuple, "PREFERENCE": int, "FLAGS": dict, "CAPABILITIES": dict},
    "runner": {"WRAPS_ENGINE": bool},
    "report": {},
}
_CALLABLE = {"engine": ("applies", "emit", "compute", "degrees", "router")}


def conforms(module: ModuleType) -> Target:
    """`module` as a Target, after checking it exports what its kind needs; TypeError names
    what is missing or of the wrong type."""
    kind = getattr(module, "KIND", None)
    if kind not in _BY_KIND:
        raise TypeError(f"{module.__name__}: KIND is {kind!r}, not one of {sorted(_BY_KIND)}")
    for attribute, kind_of in {**_COMMON, **_BY_KIND[kind]}.items():
        value = getattr(module, attribute, None)
        if not isinstance(value, kind_of):
            raise TypeError(f"{module.__name__}.{attribute} is not a {kind_of.__name__}")
    for function in _CALLABLE.get(kind, ("applies", "emit")):
        if not callable(getattr(module, function, None)):
            raise TypeError(f"{module.__name__}.{function} is not a function")
    return module  # checked above; each module against its Protocol by mypy, below


if TYPE_CHECKING:  # mypy checks each module against its Protocol; nothing runs
    from ccc.targets import bench, fastdeploy, k8s, mindie, plan, sglang, slurm, vllm, vllm_ascend

    _engines: list[EngineTarget] = [vllm, vllm_ascend, sglang, fastdeploy, mindie]
    _runners: list[RunnerTarget] = [k8s, slurm, bench]
    _reports: list[Target] = [plan]

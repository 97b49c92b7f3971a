"""Targets: engine flags as data, keyed by the engine versions whose sources were read.

An engine target keeps a table `{version: Flags}`; `select` picks the contract's
`engine_version` when it was verified, else the nearest verified version not newer than it
(the oldest when it is older than all) with a CC5004 warning, else the newest verified one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from ccc.plans import RolePlan
from ccc.targets._base import Build, Notice, Word

__all__ = ["Argv", "Flags", "count", "select", "version_key"]

UNVERIFIED_ENGINE_VERSION = "CC5004"


class Flags(NamedTuple):
    """One verified version: concept -> the engine's flag, and where it was read."""

    version: str
    source: str
    flags: Mapping[str, str]

    def flag(self, concept: str) -> str:
        return self.flags[concept]

    def states(self, concept: str) -> bool:
        """Whether this version has a flag for `concept`."""
        return concept in self.flags


def count(values: Mapping[str, str | None], concept: str) -> int:
    """A degree as a launch states it (absent: 1); a value that is not a positive count
    raises ValueError."""
    value = int(values.get(concept) or 1)
    if value < 1:
        raise ValueError(f"{concept} = {value}")
    return value


def version_key(version: str) -> tuple[int, ...]:
    """`v0.11.0rc1` -> (0, 11, 0, 1): numbers compared left to right."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


def verified_version(verified: Iterable[str], asked: str | None) -> str:
    """The verified version to use for `asked`: itself, else the newest one not newer,
    else the oldest; the newest when none is asked."""
    ordered = sorted(verified, key=version_key)
    if asked is None:
        return ordered[-1]
    if asked in ordered:
        return asked
    older = [v for v in ordered if version_key(v) <= version_key(asked)]
    return older[-1] if older else ordered[0]


def select(
    build: Build, table: Mapping[str, Flags], engine: str
) -> tuple[Flags, tuple[Notice, ...]]:
    """The flags to launch with, and the CC5004 warning when they are another version's."""
    verified = sorted(table, key=version_key)
    asked = build.deployment.engine_version
    chosen = verified_version(verified, asked)
    if asked is None or asked == chosen:
        return table[chosen], ()
    warning = Notice(
        UNVERIFIED_ENGINE_VERSION,
        message=f"{engine} {asked} is not a version whose flags ccc verified; "
        f"using the flags of {chosen}",
        span=build.deployment.span_of("engine_version"),
        label=f"verified: {', '.join(verified)}",
        help=f'pin a verified version (`engine_version = "{verified[-1]}"`) or check '
        f"{engine}'s release notes for flags renamed since {chosen}",
    )
    return table[chosen], (warning,)


class Argv:
    """An engine's command line, built concept by concept: each flag it adds is the engine's
    name for the concept, and its reason (the plan decision) is kept for `ccc validate`."""

    def __init__(self, flags: Flags, program: list[Word]) -> None:
        self.flags = flags
        self.words: list[Word] = list(program)
        self.why: dict[str, str] = {}

    def add(self, concept: str, value: str | None, reason: str) -> None:
        flag = self.flags.flag(concept)
        self.words.extend([flag] if value is None else [flag, value])
        self.why[flag] = reason

    def memory(self, role: RolePlan) -> None:
        """The context and memory fraction the plan's memory check was made for."""
        memory = role.memory
        self.add("context", str(memory.context_tokens), "the context the memory check was made for")
        fraction = f"{memory.memory_fraction:.2f}"
        self.add("memory_fraction", fraction, f"the memory fraction the plan fits in ({fraction})")

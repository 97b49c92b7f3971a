"""Engine flags as data, keyed by the engine versions whose sources were read.

An engine target keeps a table `{version: Flags}`; `select` picks the contract's
`engine_version` when it was verified, else the nearest verified version not newer than it
(the oldest when it is older than all) with a CC5004 warning, else the newest verified one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from ccc.codes import UNVERIFIED_ENGINE_VERSION
from ccc.diagnostics import Diagnostic
from ccc.targets._base import Build

__all__ = ["Flags", "select", "version_key"]


class Flags(NamedTuple):
    """One verified version: concept -> the engine's flag, and where it was read."""

    version: str
    source: str
    flags: Mapping[str, str]

    def flag(self, concept: str) -> str:
        return self.flags[concept]


def version_key(version: str) -> tuple[int, ...]:
    """`v0.11.0rc1` -> (0, 11, 0, 1): numbers compared left to right."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


def select(build: Build, table: Mapping[str, Flags], engine: str) -> Flags:
    verified = sorted(table, key=version_key)
    asked = build.deployment.engine_version
    if asked is None:
        return table[verified[-1]]
    if asked in table:
        return table[asked]
    older = [v for v in verified if version_key(v) <= version_key(asked)]
    chosen = older[-1] if older else verified[0]
    build.diagnostics.append(
        Diagnostic.make(
            UNVERIFIED_ENGINE_VERSION,
            message=f"{engine} {asked} is not a version whose flags ccc verified; "
            f"using the flags of {chosen}",
            span=build.deployment.span_of("engine_version"),
            label=f"verified: {', '.join(verified)}",
            help=f'pin a verified version (`engine_version = "{verified[-1]}"`) or check '
            f"{engine}'s release notes for flags renamed since {chosen}",
        )
    )
    return table[chosen]

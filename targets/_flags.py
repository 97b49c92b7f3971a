"""Targets: engine flags as data, keyed by the engine versions whose sources were read.

An engine target keeps a table `{version: Flags}`; `select` picks the contract's
`engine_version` when it was verified, else the nearest verified version not newer than it
(the oldest when it is older than all) with a CC5004 warning, else the newest verified one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from ccc.ir import known
from ccc.plans import RolePlan
from ccc.targets._base import Build, Notice, Word

__all__ = [
    "Argv",
    "Flags",
    "count",
    "kv_cache_notices",
    "launch_context",
    "select",
    "version_key",
]

UNVERIFIED_ENGINE_VERSION = "CC5004"
UNEXPRESSIBLE_PLAN = "CC5005"  # the engine version has no flag for a decision of the plan


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


def launch_context(build: Build, role: RolePlan, margin: int) -> int:
    """The context length an engine is started with: the workload's longest request (its
    stated context, else input + output, on every role: a prefill instance is sent the
    whole request) plus the `margin` the engine needs, and at least one token past it where
    the model's window leaves room; never below what the memory check held per request.
    CC3014 has refused a request too long for the window with the margin."""
    w = build.deployment.workload
    stated, prompt, output = (
        int(known(v) or 0) for v in (w.context, w.input_tokens, w.output_tokens)
    )
    longest = stated or prompt + output
    held = role.memory.context_tokens
    if not longest:
        return held
    spare = min(longest + max(margin, 1), build.model.context or longest + max(margin, 1))
    return max(held, longest + margin, spare)


def kv_cache_notices(
    build: Build, names: Mapping[str, str], engine: str, version: str, decided: Iterable[str] = ()
) -> tuple[Notice, ...]:
    """CC5005 when the contract's KV-cache dtype has no name in this engine version's
    `--kv-cache-dtype` (`names`) and is not one the engine sets itself (`decided`: from the
    checkpoint's quantization config, or forced on a chip). Launched at the default, the
    cache would take more memory than the plan's check allowed."""
    kv = build.deployment.kv_cache
    if kv is None or kv in names or kv in decided:
        return ()
    return (
        Notice(
            UNEXPRESSIBLE_PLAN,
            message=f"{engine} {version} has no KV-cache dtype for `{kv}`",
            span=build.deployment.span_of("kv_cache"),
            label=f"kv_cache = {kv} here",
            help=f"use a KV cache this version names ({', '.join(sorted(names))}), or an "
            "engine_version that names this one",
        ),
    )


class Argv:
    """An engine's command line, built concept by concept: each flag it adds is the engine's
    name for the concept, and its reason (the plan decision) is kept for `ccc validate`."""

    def __init__(self, flags: Flags, program: list[Word]) -> None:
        self.flags = flags
        self.words: list[Word] = list(program)
        self.why: dict[str, str] = {}

    def add(self, concept: str, value: str | None, reason: str) -> None:
        self.add_values(concept, [] if value is None else [value], reason)

    def add_values(self, concept: str, values: Sequence[Word], reason: str) -> None:
        """A flag that takes several words (`nargs="+"`)."""
        flag = self.flags.flag(concept)
        self.words.extend([flag, *values])
        self.why[flag] = reason

    def memory(self, build: Build, role: RolePlan, margin: int) -> None:
        """The context (every request whole, `margin` tokens to spare) and the memory
        fraction the plan's memory check was made for."""
        memory = role.memory
        context = launch_context(build, role, margin)
        self.add("context", str(context), "the longest request whole, with the engine's margin")
        fraction = f"{memory.memory_fraction:.2f}"
        self.add("memory_fraction", fraction, f"the memory fraction the plan fits in ({fraction})")

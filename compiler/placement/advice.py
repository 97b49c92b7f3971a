"""Placement: help that computes the cheapest change for a role that does not fit in memory.

In: the closest failing choice of degrees. Out: the help line of its CC3001: a smaller precision
the toolkit serves and the chip runs, or the fewest servers whose wider degrees fit.
"""

from __future__ import annotations

import math

from ccc.front.support import chip_dtypes
from ccc.hardware.memory import Degrees, MemoryBreakdown, breakdown, gib, precisions
from ccc.ir import Parallel, build, lineage
from ccc.limits import MAX_SUGGESTED_SERVERS
from ccc.placement.degrees import degree_space
from ccc.placement.setting import RoleInput, Setting
from ccc.precision import DTYPE_BYTES, runs_on, served, weight_bytes_per_param

__all__ = ["memory_help"]


def memory_help(s: Setting, role: RoleInput, d: Degrees) -> str:
    options = []
    dtype = _smaller_dtype_that_fits(s, role, d)
    if dtype is not None:
        name, memory = dtype
        options.append(f"serve {name} weights ({gib(memory.static_bytes)} per device)")
    devices = _devices_that_fit(s, role, d)
    if devices is not None:
        count, wider, memory = devices
        servers = math.ceil(count / s.system.devices_per_server)
        # fixed degrees must change with the size, or the same refusal comes back
        fixed = any(isinstance(getattr(role.parallel, k), int) for k in ("tp", "dp", "pp", "ep"))
        degrees = f" with tp = {wider.tp}, dp = {wider.dp}, pp = {wider.pp}, ep = {wider.ep}"
        options.append(
            f"use {servers} servers{degrees if fixed else ''} ({count} devices, "
            f"{gib(memory.static_bytes)} each)"
        )
    return ", or ".join(options) if options else _nothing_fits(s)


def _nothing_fits(s: Setting) -> str:
    """Help for a model no precision and no size of this cluster fits: what else might."""
    chip = s.system.accelerator.name
    chain = lineage(s.contract.accelerators, chip)
    current = s.toolkit.name if s.toolkit else ""
    others = sorted(
        name
        for name, t in s.contract.toolkits.items()
        if name != current and t.launcher and any(c in t.accelerators for c in chain)
    )
    named = f" `{current}` serves" if current else ""
    also = (
        f"toolkits the contract imports that also run it: {', '.join(others)}"
        if others
        else "`ccc catalog --kind toolkit --format json` lists the chips each toolkit runs"
    )
    return (
        f"neither a smaller precision{named} on `{chip}` nor a cluster of up to "
        f"{MAX_SUGGESTED_SERVERS} servers fits it: use a device with more memory, or another "
        f"toolkit ({also})"
    )


def _smaller_dtype_that_fits(
    s: Setting, role: RoleInput, d: Degrees
) -> tuple[str, MemoryBreakdown] | None:
    current = weight_bytes_per_param(precisions(s.model, s.deployment).weights)
    compute = s.system.accelerator.compute
    on_chip = s.system.accelerator.name
    dtypes = served(chip_dtypes(s.contract, s.toolkit, "weights", on_chip) if s.toolkit else [])
    for dtype in sorted(dtypes, key=lambda t: -DTYPE_BYTES[t]):
        if weight_bytes_per_param(dtype) >= current or (compute and not runs_on(dtype, compute)):
            continue
        trial = s.deployment.model_copy(update={"weights": dtype, "expert_weights": None})
        memory = breakdown(s.model, trial, s.toolkit, s.device_memory, d, role.context_tokens)
        if (memory.kv_budget or 0) >= memory.kv_bytes(1):
            return dtype, memory
    return None


def _devices_that_fit(
    s: Setting, role: RoleInput, d: Degrees
) -> tuple[int, Degrees, MemoryBreakdown] | None:
    """The fewest whole servers an instance needs: the first size for which some choice of
    degrees the toolkit and engine run (placement's own degree space and structural
    constraints) fits in memory."""
    per_server = s.system.devices_per_server
    for servers in (1 << i for i in range(MAX_SUGGESTED_SERVERS.bit_length())):
        count = servers * per_server
        if count <= d.devices:
            continue
        # every degree free: a wider instance takes other degrees than the ones that failed
        free = build(Parallel, {"extra_experts": role.parallel.extra_experts})
        found = _fitting(s, role._replace(devices=count, replicas=1, first_device=0, parallel=free))
        if found is not None:
            return count, *found
    return None


def _fitting(s: Setting, role: RoleInput) -> tuple[Degrees, MemoryBreakdown] | None:
    from ccc.placement.constraints import STRUCTURAL

    for wider in degree_space(s, role):
        if wider.devices != role.devices or any(c(s, role, wider) for c in STRUCTURAL):
            continue
        memory = breakdown(
            s.model, s.deployment, s.toolkit, s.device_memory, wider, role.context_tokens
        )
        if (memory.kv_budget or 0) >= memory.kv_bytes(1):
            return wider, memory
    return None

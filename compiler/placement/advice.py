"""Placement: help that computes the cheapest change for a role that does not fit in memory.

In: the closest failing choice of degrees. Out: the help line of its CC3001: a smaller precision
the toolkit serves and the chip runs, or the fewest servers whose wider degrees fit.
"""

from __future__ import annotations

import math

from ccc.front.support import chip_dtypes
from ccc.hardware.memory import Degrees, MemoryBreakdown, breakdown, gib, precisions
from ccc.limits import MAX_SUGGESTED_SERVERS
from ccc.placement.degrees import expert_options, tp_splits_heads
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
        count, memory = devices
        servers = math.ceil(count / s.system.devices_per_server)
        options.append(f"use {servers} servers ({count} devices, {gib(memory.static_bytes)} each)")
    return ", or ".join(options) if options else "no smaller precision or cluster this size fits it"


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
) -> tuple[int, MemoryBreakdown] | None:
    per_server = s.system.devices_per_server
    for servers in (1 << i for i in range(MAX_SUGGESTED_SERVERS.bit_length())):
        count = servers * per_server
        if count <= d.devices:
            continue
        wider = _widen(s, d, count)
        memory = breakdown(
            s.model, s.deployment, s.toolkit, s.device_memory, wider, role.context_tokens
        )
        if (memory.kv_budget or 0) >= memory.kv_bytes(1):
            return count, memory
    return None


def _widen(s: Setting, d: Degrees, devices: int) -> Degrees:
    """The degrees an instance of `devices` would take: TP up to the domain, then EP with
    attention-DP for MoE models, else pipeline stages."""
    tp = min(devices, s.system.domain_size, d.tp * (devices // d.devices))
    while not tp_splits_heads(s.model, tp):
        tp //= 2
    rest = devices // tp
    if s.model.experts:  # the widest EP the engine runs over the instance
        ep, extra = expert_options(s, None, d.extra_experts, devices)[-1]
        return Degrees(tp, rest, 1, ep, extra)
    return Degrees(tp, 1, min(rest, s.model.layers or 1), 1, d.extra_experts)

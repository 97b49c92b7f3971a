"""Placement: the degrees an `auto` role tries, within what the toolkit implements.

In: a `Setting` and a `RoleInput`. Out: every `Degrees` to evaluate. Powers of two and the
hardware's own sizes; TP only where it splits the attention heads; a degree the contract fixes
is tried as written, so a broken one is reported at its span.
"""

from __future__ import annotations

from collections.abc import Iterator

from ccc.front.support import implements
from ccc.hardware.memory import Degrees
from ccc.ir import Model
from ccc.limits import MAX_PP
from ccc.placement.setting import RoleInput, Setting
from ccc.targets._capabilities import expert_layouts

__all__ = ["degree_space", "powers_and", "tp_splits_heads"]


def tp_splits_heads(model: Model, tp: int) -> bool:
    """Query heads split evenly over `tp`; key/value heads split evenly or replicate whole."""
    heads = model.heads or 1
    kv_heads = model.kv_heads or heads
    return heads % tp == 0 and (kv_heads % tp == 0 or tp % kv_heads == 0)


def _options(fixed: int | str | None, values: list[int]) -> list[int]:
    return [fixed] if isinstance(fixed, int) else values


def powers_and(limit: int, exact: tuple[int, ...] = ()) -> list[int]:
    """The values an `auto` degree tries up to `limit`: powers of two (what engines and
    collective libraries are tuned for) and the hardware's own sizes in `exact`."""
    values = {1 << i for i in range(limit.bit_length()) if 1 << i <= limit}
    values |= {v for v in exact if 1 <= v <= limit}
    return sorted(values)


def degree_space(s: Setting, role: RoleInput) -> Iterator[Degrees]:
    p = role.parallel
    system = s.system
    model = s.model
    domain = system.domain_size
    sizes = powers_and(domain, (domain, system.devices_per_server)) + _spanning_tps(s, role)
    # `auto` tries only the kinds the toolkit implements; a fixed degree it lacks is CC3008.
    tps = _options(
        p.tp,
        [t for t in sizes if tp_splits_heads(model, t)] if implements(s.toolkit, "tp") else [1],
    )
    deepest = min(model.layers or 1, MAX_PP, role.devices) if implements(s.toolkit, "pp") else 1
    pps = _options(p.pp, powers_and(deepest))
    moe = model.experts > 0
    attention_dp = implements(s.toolkit, "attention_dp")
    for tp in tps:
        for pp in pps:
            if tp * pp > role.devices and not (isinstance(p.tp, int) and isinstance(p.pp, int)):
                continue  # too large for the role; only fixed degrees are reported
            room = max(1, role.devices // (tp * pp))
            dps = _options(p.dp, powers_and(room, (room,)) if moe and attention_dp else [1])
            for dp in dps:
                fixed = p.ep if isinstance(p.ep, int) else None
                experts = _expert_options(
                    s, fixed, p.extra_experts, tp * dp, implements(s.toolkit, "ep"), dp
                )
                for ep, extra in experts:
                    yield Degrees(tp, dp, pp, ep, extra)


def _spanning_tps(s: Setting, role: RoleInput) -> list[int]:
    """TP degrees over whole servers past the scale-up domain, where the engine spans them:
    doublings of a server up to the role ("any"), or the whole role ("world", MindIE)."""
    rule, per_server = s.engine.capabilities.tp_spans, s.system.devices_per_server
    domain = s.system.domain_size
    if rule == "none" or role.devices <= domain:
        return []
    if rule == "world":
        return [role.devices] if role.devices % per_server == 0 else []
    widths = {per_server << k for k in range(1, role.devices.bit_length())}
    return sorted(t for t in widths if domain < t <= role.devices)


def _expert_options(
    s: Setting, fixed: int | None, extra: int, width: int, implemented: bool, dp: int
) -> list[tuple[int, int]]:
    """(ep, redundant slots) pairs an instance of `width` (tp x dp) devices tries, widest
    last: the `fixed` EP, or only widths the engine can express, each with the fewest
    redundant slots that spread the experts evenly where the engine adds them."""
    model = s.model
    if model.experts == 0 or (fixed is None and not implemented):
        return [(fixed or 1, extra)]
    slots = model.experts + extra
    # The widest EP that divides the slots, and the whole instance (vLLM's and FastDeploy's
    # only width, and SGLang's DeepEP one).
    widest = max((e for e in range(1, width + 1) if width % e == 0 and slots % e == 0), default=1)
    widths = [fixed] if fixed else sorted({1, widest, width})
    layouts = expert_layouts(s.engine.capabilities, width, model.experts, extra, widths, dp)
    # A fixed EP the engine cannot run is still tried, so check_ep reports it at its span.
    return [(layout.ep, layout.extra_experts) for layout in layouts] or [(widths[0], extra)]

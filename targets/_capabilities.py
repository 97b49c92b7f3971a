"""Targets: what an engine can express, as data beside its flags, keyed by verified version.

Placement asks it, so every plan `ccc plan` ranks is one the engine can launch: which
expert-parallel widths exist for an instance of tp x dp devices, whether the experts must
divide evenly over them, and whether (and with which flag concept of `FLAGS`) the engine
adds redundant expert slots until they do. Each engine target exports `CAPABILITIES`, a
table keyed like its `FLAGS`; each entry names the source it was read from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

from ccc.targets._flags import verified_version

__all__ = ["UNSTATED", "Capabilities", "ExpertLayout", "capabilities_for", "expert_layouts"]


class Capabilities(NamedTuple):
    """One engine version's rules for expert parallelism.

    ep: "world" when EP is 1 or the whole tp x dp world of an instance (vLLM's MoE layers
    flatten TP across DP; FastDeploy sets EP = DP x TP); "divides" when EP may be any
    divisor of the world (SGLang's MoE TP size is world / ep; MindIE's moe_ep x moe_tp is
    the world). even: the routed and redundant slots must be a multiple of EP to start.
    redundant: the `FLAGS` concept that states redundant slots, None if none can be stated.
    tp_spans: whether a tensor-parallel group may span servers (over the scale-out network,
    in whole servers): "any" TP, only a TP that is the instance's whole "world" (MindIE's
    rule), or "none". context_margin: how many tokens past a request's input + output the
    engine's context length must reach for it to be served whole (SGLang refuses input +
    max_new_tokens >= context length and clamps the output to context - 2 - input).
    """

    source: str
    ep: Literal["world", "divides"]
    even: bool
    redundant: str | None = None
    tp_spans: Literal["any", "world", "none"] = "none"
    context_margin: int = 0  # tokens the context length must exceed input + output by
    # DP ranks of an instance share its experts only through EP over the whole world
    # (FastDeploy); vLLM instead shards the experts over tp x dp when EP is off
    dp_needs_ep: bool = False


# A toolkit with no engine target (a serving stack that publishes no launcher): ccc knows no
# rule of its own, so it allows what the published large-EP deployments do: any EP dividing
# the instance, the routed experts padded with redundant ones until EP divides them.
UNSTATED = Capabilities(
    source="third party: DeepSeek, 'Day 6: DeepSeek-V3/R1 Inference System Overview' "
    "(github.com/deepseek-ai/open-infra-index), decode EP144: 256 routed + 32 redundant "
    "experts, 2 per GPU; CloudMatrix-Infer (arXiv 2506.12708), decode EP320: 256 routed + 32 "
    "shared + 32 redundant, one per die; no rule of TP across servers is known, so it is "
    "allowed and priced on the scale-out network",
    ep="divides",
    even=False,
    tp_spans="any",
)


class ExpertLayout(NamedTuple):
    """An expressible EP width and the redundant slots that make the experts divide it."""

    ep: int
    extra_experts: int


def capabilities_for(table: Mapping[str, Capabilities], version: str | None) -> Capabilities:
    """The entry for `version`, chosen as the flags are (the CC5004 warning is theirs)."""
    return table[verified_version(table, version)]


def expert_layouts(
    caps: Capabilities, world: int, experts: int, extra: int, widths: list[int], dp: int = 1
) -> list[ExpertLayout]:
    """The EP widths an instance of `world` devices can run for `experts` routed experts,
    each with its redundant slots: the contract's `extra`, raised to the fewest that make
    the slots divide when the engine can add them, or when it spreads an uneven remainder
    (the busiest rank then holds as many as the padded count gives it).

    `widths` are the candidates an `auto` EP tries (`ccc.placement.degrees` picks them);
    only those the engine expresses are kept, and the world itself where it is the only
    one. A width the engine requires even and cannot pad to is left out.
    """
    allowed = [w for w in widths if (w in (1, world) if caps.ep == "world" else world % w == 0)]
    if caps.dp_needs_ep and dp > 1:
        allowed = [w for w in allowed if w == world]
    out = []
    for ep in sorted({w for w in allowed if 1 <= w <= world}):
        if ep == 1:
            out.append(ExpertLayout(1, extra))
            continue
        pad = -(experts + extra) % ep
        if pad and caps.even and caps.redundant is None:
            continue
        out.append(ExpertLayout(ep, extra + pad))
    return out

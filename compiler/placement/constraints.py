"""Placement: the constraints a choice of degrees must meet, each its own function and code.

In: a `Setting`, a `RoleInput` and `Degrees` (and, for memory, its breakdown). Out: the
diagnostic of the constraint it breaks, or None. STRUCTURAL ones need no memory model and run
first; `span` is where the contract wrote the degree (or the deployment, for `auto`).
"""

from __future__ import annotations

import math

from ccc import codes
from ccc.diagnostics import Diagnostic, Label
from ccc.front.support import smaller_kv_cache
from ccc.hardware.memory import Degrees, MemoryBreakdown, Precisions, gib, precisions
from ccc.hardware.topology import Tier
from ccc.placement.degrees import powers_and, tp_splits_heads
from ccc.placement.setting import RoleInput, Setting, key_span
from ccc.placement.shards import Shard, broken_shard
from ccc.targets._capabilities import expert_layouts

__all__ = [
    "STRUCTURAL",
    "check_allocation_groups",
    "check_concurrency",
    "check_ep",
    "check_instance_fits",
    "check_memory",
    "check_pp_layers",
    "check_tp_divides_heads",
    "check_tp_in_domain",
    "check_whole_shards",
    "terms",
    "tp_span_refused",
    "tp_tier",
]


def check_tp_divides_heads(s: Setting, role: RoleInput, d: Degrees) -> Diagnostic | None:
    if tp_splits_heads(s.model, d.tp):
        return None
    heads = s.model.heads or 1
    kv_heads = s.model.kv_heads or heads
    fits = [t for t in powers_and(d.tp) if tp_splits_heads(s.model, t)]
    what = f"{heads} attention heads" if heads % d.tp else f"{kv_heads} key/value heads"
    return Diagnostic.make(
        codes.TP_HEADS,
        span=key_span(s, role, "parallel.tp"),
        message=f"tp {d.tp} does not divide the {what} of `{s.model.name}`",
        label=f"tp = {d.tp}",
        help=f"use tp = {fits[-1]} (a divisor of {heads})" if fits else "use tp = 1",
    )


def check_pp_layers(s: Setting, role: RoleInput, d: Degrees) -> Diagnostic | None:
    layers = s.model.layers or 1
    if d.pp <= layers:
        return None
    return Diagnostic.make(
        codes.PP_LAYERS,
        span=key_span(s, role, "parallel.pp"),
        message=f"pp {d.pp} exceeds the {layers} layers of `{s.model.name}`",
        label=f"pp = {d.pp}",
        help=f"use at most pp = {layers}",
    )


def check_ep(s: Setting, role: RoleInput, d: Degrees) -> Diagnostic | None:
    if s.model.experts == 0:
        dense = f"`{s.model.name}` has no routed experts", "remove `ep` (dense models use 1)"
        reason = None if d.ep == 1 else dense
    else:  # ep = 1 too: FastDeploy's DP ranks share experts only through EP
        reason = _engine_ep(s, d)
    if reason is None:
        return None
    why, fix = reason
    return Diagnostic.make(
        codes.EP_DIVISIBILITY,
        span=key_span(s, role, "parallel.ep"),
        message=why,
        label=f"ep = {d.ep}",
        help=fix,
    )


def _engine_ep(s: Setting, d: Degrees) -> tuple[str, str] | None:
    """Why the engine cannot run this EP, and the fix: a width it has no way to state, or
    experts it must spread evenly and cannot pad with redundant slots."""
    rules, width = s.engine.capabilities, d.tp * d.dp
    slots = s.model.experts + d.extra_experts
    if expert_layouts(rules, width, s.model.experts, d.extra_experts, [d.ep], d.dp):
        return None  # a layout it runs, redundant slots included
    if rules.dp_needs_ep and d.dp > 1 and d.ep != width:
        return (
            f"{s.engine.name} shares experts between DP ranks only with expert parallelism "
            f"over the whole tp x dp = {width} ranks",
            f"use ep = {width} (or dp = 1)",
        )
    if rules.ep == "world":
        fix = f"use ep = {width} (or leave ep = auto)" if width > 1 else "remove `ep`"
        return (
            f"{s.engine.name} cannot run ep = {d.ep}: its expert parallelism spans the "
            f"whole tp x dp = {width} ranks",
            fix,
        )
    if width % d.ep:
        return f"ep {d.ep} does not divide tp x dp = {width}", (
            f"use an ep that divides {width} (or leave ep = auto)"
        )
    return (
        f"{s.engine.name} spreads experts evenly and cannot add redundant slots: "
        f"ep {d.ep} does not divide {slots} slots",
        f"use ep = {math.gcd(width, slots)} (or leave ep = auto)",
    )


def check_whole_shards(s: Setting, role: RoleInput, d: Degrees) -> Diagnostic | None:
    """A split must leave every shard whole, in the checkpoint's blocks (see shards.py)."""
    dtypes = precisions(s.model, s.deployment)
    shard = broken_shard(s.model, dtypes, d)
    if shard is None:
        return None
    named = f"{shard.what} of `{s.model.name}` ({shard.width})"
    if shard.width % shard.ways:
        why = f"{named} does not split {shard.ways} ways ({shard.width / shard.ways:.1f} a device)"
    else:
        why = (
            f"{named} split {shard.ways} ways gives {shard.width // shard.ways} columns a "
            f"device, not a whole number of the {shard.block}-wide blocks of its "
            f"{dtypes.weights} checkpoint"
        )
    key = "parallel.ep" if shard.degree == "ep" else "parallel.tp"
    return Diagnostic.make(
        codes.SHARD_NOT_WHOLE,
        span=key_span(s, role, key),
        message=why,
        label=f"{shard.degree} = {getattr(d, shard.degree)}",
        help=_whole_shard_fix(s, d, dtypes, shard),
    )


def _whole_shard_fix(s: Setting, d: Degrees, dtypes: Precisions, shard: Shard) -> str:
    """Degrees that split every matrix whole: another EP the engine runs, else a smaller TP."""
    width = d.tp * d.dp
    if shard.degree == "ep":
        eps = [
            layout.ep
            for layout in expert_layouts(
                s.engine.capabilities, width, s.model.experts, d.extra_experts,
                [e for e in range(1, width + 1) if width % e == 0], d.dp,
            )
            if broken_shard(s.model, dtypes, d._replace(ep=layout.ep)) is None
        ]  # fmt: skip
        if eps:
            best = min(eps, key=lambda e: (abs(e - d.ep), -e))
            return f"use ep = {best} (each expert then splits {width // best} ways)"
    tps = [
        t
        for t in powers_and(d.tp)
        if tp_splits_heads(s.model, t) and broken_shard(s.model, dtypes, d._replace(tp=t)) is None
    ]
    if tps and tps[-1] != d.tp:
        return f"use tp = {tps[-1]} and dp or pp for the rest of the devices"
    return "leave the degrees `auto`: ccc tries only splits that come out whole"


def check_tp_in_domain(s: Setting, role: RoleInput, d: Degrees) -> Diagnostic | None:
    domain = s.system.domain_size
    replicas = max(1, role.devices // d.devices)
    if d.tp <= domain and tp_tier(s, role, d, replicas).name != "scale_out":
        return None
    refused = tp_span_refused(s, role, d)
    if refused is None:
        return None  # the engine spans servers with it: priced on the scale-out network
    first = role.first_device
    fit = max(
        t
        for t in powers_and(domain, (domain,))
        if domain % t == 0 and first % t == 0 and tp_splits_heads(s.model, t)
    )
    where = f" from device {first}, where the {role.name} role starts," if first % d.tp else ""
    return Diagnostic.make(
        codes.TP_OUTSIDE_DOMAIN,
        span=key_span(s, role, "parallel.tp"),
        message=f"tp {d.tp} groups{where} would leave the {domain}-device scale-up domain of "
        f"`{s.system.cluster.name}`: {refused}",
        label=f"tp = {d.tp}",
        help=f"use tp = {fit} and pp or dp for the rest"
        + (f"; or make `prefill.devices` a multiple of {d.tp}" if first % d.tp else "")
        + _spanning_fix(s, d),
    )


def tp_span_refused(s: Setting, role: RoleInput, d: Degrees) -> str | None:
    """Why the engine cannot run these TP groups across servers, or None if it can: in whole
    servers (SGLang's `(tp * pp) % nnodes == 0`), and, for MindIE, only as the whole world."""
    rule, per_server = s.engine.capabilities.tp_spans, s.system.devices_per_server
    if rule == "none":
        return f"{s.engine.name} keeps tensor parallelism inside one server"
    if d.tp % per_server or role.first_device % per_server:
        return f"a TP group across servers takes whole servers of {per_server} devices"
    if rule == "world" and d.tp != d.devices:
        return f"{s.engine.name} spans servers only with TP over the whole instance"
    return None


def _spanning_fix(s: Setting, d: Degrees) -> str:
    rule, per_server = s.engine.capabilities.tp_spans, s.system.devices_per_server
    if rule == "any" and d.tp % per_server:
        return f"; a TP across servers takes whole servers (a multiple of {per_server})"
    if rule == "world":
        return f"; or tp = {d.devices} with dp = 1 and pp = 1, over whole servers"
    return ""


def tp_tier(s: Setting, role: RoleInput, d: Degrees, replicas: int) -> Tier:
    """The slowest tier any TP group of the role spans. Groups start every `tp` devices from
    the role's first; their offsets in a domain repeat after domain / gcd(tp, domain) groups."""
    system, tp, first = s.system, d.tp, role.first_device
    if first % tp == 0 and system.devices_per_server % tp == 0:
        return system.tiers[0]  # every group inside one server
    # Only groups inside the cluster: degrees wider than the role are rejected later, by
    # check_instance_fits.
    groups = min(replicas * d.devices, system.devices - first) // tp
    period = system.domain_size // math.gcd(tp, system.domain_size)
    # Servers and domains are runs of consecutive devices, so a group's two ends decide.
    starts = (first + j * tp for j in range(min(groups, period)))
    spans = [system.tier_between(a, a + tp - 1) for a in starts]
    return max(spans, key=lambda tier: tier.rank, default=system.tiers[0])


def check_allocation_groups(s: Setting, role: RoleInput, d: Degrees) -> Diagnostic | None:
    broken = _group_rule_broken(s, d.tp)
    return None if broken is None else _group_error(s, role, d, *broken)


def _group_rule_broken(s: Setting, tp: int) -> tuple[str, str] | None:
    """Why TP groups of `tp` devices break the server's allocation rule, and its key."""
    server = s.system.server
    per_server = s.system.devices_per_server
    if tp >= per_server:
        return None  # a group of whole servers takes every allocation group
    unit = server.allocation_unit
    if tp > 1 and tp % unit:
        return f"groups take whole blocks of {unit} devices", "allocation_unit"
    groups = [set(g) for g in server.allocation_groups or []]
    for start in range(0, per_server, tp):  # TP groups start at multiples of tp
        members = set(range(start, start + tp))
        if groups and not any(members <= g for g in groups):
            return (
                f"devices {sorted(members)} are not inside one allocation group",
                "allocation_groups",
            )
    return None


def _group_error(s: Setting, role: RoleInput, d: Degrees, why: str, key: str) -> Diagnostic:
    server = s.system.server
    allowed = [
        t for t in powers_and(s.system.devices_per_server) if _group_rule_broken(s, t) is None
    ]
    return Diagnostic.make(
        codes.ALLOCATION_GROUP,
        span=key_span(s, role, "parallel.tp"),
        message=f"tp {d.tp} on `{server.name}`: {why}",
        label=f"tp = {d.tp}",
        labels=Label.at(server.span_of(key), "the server's rule") if key in server.spans else [],
        help="use tp = " + " or ".join(str(t) for t in allowed if t != d.tp),
    )


def check_instance_fits(s: Setting, role: RoleInput, d: Degrees) -> Diagnostic | None:
    replicas = role.replicas if isinstance(role.replicas, int) else 1
    needed = d.devices * replicas
    if needed <= role.devices:
        return None
    key = "replicas" if isinstance(role.replicas, int) else "parallel"
    return Diagnostic.make(
        codes.INSTANCE_DOES_NOT_FIT,
        span=key_span(s, role, key),
        message=f"{replicas} instance(s) of tp {d.tp} x dp {d.dp} x pp {d.pp} = {needed} "
        f"devices; the {role.name} role has {role.devices}",
        label=f"{needed} devices needed",
        help=f"lower the degrees to fit {role.devices} devices, or give the role {needed}",
    )


STRUCTURAL = (
    check_tp_divides_heads,
    check_pp_layers,
    check_ep,
    check_whole_shards,
    check_tp_in_domain,
    check_allocation_groups,
    check_instance_fits,
)


def check_memory(
    s: Setting, role: RoleInput, d: Degrees, memory: MemoryBreakdown
) -> Diagnostic | None:
    budget = memory.kv_budget
    if budget is None or budget >= memory.kv_bytes(1):
        return None
    # No help here: computing the cheapest fix costs a dozen breakdowns, so it is done once,
    # for the failure that is reported (`_with_memory_help`), not for every choice tried.
    return Diagnostic.make(
        codes.MEMORY_EXCEEDED,
        span=s.deployment.span_of("weights"),
        message=f"`{s.model.name}` does not fit: {gib(memory.static_bytes)} per device "
        f"({terms(memory)}) plus one request's KV cache ({gib(memory.kv_bytes(1))}), "
        f"{gib(memory.usable or 0)} usable of {gib(memory.device_memory or 0)} per device",
        label=f"{precisions(s.model, s.deployment).weights} weights, {d.devices} devices per instance",
    )


def check_concurrency(
    s: Setting, role: RoleInput, d: Degrees, memory: MemoryBreakdown, replicas: int
) -> Diagnostic | None:
    wanted = role.concurrency
    if wanted is None or memory.max_concurrency is None or s.deployment.workload.queue:
        return None  # with `queue`, the excess waits: the search predicts it (CC4005)
    holds = memory.max_concurrency * replicas
    if holds >= wanted:
        return None
    return Diagnostic.make(
        codes.KV_CACHE_CONCURRENCY,
        span=s.deployment.span_of("workload.concurrency"),
        message=f"{wanted} requests of {role.context_tokens} tokens do not fit the KV cache: "
        f"{gib(memory.kv_bytes_per_token * role.context_tokens)} per request per device, "
        f"{gib(memory.kv_budget or 0)} left per device after weights and activations",
        label=f"concurrency = {wanted}",
        help=f"at most {holds} requests fit ({memory.sequences_per_rank} per attention rank x "
        f"{d.dp} x {replicas} replicas); or {_kv_hint(s)}more devices, or "
        "`queue = true` to let the excess wait for a slot",
    )


def _kv_hint(s: Setting) -> str:
    """`an fp8 KV cache, ` where the toolkit serves a narrower one on the chip, else ``."""
    narrower = smaller_kv_cache(s.contract, s.deployment)
    return f"a KV cache in {narrower} (`kv_cache = {narrower}`), " if narrower else ""


def terms(memory: MemoryBreakdown) -> str:
    parts = [f"{t.name} {gib(t.bytes)}" for t in memory.weights if t.bytes >= 2**27]
    parts.append(f"activations {gib(memory.activations.bytes)}")
    return ", ".join(parts)

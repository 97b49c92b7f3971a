"""Placement: choose each role's TP/DP/PP/EP degrees and pin every rank to a device.

In: a resolved Contract. Out: for each deployment, the feasible `Candidate`s of each role
(ranked best first) and diagnostics that explain every infeasible choice.
Every constraint is its own function with its own code. TP is the innermost rank: its
all-reduce runs twice a layer, so its groups must sit in one scale-up domain; DP/EP next,
pipeline stages outermost. Degrees the contract fixes are checked as written and reported at
their spans; `auto` degrees are enumerated and the ones that fail are dropped.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from typing import NamedTuple

from ccc import codes
from ccc.diagnostics import Diagnostic, Label, has_errors
from ccc.front.support import implements, toolkit_support
from ccc.hardware.memory import (
    Degrees,
    MemoryBreakdown,
    breakdown,
    device_memory_of,
    gib,
    precisions,
)
from ccc.hardware.topology import TIERS, System, Tier, system_of
from ccc.ir import Contract, Deployment, Model, Parallel, Role, Toolkit, known
from ccc.limits import MAX_PP, MAX_SUGGESTED_SERVERS
from ccc.precision import DTYPE_BYTES, runs_on, served, weight_bytes_per_param
from ccc.span import Span

__all__ = ["Candidate", "RolePlacement", "evaluate", "place"]


class Candidate(NamedTuple):
    """One way to run a role: degrees of an instance, how many instances, their memory."""

    role: str  # "serve", or "prefill" / "decode" when disaggregated
    degrees: Degrees
    replicas: int
    first_device: int  # instances occupy consecutive devices from here
    memory: MemoryBreakdown
    tp_tier: str  # the slowest tier a TP group spans

    @property
    def devices(self) -> int:
        return self.degrees.devices * self.replicas


class RolePlacement(NamedTuple):
    role: str
    candidates: list[Candidate]  # feasible, best first


class _Role(NamedTuple):
    """A role as the contract states it, with where each of its keys was written."""

    name: str
    devices: int
    replicas: int | str
    parallel: Parallel
    first_device: int
    prefix: str  # span path prefix: "" or "prefill." / "decode."
    context_tokens: int
    concurrency: int | None


class _Setting(NamedTuple):
    contract: Contract
    deployment: Deployment
    model: Model
    toolkit: Toolkit | None
    system: System
    device_memory: float | None


def place(contract: Contract) -> tuple[dict[str, list[RolePlacement]], list[Diagnostic]]:
    """Feasible placements of every deployment of `contract`, by deployment and role."""
    plans: dict[str, list[RolePlacement]] = {}
    diagnostics: list[Diagnostic] = []
    for name, deployment in contract.deployments.items():
        setting = _setting(contract, deployment)
        if setting is None:
            continue
        roles, found = _place_deployment(setting)
        plans[name] = roles
        diagnostics += found
    return plans, diagnostics


def evaluate(
    contract: Contract, deployment: str, role: str, degrees: Degrees, context: int | None = None
) -> tuple[Candidate | None, Diagnostic | None]:
    """One role at given degrees (and context), as placement judges every choice: the
    candidate, or the first constraint it breaks. `ccc validate` re-checks edited manifests
    with it."""
    setting = _setting(contract, contract.deployments[deployment])
    roles = _roles(setting)[0] if setting is not None else []
    found = next((r for r in roles if r.name == role), None)
    if setting is None or found is None:
        return None, None
    if context is not None:
        found = found._replace(context_tokens=context)
    candidate, failure, _ = _evaluate(setting, found, degrees)
    return candidate, failure


def _setting(contract: Contract, deployment: Deployment) -> _Setting | None:
    model = contract.models.get(deployment.model or "")
    system = system_of(contract, deployment.cluster or "")
    if model is None or system is None:
        return None  # a broken reference, already reported by resolve
    per_device = device_memory_of(system.accelerator.memory, system.accelerator.dies)
    toolkit = contract.toolkits.get(deployment.toolkit or "")
    return _Setting(contract, deployment, model, toolkit, system, per_device)


def _place_deployment(s: _Setting) -> tuple[list[RolePlacement], list[Diagnostic]]:
    roles, diagnostics = _roles(s)
    if diagnostics:
        return [], diagnostics
    # A toolkit that cannot run the deployment as written leaves no plan that works. The
    # contract checks report why (`ccc plan` stops there); placement only declines to place.
    unsupported = has_errors(toolkit_support(s.contract, s.deployment))
    placements = []
    for role in roles:
        candidates, found = _place_role(s, role)
        diagnostics += found
        placements.append(RolePlacement(role.name, [] if unsupported else candidates))
    return placements, diagnostics


# --- roles -----------------------------------------------------------------------------


def _context(s: _Setting, role: str) -> int:
    workload = s.deployment.workload
    prompt = int(known(workload.input_tokens) or 0)
    output = int(known(workload.output_tokens) or 0)
    stated = int(known(workload.context) or 0)
    # With no workload stated, concurrency is counted at the model's full context window.
    context = stated or (prompt if role == "prefill" else prompt + output) or s.model.context or 1
    return max(1, min(context, s.model.context or context))


def _roles(s: _Setting) -> tuple[list[_Role], list[Diagnostic]]:
    d = s.deployment
    total = s.system.devices
    concurrency = d.workload.concurrency
    if d.prefill is None or d.decode is None:
        devices = d.devices or total
        if devices > total:
            return [], [_too_few_devices(s, devices, "devices")]
        serve = _Role(
            "serve", devices, d.replicas, d.parallel, 0, "", _context(s, "serve"), concurrency
        )
        return [serve], []
    return _disaggregated_roles(s, d.prefill, d.decode, concurrency)


def _disaggregated_roles(
    s: _Setting, prefill: Role, decode: Role, concurrency: int | None
) -> tuple[list[_Role], list[Diagnostic]]:
    total = s.system.devices
    per_server = s.system.devices_per_server
    first = prefill.devices or total // 2
    # Decode starts on a fresh server: a server's devices share one engine's launch.
    start = math.ceil(first / per_server) * per_server
    second = decode.devices or total - start
    if start + second > total:
        return [], [_too_few_devices(s, start + second, "decode.devices")]
    return [
        _Role(
            "prefill",
            first,
            prefill.replicas,
            prefill.parallel,
            0,
            "prefill.",
            _context(s, "prefill"),
            None,
        ),
        _Role(
            "decode",
            second,
            decode.replicas,
            decode.parallel,
            start,
            "decode.",
            _context(s, "decode"),
            concurrency,
        ),
    ], []


def _too_few_devices(s: _Setting, wanted: int, key: str) -> Diagnostic:
    system = s.system
    return Diagnostic.make(
        codes.INSTANCE_DOES_NOT_FIT,
        span=s.deployment.span_of(key),
        message=f"deployment `{s.deployment.name}` asks for {wanted} devices; cluster "
        f"`{system.cluster.name}` has {system.devices}",
        label=f"{wanted} devices",
        labels=_cluster_label(s),
        help=f"use at most {system.devices} devices, or grow the cluster to "
        f"{math.ceil(wanted / system.devices_per_server)} servers",
    )


def _cluster_label(s: _Setting) -> list[Label]:
    span = s.system.cluster.span_of("nodes" if s.system.cluster.nodes else "supernodes")
    return [Label(span=span, message="the cluster's size")] if span else []


# --- enumeration -------------------------------------------------------------------------


def _options(fixed: int | str | None, values: list[int]) -> list[int]:
    return [fixed] if isinstance(fixed, int) else values


def _powers_and(limit: int, exact: tuple[int, ...] = ()) -> list[int]:
    """The values an `auto` degree tries up to `limit`: powers of two (what engines and
    collective libraries are tuned for) and the hardware's own sizes in `exact`."""
    values = {1 << i for i in range(limit.bit_length()) if 1 << i <= limit}
    values |= {v for v in exact if 1 <= v <= limit}
    return sorted(values)


def _degree_space(s: _Setting, role: _Role) -> Iterator[Degrees]:
    p = role.parallel
    system = s.system
    model = s.model
    domain = system.domain_size
    sizes = _powers_and(domain, (domain, system.devices_per_server))
    # `auto` tries only the kinds the toolkit implements; a fixed degree it lacks is CC3008.
    tps = _options(
        p.tp,
        [t for t in sizes if _tp_splits_heads(model, t)] if implements(s.toolkit, "tp") else [1],
    )
    deepest = min(model.layers or 1, MAX_PP, role.devices) if implements(s.toolkit, "pp") else 1
    pps = _options(p.pp, _powers_and(deepest))
    moe = model.experts > 0
    attention_dp = implements(s.toolkit, "attention_dp")
    for tp in tps:
        for pp in pps:
            if tp * pp > role.devices and not (isinstance(p.tp, int) and isinstance(p.pp, int)):
                continue  # too large for the role; only fixed degrees are reported
            room = max(1, role.devices // (tp * pp))
            dps = _options(p.dp, _powers_and(room, (room,)) if moe and attention_dp else [1])
            for dp in dps:
                for ep in _ep_options(p, model, tp * dp, implements(s.toolkit, "ep")):
                    yield Degrees(tp, dp, pp, ep, p.extra_experts)


def _ep_options(p: Parallel, model: Model, width: int, implemented: bool) -> list[int]:
    if isinstance(p.ep, int):
        return [p.ep]
    if model.experts == 0 or not implemented:
        return [1]
    slots = model.experts + p.extra_experts
    # EP over every device of the instance (vLLM's --enable-expert-parallel), else the
    # widest that divides the slots, else none.
    widest = max((e for e in range(1, width + 1) if width % e == 0 and slots % e == 0), default=1)
    return sorted({1, widest})


# --- constraints ---------------------------------------------------------------------------
# Each returns a diagnostic when `degrees` break it; `span` is where the contract wrote the
# degree (or the deployment, for `auto`).


def _span(s: _Setting, role: _Role, key: str) -> Span | None:
    return s.deployment.span_of(role.prefix + key)


def _tp_splits_heads(model: Model, tp: int) -> bool:
    """Query heads split evenly over `tp`; key/value heads split evenly or replicate whole."""
    heads = model.heads or 1
    kv_heads = model.kv_heads or heads
    return heads % tp == 0 and (kv_heads % tp == 0 or tp % kv_heads == 0)


def check_tp_divides_heads(s: _Setting, role: _Role, d: Degrees) -> Diagnostic | None:
    if _tp_splits_heads(s.model, d.tp):
        return None
    heads = s.model.heads or 1
    kv_heads = s.model.kv_heads or heads
    fits = [t for t in _powers_and(d.tp) if _tp_splits_heads(s.model, t)]
    what = f"{heads} attention heads" if heads % d.tp else f"{kv_heads} key/value heads"
    return Diagnostic.make(
        codes.TP_HEADS,
        span=_span(s, role, "parallel.tp"),
        message=f"tp {d.tp} does not divide the {what} of `{s.model.name}`",
        label=f"tp = {d.tp}",
        help=f"use tp = {fits[-1]} (a divisor of {heads})" if fits else "use tp = 1",
    )


def check_pp_layers(s: _Setting, role: _Role, d: Degrees) -> Diagnostic | None:
    layers = s.model.layers or 1
    if d.pp <= layers:
        return None
    return Diagnostic.make(
        codes.PP_LAYERS,
        span=_span(s, role, "parallel.pp"),
        message=f"pp {d.pp} exceeds the {layers} layers of `{s.model.name}`",
        label=f"pp = {d.pp}",
        help=f"use at most pp = {layers}",
    )


def check_ep(s: _Setting, role: _Role, d: Degrees) -> Diagnostic | None:
    model = s.model
    width = d.tp * d.dp
    slots = model.experts + d.extra_experts
    if d.ep == 1 or (model.experts and width % d.ep == 0 and slots % d.ep == 0):
        return None
    if model.experts == 0:
        why, fix = f"`{model.name}` has no routed experts", "remove `ep` (dense models use 1)"
    elif width % d.ep:
        why = f"ep {d.ep} does not divide tp x dp = {width}"
        fix = f"use an ep that divides {width}, e.g. ep = {math.gcd(width, slots)}"
    else:
        why = f"ep {d.ep} does not divide {model.experts} routed + {d.extra_experts} extra slots"
        extra = -slots % d.ep
        fix = f"add {extra} extra expert slots (`extra_experts = {d.extra_experts + extra}`) or use ep = {math.gcd(width, slots)}"
    return Diagnostic.make(
        codes.EP_DIVISIBILITY,
        span=_span(s, role, "parallel.ep"),
        message=why,
        label=f"ep = {d.ep}",
        help=fix,
    )


def check_tp_in_domain(s: _Setting, role: _Role, d: Degrees) -> Diagnostic | None:
    domain = s.system.domain_size
    replicas = max(1, role.devices // d.devices)
    if d.tp <= domain and _tp_tier(s, role, d, replicas).name != "scale_out":
        return None
    first = role.first_device
    fit = max(
        t
        for t in _powers_and(domain, (domain,))
        if domain % t == 0 and first % t == 0 and _tp_splits_heads(s.model, t)
    )
    where = f" from device {first}, where the {role.name} role starts," if first % d.tp else ""
    return Diagnostic.make(
        codes.TP_OUTSIDE_DOMAIN,
        span=_span(s, role, "parallel.tp"),
        message=f"tp {d.tp} groups{where} would leave the {domain}-device scale-up domain of "
        f"`{s.system.cluster.name}`",
        label=f"tp = {d.tp}",
        help=f"use tp = {fit} and pp or dp for the rest: TP's all-reduce runs every layer and "
        "needs the scale-up link"
        + (f"; or make `prefill.devices` a multiple of {d.tp}" if first % d.tp else ""),
    )


def _tp_tier(s: _Setting, role: _Role, d: Degrees, replicas: int) -> Tier:
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


def check_allocation_groups(s: _Setting, role: _Role, d: Degrees) -> Diagnostic | None:
    broken = _group_rule_broken(s, d.tp)
    return None if broken is None else _group_error(s, role, d, *broken)


def _group_rule_broken(s: _Setting, tp: int) -> tuple[str, str] | None:
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


def _group_error(s: _Setting, role: _Role, d: Degrees, why: str, key: str) -> Diagnostic:
    server = s.system.server
    allowed = [
        t for t in _powers_and(s.system.devices_per_server) if _group_rule_broken(s, t) is None
    ]
    return Diagnostic.make(
        codes.ALLOCATION_GROUP,
        span=_span(s, role, "parallel.tp"),
        message=f"tp {d.tp} on `{server.name}`: {why}",
        label=f"tp = {d.tp}",
        labels=[Label(span=server.span_of(key), message="the server's rule")]
        if key in server.spans
        else [],
        help="use tp = " + " or ".join(str(t) for t in allowed if t != d.tp),
    )


def check_instance_fits(s: _Setting, role: _Role, d: Degrees) -> Diagnostic | None:
    replicas = role.replicas if isinstance(role.replicas, int) else 1
    needed = d.devices * replicas
    if needed <= role.devices:
        return None
    key = "replicas" if isinstance(role.replicas, int) else "parallel"
    return Diagnostic.make(
        codes.INSTANCE_DOES_NOT_FIT,
        span=_span(s, role, key),
        message=f"{replicas} instance(s) of tp {d.tp} x dp {d.dp} x pp {d.pp} = {needed} "
        f"devices; the {role.name} role has {role.devices}",
        label=f"{needed} devices needed",
        help=f"lower the degrees to fit {role.devices} devices, or give the role {needed}",
    )


STRUCTURAL = (
    check_tp_divides_heads,
    check_pp_layers,
    check_ep,
    check_tp_in_domain,
    check_allocation_groups,
    check_instance_fits,
)


def check_memory(
    s: _Setting, role: _Role, d: Degrees, memory: MemoryBreakdown
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
        f"({_terms(memory)}) plus one request's KV cache ({gib(memory.kv_bytes(1))}), "
        f"{gib(memory.usable or 0)} usable of {gib(memory.device_memory or 0)} per device",
        label=f"{precisions(s.model, s.deployment).weights} weights, {d.devices} devices per instance",
    )


def check_concurrency(
    s: _Setting, role: _Role, d: Degrees, memory: MemoryBreakdown, replicas: int
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
        f"{d.dp} x {replicas} replicas); or an fp8 KV cache, more devices, or "
        "`queue = true` to let the excess wait for a slot",
    )


# --- one role ------------------------------------------------------------------------------


def _place_role(s: _Setting, role: _Role) -> tuple[list[Candidate], list[Diagnostic]]:
    feasible: list[Candidate] = []
    failures: dict[str, _Failures] = {}  # by code
    for degrees in _degree_space(s, role):
        candidate, failure, closeness = _evaluate(s, role, degrees)
        if candidate is not None:
            feasible.append(candidate)
        elif failure is not None:
            seen = failures.get(failure.code)
            if seen is None or closeness > seen.closeness:
                seen = _Failures(seen.count if seen else 0, failure, closeness, degrees)
            failures[failure.code] = seen._replace(count=seen.count + 1)
    if feasible:
        return sorted(feasible, key=_rank), []
    if not failures:
        return [], [_no_plan(s, role, {})]
    return [], [_explain_failures(s, role, failures)]


class _Failures(NamedTuple):
    """The choices of degrees that broke one constraint: how many, and the closest one."""

    count: int
    diagnostic: Diagnostic
    closeness: float  # larger is closer: memory left over, or requests held
    degrees: Degrees


def _evaluate(
    s: _Setting, role: _Role, d: Degrees
) -> tuple[Candidate | None, Diagnostic | None, float]:
    """The candidate, or the first constraint it breaks and how close it came (the larger,
    the closer: memory left over, or requests held)."""
    for constraint in STRUCTURAL:
        failure = constraint(s, role, d)
        if failure is not None:
            return None, failure, 0.0
    memory = breakdown(s.model, s.deployment, s.toolkit, s.device_memory, d, role.context_tokens)
    failure = check_memory(s, role, d, memory)
    if failure is not None:
        return None, failure, memory.kv_budget or 0.0
    replicas = role.replicas if isinstance(role.replicas, int) else role.devices // d.devices
    failure = check_concurrency(s, role, d, memory, replicas)
    if failure is not None:
        return None, failure, float((memory.max_concurrency or 0) * replicas)
    tier = _tp_tier(s, role, d, replicas).name
    return Candidate(role.name, d, replicas, role.first_device, memory, tier), None, 0.0


def _rank(c: Candidate) -> tuple:
    """Until the performance model ranks plans: plans whose memory fit is proven first, by
    the fewest devices per instance (more independent replicas, less communication), then
    fewer pipeline stages, then the widest expert parallelism. Where the device memory is
    unknown, the least weight per device first: the plan most likely to fit."""
    d = c.degrees
    tier = TIERS.index(c.tp_tier)
    if c.memory.kv_budget is None:
        return (1, c.memory.weight_bytes, d.devices, tier, d.pp, -d.ep, d.tp, d.dp)
    return (0, 0.0, d.devices, tier, d.pp, -d.ep, d.tp, d.dp)


# The order candidates get through: a failure later in it is closer to a plan.
_STAGES = [
    c.code
    for c in (
        codes.TP_HEADS,
        codes.PP_LAYERS,
        codes.EP_DIVISIBILITY,
        codes.TP_OUTSIDE_DOMAIN,
        codes.ALLOCATION_GROUP,
        codes.INSTANCE_DOES_NOT_FIT,
        codes.MEMORY_EXCEEDED,
        codes.KV_CACHE_CONCURRENCY,
    )
]


def _closest(failures: dict[str, _Failures]) -> _Failures:
    return max(failures.values(), key=lambda f: _STAGES.index(f.diagnostic.code))


def _explain_failures(s: _Setting, role: _Role, failures: dict[str, _Failures]) -> Diagnostic:
    """One diagnostic for a role no choice of degrees fits. One reason for every choice, or
    a memory or KV-cache shortfall of the closest choice, is reported as itself (its help
    computes the fix); otherwise CC3011, counting the reasons."""
    closest = _closest(failures)
    reported = closest.diagnostic
    if reported.code == codes.MEMORY_EXCEEDED.code:
        reported = dataclasses.replace(reported, help=_memory_help(s, role, closest.degrees))
    if len(failures) == 1:
        return reported
    if reported.code in (codes.MEMORY_EXCEEDED.code, codes.KV_CACHE_CONCURRENCY.code):
        total = sum(f.count for f in failures.values())
        note = f"of the {total} choices of degrees tried: " + _reasons(failures)
        return dataclasses.replace(reported, notes=[*reported.notes, note])
    return _no_plan(s, role, failures)


def _reasons(failures: dict[str, _Failures]) -> str:
    return ", ".join(f"{f.count} fail {code}" for code, f in sorted(failures.items()))


def _no_plan(s: _Setting, role: _Role, failures: dict[str, _Failures]) -> Diagnostic:
    key = role.prefix + "parallel"
    span = s.deployment.span_of(key if key in s.deployment.spans else "model")
    closest = _closest(failures).diagnostic if failures else None
    return Diagnostic.make(
        codes.NO_PLAN,
        span=span,
        message=f"no degrees place `{s.model.name}` on the {role.devices} devices of the "
        f"{role.name} role" + (f" ({_reasons(failures)})" if failures else ""),
        label="every choice of degrees fails",
        notes=[f"closest [{closest.code}]: {closest.message}"] if closest else [],
        help=closest.help
        if closest and closest.help
        else "write `auto` for some degrees, or give the role more devices",
    )


# --- help that computes the cheapest change -----------------------------------------------


def _memory_help(s: _Setting, role: _Role, d: Degrees) -> str:
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
    s: _Setting, role: _Role, d: Degrees
) -> tuple[str, MemoryBreakdown] | None:
    current = weight_bytes_per_param(precisions(s.model, s.deployment).weights)
    compute = s.system.accelerator.compute
    dtypes = served(s.toolkit.weights if s.toolkit else [])
    for dtype in sorted(dtypes, key=lambda t: -DTYPE_BYTES[t]):
        if weight_bytes_per_param(dtype) >= current or (compute and not runs_on(dtype, compute)):
            continue
        trial = s.deployment.model_copy(update={"weights": dtype, "expert_weights": None})
        memory = breakdown(s.model, trial, s.toolkit, s.device_memory, d, role.context_tokens)
        if (memory.kv_budget or 0) >= memory.kv_bytes(1):
            return dtype, memory
    return None


def _devices_that_fit(s: _Setting, role: _Role, d: Degrees) -> tuple[int, MemoryBreakdown] | None:
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


def _widen(s: _Setting, d: Degrees, devices: int) -> Degrees:
    """The degrees an instance of `devices` would take: TP up to the domain, then EP with
    attention-DP for MoE models, else pipeline stages."""
    tp = min(devices, s.system.domain_size, d.tp * (devices // d.devices))
    while not _tp_splits_heads(s.model, tp):
        tp //= 2
    rest = devices // tp
    if s.model.experts:
        slots = s.model.experts + d.extra_experts
        ep = max(e for e in range(1, devices + 1) if devices % e == 0 and slots % e == 0)
        return Degrees(tp, rest, 1, ep, d.extra_experts)
    return Degrees(tp, 1, min(rest, s.model.layers or 1), 1, d.extra_experts)


def _terms(memory: MemoryBreakdown) -> str:
    parts = [f"{t.name} {gib(t.bytes)}" for t in memory.weights if t.bytes >= 2**27]
    parts.append(f"activations {gib(memory.activations.bytes)}")
    return ", ".join(parts)

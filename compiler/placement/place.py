"""Placement: choose each role's TP/DP/PP/EP degrees and pin every rank to a device.

In: a resolved Contract. Out: for each deployment, the feasible `Candidate`s of each role
(ranked best first) and diagnostics that explain every infeasible choice.
TP is the innermost rank: its all-reduce runs twice a layer, so its groups must sit in one
scale-up domain; DP/EP next, pipeline stages outermost. Degrees the contract fixes are checked
as written and reported at their spans; `auto` degrees are enumerated and the ones that fail are
dropped. The inputs are in `setting`, the degree space in `degrees`, each constraint in
`constraints`, the help that computes a fix in `advice`.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

from ccc import codes
from ccc.diagnostics import Diagnostic, has_errors
from ccc.front.support import toolkit_support
from ccc.hardware.memory import Degrees, breakdown
from ccc.hardware.topology import TIERS
from ccc.ir import Contract
from ccc.placement.advice import memory_help
from ccc.placement.constraints import STRUCTURAL, check_concurrency, check_memory, tp_tier
from ccc.placement.degrees import degree_space
from ccc.placement.setting import Candidate, RoleInput, RolePlacement, Setting, roles_of, setting_of

__all__ = ["Candidate", "RolePlacement", "evaluate", "place"]


def place(contract: Contract) -> tuple[dict[str, list[RolePlacement]], list[Diagnostic]]:
    """Feasible placements of every deployment of `contract`, by deployment and role."""
    plans: dict[str, list[RolePlacement]] = {}
    diagnostics: list[Diagnostic] = []
    for name, deployment in contract.deployments.items():
        setting = setting_of(contract, deployment)
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
    setting = setting_of(contract, contract.deployments[deployment])
    roles = roles_of(setting)[0] if setting is not None else []
    found = next((r for r in roles if r.name == role), None)
    if setting is None or found is None:
        return None, None
    if context is not None:
        found = found._replace(context_tokens=context)
    candidate, failure, _ = _evaluate(setting, found, degrees)
    return candidate, failure


def _place_deployment(s: Setting) -> tuple[list[RolePlacement], list[Diagnostic]]:
    roles, diagnostics = roles_of(s)
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


def _place_role(s: Setting, role: RoleInput) -> tuple[list[Candidate], list[Diagnostic]]:
    feasible: list[Candidate] = []
    failures: dict[str, _Failures] = {}  # by code
    for degrees in degree_space(s, role):
        candidate, failure, closeness = _evaluate(s, role, degrees)
        if candidate is not None:
            feasible.append(candidate)
        elif failure is not None:
            seen = failures.get(failure.code)
            if seen is None or closeness > seen.closeness:
                seen = _Failures(seen.tried if seen else 0, failure, closeness, degrees)
            failures[failure.code] = seen._replace(tried=seen.tried + 1)
    if feasible:
        return sorted(feasible, key=_rank), []
    if not failures:
        return [], [_no_plan(s, role, {})]
    return [], [_explain_failures(s, role, failures)]


class _Failures(NamedTuple):
    """The choices of degrees that broke one constraint: how many, and the closest one."""

    tried: int  # choices of degrees that broke it
    diagnostic: Diagnostic
    closeness: float  # larger is closer: memory left over, or requests held
    degrees: Degrees


def _evaluate(
    s: Setting, role: RoleInput, d: Degrees
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
    tier = tp_tier(s, role, d, replicas).name
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
        codes.SHARD_NOT_WHOLE,
        codes.TP_OUTSIDE_DOMAIN,
        codes.ALLOCATION_GROUP,
        codes.INSTANCE_DOES_NOT_FIT,
        codes.MEMORY_EXCEEDED,
        codes.KV_CACHE_CONCURRENCY,
    )
]


def _closest(failures: dict[str, _Failures]) -> _Failures:
    return max(failures.values(), key=lambda f: _STAGES.index(f.diagnostic.code))


def _explain_failures(s: Setting, role: RoleInput, failures: dict[str, _Failures]) -> Diagnostic:
    """One diagnostic for a role no choice of degrees fits. One reason for every choice, or
    a memory or KV-cache shortfall of the closest choice, is reported as itself (its help
    computes the fix); otherwise CC3011, counting the reasons."""
    closest = _closest(failures)
    reported = closest.diagnostic
    if reported.code == codes.MEMORY_EXCEEDED.code:
        reported = dataclasses.replace(reported, help=memory_help(s, role, closest.degrees))
    if len(failures) == 1:
        return reported
    if reported.code in (codes.MEMORY_EXCEEDED.code, codes.KV_CACHE_CONCURRENCY.code):
        total = sum(f.tried for f in failures.values())
        note = f"of the {total} choices of degrees tried: " + _reasons(failures)
        return dataclasses.replace(reported, notes=[*reported.notes, note])
    return _no_plan(s, role, failures)


def _reasons(failures: dict[str, _Failures]) -> str:
    return ", ".join(f"{f.tried} fail {code}" for code, f in sorted(failures.items()))


def _no_plan(s: Setting, role: RoleInput, failures: dict[str, _Failures]) -> Diagnostic:
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

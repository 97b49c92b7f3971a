"""Placement: the inputs of one deployment (its setting and roles) and the candidates it yields.

In: a resolved Contract and a deployment. Out: a `Setting` (model, toolkit, system, device
memory), the `RoleInput`s the contract states (one serving role, or prefill and decode on their
own devices) and the `Candidate`/`RolePlacement` types every placement module returns.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

from ccc import codes
from ccc.diagnostics import Diagnostic, Label
from ccc.hardware.memory import Degrees, MemoryBreakdown, device_memory_of
from ccc.hardware.topology import System, system_of
from ccc.ir import Contract, Degree, Deployment, Model, Parallel, Role, Toolkit, known, lineage
from ccc.span import Span

if TYPE_CHECKING:
    from ccc.targets._capabilities import Capabilities

__all__ = [
    "Candidate",
    "RoleInput",
    "RolePlacement",
    "Setting",
    "key_span",
    "roles_of",
    "setting_of",
]


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


class RoleInput(NamedTuple):
    """A role as the contract states it, with where each of its keys was written."""

    name: str
    devices: int
    replicas: Degree  # a number, or `auto` (absent): as many as the devices hold
    parallel: Parallel
    first_device: int
    prefix: str  # span path prefix: "" or "prefill." / "decode."
    context_tokens: int
    concurrency: int | None


class Setting(NamedTuple):
    contract: Contract
    deployment: Deployment
    model: Model
    toolkit: Toolkit | None
    system: System
    device_memory: float | None
    engine: EngineRules  # what the engine expresses (UNSTATED where it has no target)


class EngineRules(NamedTuple):
    """The engine target that launches the deployment, and its rules at the version run."""

    name: str
    capabilities: Capabilities


def engine_rules(
    contract: Contract, deployment: Deployment, toolkit: Toolkit | None
) -> EngineRules:
    """The rules of the engine that launches the deployment's toolkit (or one it extends),
    named as the catalog's toolkit names its engine; UNSTATED for a toolkit with no target."""
    from ccc.targets import engine_for
    from ccc.targets._capabilities import UNSTATED, capabilities_for

    engine = engine_for(lineage(contract.toolkits, deployment.toolkit or ""))
    if engine is None:
        named = (toolkit.engine or toolkit.name) if toolkit else deployment.toolkit
        return EngineRules(named or "the toolkit", UNSTATED)
    shown = (toolkit.engine if toolkit else None) or engine.NAME
    return EngineRules(shown, capabilities_for(engine.CAPABILITIES, deployment.engine_version))


def setting_of(contract: Contract, deployment: Deployment) -> Setting | None:
    model = contract.models.get(deployment.model or "")
    system = system_of(contract, deployment.cluster or "")
    if model is None or system is None:
        return None  # a broken reference, already reported by resolve
    per_device = device_memory_of(system.accelerator.memory, system.accelerator.dies)
    toolkit = contract.toolkits.get(deployment.toolkit or "")
    return Setting(
        contract,
        deployment,
        model,
        toolkit,
        system,
        per_device,
        engine_rules(contract, deployment, toolkit),
    )


def key_span(s: Setting, role: RoleInput, key: str) -> Span | None:
    return s.deployment.span_of(role.prefix + key)


def _lengths(s: Setting) -> tuple[int, int, int]:
    """The workload's stated context, prompt and output tokens (0 where unstated)."""
    w = s.deployment.workload
    context, prompt, output = (
        int(known(v) or 0) for v in (w.context, w.input_tokens, w.output_tokens)
    )
    return context, prompt, output


def _context(s: Setting, role: str) -> int:
    stated, prompt, output = _lengths(s)
    # With no workload stated, concurrency is counted at the model's full context window.
    context = stated or (prompt if role == "prefill" else prompt + output)
    if context:
        context += s.engine.capabilities.context_margin
    context = context or s.model.context or 1
    return max(1, min(context, s.model.context or context))


def _context_too_long(s: Setting) -> Diagnostic | None:
    """CC3014 when the workload's longest request (with the engine's margin) is longer than
    the model's context window: the engine refuses or truncates every such request."""
    window = s.model.context
    stated, prompt, output = _lengths(s)
    longest = stated or prompt + output
    margin = s.engine.capabilities.context_margin
    if not window or not longest or longest + margin <= window:
        return None
    key = "workload.context" if stated else "workload.output_tokens"
    rule = f" ({s.engine.name} needs {margin} tokens past input + output)" if margin else ""
    fits = window - margin - (0 if stated else prompt)
    return Diagnostic.make(
        codes.CONTEXT_TOO_LONG,
        span=s.deployment.span_of(key if key in s.deployment.spans else "workload"),
        message=f"requests of {longest} tokens do not fit `{s.model.name}`'s context window "
        f"of {window}{rule}",
        label=f"{longest} tokens a request",
        help=f"at most {fits} tokens fit: lower `{key.split('.')[-1]}` to {fits}"
        if fits > 0
        else f"shorten the prompts below {window - margin} tokens",
    )


def roles_of(s: Setting) -> tuple[list[RoleInput], list[Diagnostic]]:
    too_long = _context_too_long(s)
    if too_long is not None:
        return [], [too_long]
    d = s.deployment
    total = s.system.devices
    concurrency = d.workload.concurrency
    if d.prefill is None or d.decode is None:
        devices = d.devices or total
        if devices > total:
            return [], [_too_few_devices(s, devices, "devices")]
        serve = RoleInput(
            "serve", devices, d.replicas, d.parallel, 0, "", _context(s, "serve"), concurrency
        )
        return [serve], []
    return _disaggregated_roles(s, d.prefill, d.decode, concurrency)


def _disaggregated_roles(
    s: Setting, prefill: Role, decode: Role, concurrency: int | None
) -> tuple[list[RoleInput], list[Diagnostic]]:
    total = s.system.devices
    first, start, second = s.system.split(prefill.devices, decode.devices)
    if start + second > total:
        return [], [_too_few_devices(s, start + second, "decode.devices")]
    return [
        RoleInput(
            "prefill",
            first,
            prefill.replicas,
            prefill.parallel,
            0,
            "prefill.",
            _context(s, "prefill"),
            None,
        ),
        RoleInput(
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


def _too_few_devices(s: Setting, wanted: int, key: str) -> Diagnostic:
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


def _cluster_label(s: Setting) -> list[Label]:
    span = s.system.cluster.span_of("nodes" if s.system.cluster.nodes else "supernodes")
    return Label.at(span, "the cluster's size")

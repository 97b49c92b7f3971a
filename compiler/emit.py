"""Back end: the chosen plan of each deployment through the targets, into files.

In: the contract, its placements and searches (`ccc.api.plan`), target names and an optional
inventory. Out: per deployment, the artifacts every target wrote, rendered to bytes, and the
CC5xxx findings. Writing is separate and atomic (`write_tree`): everything is rendered in
memory first, so a failure midway writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ccc import __version__
from ccc.codes import NO_LAUNCHER, REGISTRY, TARGET_MISMATCH
from ccc.diagnostics import Diagnostic, Severity
from ccc.hardware.topology import system_of, systems_of
from ccc.ir import Block, Contract
from ccc.performance.report import build_report, layout_of
from ccc.targets import engine_for, engine_toolkits, load, names
from ccc.targets._base import Artifact, Build, Inventory, Notice
from ccc.targets._files import render
from ccc.targets._launch import EngineOutput

if TYPE_CHECKING:
    from ccc.hardware.topology import System
    from ccc.plans import Plan
    from ccc.span import Span
    from ccc.targets._types import EngineTarget

__all__ = [
    "MARKER",
    "Emitted",
    "NotOurs",
    "Origin",
    "contract_digest",
    "emit",
    "write_tree",
]


class Origin(NamedTuple):
    """What made one emitted file: the build, the target module and its artifact (its
    format, role and reasons), which `ccc validate` compares a manifest against."""

    build: Build
    target: Any  # the target module
    artifact: Artifact


class Emitted(NamedTuple):
    files: dict[str, bytes]  # path relative to the output directory -> content
    diagnostics: list[Diagnostic]
    origins: dict[str, Origin]  # the same paths -> what made them
    # deployment -> its engine target's output, where a target used it (`ccc validate`
    # reads the flags back through it)
    engines: dict[str, EngineOutput]


def summaries(emitted: Emitted) -> list[Any]:
    """What was written for each deployment: its plan's degrees, devices and files."""
    from ccc.render.json import CompiledDeployment, CompiledRole
    from ccc.targets._base import service_url

    builds: dict[str, Build] = {}
    files: dict[str, list[str]] = {}
    for path, origin in sorted(emitted.origins.items()):
        builds.setdefault(origin.build.name, origin.build)
        files.setdefault(origin.build.name, []).append(path)
    out = []
    for name, build in builds.items():
        roles = [
            CompiledRole(
                role=r.role, tp=r.tp, dp=r.dp, pp=r.pp, ep=r.ep, replicas=r.replicas,
                devices=r.instance_devices * r.replicas,
            )
            for r in build.roles
        ]  # fmt: skip
        devices = sum(r.devices for r in roles)
        out.append(
            CompiledDeployment(
                deployment=name,
                toolkit=build.deployment.toolkit or "",
                devices=devices,
                servers=-(-devices // build.layout.devices_per_server),
                roles=roles,
                endpoint=service_url(build) if emitted.engines.get(name) else None,
                files=files[name],
            )
        )
    return out


def contract_digest(contract: Contract, name: str) -> str:
    """sha256 of the deployment and every block it rests on, without source positions."""
    deployment = contract.deployments[name]
    system = system_of(contract, deployment.cluster or "")
    blocks: list[Block | None] = [deployment]
    if system is not None:
        blocks += [system.cluster, system.server, system.accelerator]
        blocks += [system.supernode] if system.supernode else []
    blocks += [
        contract.models.get(deployment.model or ""),
        contract.toolkits.get(deployment.toolkit or ""),
    ]
    # Keys left at their defaults are left out, so a ccc release that adds a key does not
    # change the digest of a contract that does not write it (manifests would look stale).
    dumped = [
        b.model_dump(mode="json", exclude={"span", "spans", "file"}, exclude_defaults=True)
        for b in blocks
        if b is not None
    ]
    text = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def emit(
    contract: Contract,
    placements: dict,
    searches: dict | None,
    targets: Sequence[str] | None,
    inventory: Inventory | None = None,
) -> Emitted:
    """Render every requested target of every placed deployment (best plan first)."""
    systems = systems_of(contract, placements)
    report = build_report(placements, systems, top=1, ranks=True, searches=searches)
    files: dict[str, bytes] = {}
    origins: dict[str, Origin] = {}
    diagnostics: list[Diagnostic] = []
    engines: dict[str, EngineOutput] = {}
    for plan in report.plans:
        build = _build(contract, plan, systems[plan.deployment], inventory)
        chosen, refused = _targets_of(build, targets)
        engine = _engine_output(build, chosen)
        notices = list(engine.notices) if engine else []
        if engine is not None:
            engines[build.name] = engine
        for target in chosen:
            artifacts, found = target.emit(build, engine)
            notices += found
            for artifact in artifacts:
                path = f"{build.name}/{target.NAME}/{artifact.path}"
                files[path] = render(artifact)
                origins[path] = Origin(build, target, artifact)
        diagnostics += refused + _diagnostics(notices)
    return Emitted(files, diagnostics, origins, engines)


def _engine_output(build: Build, chosen: list) -> EngineOutput | None:
    """The engine target's output, made once for the engine target and every runner that
    wraps its launches (None when no chosen target needs it)."""
    wanted = any(m.KIND == "engine" or (m.KIND == "runner" and m.WRAPS_ENGINE) for m in chosen)
    engine = engine_for(build.toolkits)
    return engine.compute(build) if wanted and engine is not None else None


def _diagnostics(notices: list[Notice]) -> list[Diagnostic]:
    """Each distinct finding of the targets once (two pods of one group share a placeholder),
    as a diagnostic of its registered code."""
    return [
        Diagnostic.make(
            REGISTRY[n.code], message=n.message, span=n.span, label=n.label, help=n.help
        )
        for n in dict.fromkeys(notices)
    ]


def _build(contract: Contract, plan: Plan, system: System, inventory: Inventory | None) -> Build:
    deployment = contract.deployments[plan.deployment]
    return Build(
        contract=contract,
        name=plan.deployment,
        deployment=deployment,
        model=contract.models[deployment.model or ""],
        toolkit=contract.toolkits[deployment.toolkit or ""],
        accelerator=system.accelerator,
        layout=layout_of(system),
        plan=plan,
        inventory=inventory,
        digest=contract_digest(contract, plan.deployment),
        version=__version__,
    )


def _targets_of(build: Build, requested: Sequence[str] | None) -> tuple[list, list[Diagnostic]]:
    """The target modules to run for `build` (those asked for, else all that apply) and why
    any asked for cannot run."""
    toolkit = build.deployment.toolkit or ""
    span = build.deployment.span_of("toolkit")
    engine = engine_for(build.toolkits)
    modules = [load(name) for name in requested or names()]
    needs_engine = [m.NAME for m in modules if m.KIND in ("engine", "runner")]
    refused = []
    if engine is None and needs_engine:
        refused.append(_no_launcher(needs_engine, toolkit, span, bool(requested)))
    chosen = []
    for module in modules:
        if module.KIND == "engine" and module is not engine:
            if requested:
                refused.append(_mismatch(module.NAME, toolkit, engine, span))
            continue
        if module.KIND == "runner" and engine is None:
            continue
        if module.applies(build):
            chosen.append(module)
    return chosen, refused


def _mismatch(
    name: str, toolkit: str, engine: EngineTarget | None, span: Span | None
) -> Diagnostic:
    right = f"`--target {engine.NAME}`" if engine else "a toolkit that has an engine target"
    return Diagnostic.make(
        TARGET_MISMATCH,
        message=f"target `{name}` does not launch toolkit `{toolkit}`",
        span=span,
        label=f"the deployment runs `{toolkit}`",
        help=f"use {right}, or set `toolkit = {name}`",
    )


def _no_launcher(names: list[str], toolkit: str, span: Span | None, requested: bool) -> Diagnostic:
    return Diagnostic.make(
        NO_LAUNCHER,
        message=f"`{toolkit}` has no engine target: nothing to launch for {', '.join(names)}"
        if requested
        else f"`{toolkit}` has no engine target: only plan.json is written",
        span=span,
        label=f"`{toolkit}` is served by a stack without a public launcher",
        help=f"choose a toolkit with a launcher ({', '.join(engine_toolkits())}) "
        "to emit manifests; plan.json is still written",
        severity=Severity.ERROR if requested else None,
    )


MARKER = ".ccc-output"  # marks a directory ccc wrote, so a rerun may replace it
MARKER_HEAD = "written by ccc compile; the whole directory is replaced on rerun\n"


class NotOurs(Exception):
    """The output directory holds files ccc did not write, or another contract's output:
    replacing it would lose them."""


def write_tree(directory: Path, files: dict[str, bytes], contracts: Sequence[str] = ()) -> None:
    """Replace `directory` with exactly `files`, atomically: everything is written into a
    sibling temporary directory that is then renamed into place; on any failure the old
    directory is left as it was. A non-empty directory ccc did not write is refused, and
    so is one holding the output of other `contracts` (the marker names them)."""
    directory = directory.resolve()
    _check_ours(directory, list(contracts))
    record = "".join(f"contract: {name}\n" for name in contracts)
    files = {**files, MARKER: (MARKER_HEAD + record).encode()}
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for relative, data in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if relative.endswith(".sh"):
                os.chmod(path, 0o755)
        _swap(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _check_ours(directory: Path, contracts: list[str]) -> None:
    if not directory.exists() or not any(directory.iterdir()):
        return
    marker = directory / MARKER
    if not marker.is_file() or marker.is_symlink():
        raise NotOurs(f"{directory} is not empty and was not written by ccc")
    text = marker.read_text("utf-8", errors="replace")
    lines = text.splitlines()
    before = [line.removeprefix("contract: ") for line in lines if line.startswith("contract: ")]
    if before and contracts and before != contracts:
        raise NotOurs(
            f"{directory} holds the output of {', '.join(before)}, not of {', '.join(contracts)}"
        )


def _swap(staging: Path, directory: Path) -> None:
    """Rename `staging` to `directory`; an old directory moves aside first, then goes."""
    if not directory.exists():
        os.replace(staging, directory)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old.", dir=directory.parent))
    try:
        os.replace(directory, old / "tree")
        try:
            os.replace(staging, directory)
        except BaseException:
            os.replace(old / "tree", directory)
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)

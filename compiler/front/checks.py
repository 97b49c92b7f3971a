"""Front end: contract-level value checks, and which unknown figures block which later check.

In: a resolved `Contract`. Out: diagnostics (CC2008, CC2011, CC2012, CC2101) and, for each
deployment, the unknown figures it depends on with the checks they block.
These are the checks that need more than one block but no topology: a server's device
count against its accelerator's dies, allocation groups against the server, a cluster's
shape, a deployment's roles. The figure needs are listed here once, so `ccc check` can say
ahead of placement and performance what those stages will not be able to prove.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ccc import codes
from ccc.diagnostics import Diagnostic, Label
from ccc.front.support import toolkit_support
from ccc.ir import UNKNOWN, Accelerator, Block, Cluster, Contract, Deployment, Server, known
from ccc.limits import MAX_DEVICES
from ccc.precision import compute_dtype
from ccc.span import Span

if TYPE_CHECKING:
    from ccc.hardware.topology import System

__all__ = ["Blocker", "check_contract", "unknown_figures"]


class Blocker(NamedTuple):
    """`figure` (e.g. `kunlunxin_p800.memory`) is unknown, so `blocks` cannot be proven."""

    deployment: str
    figure: str
    blocks: str
    declared: Span | None


def check_contract(contract: Contract) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for server in contract.servers.values():
        diagnostics += _check_server(server, contract.accelerators.get(server.accelerator or ""))
    for cluster in contract.clusters.values():
        diagnostics += _check_cluster(cluster)
        diagnostics += _check_cluster_size(contract, cluster)
    for deployment in contract.deployments.values():
        diagnostics += _check_roles(deployment)
        diagnostics += _check_lengths(deployment)
        diagnostics += toolkit_support(contract, deployment)
    diagnostics += _check_cluster_budgets(contract)
    grouped: dict[tuple[str, str], list[Blocker]] = {}
    for blocker in unknown_figures(contract):
        grouped.setdefault((blocker.deployment, blocker.figure), []).append(blocker)
    diagnostics += [_unknown_warning(contract, group) for group in grouped.values()]
    return diagnostics


def _check_server(server: Server, accelerator: Accelerator | None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    devices = server.devices or 0
    if accelerator is not None and devices % accelerator.dies:
        out.append(
            Diagnostic.make(
                codes.DIES_MISMATCH,
                span=server.span_of("devices"),
                message=f"{devices} devices split a {accelerator.dies}-die `{accelerator.name}`",
                label=f"not a multiple of {accelerator.dies}",
                labels=Label.at(accelerator.span_of("dies"), "dies declared here"),
                help=f"a device is a die: {devices // accelerator.dies or 1} packages are "
                f"{(devices // accelerator.dies or 1) * accelerator.dies} devices",
            )
        )
    seen: set[int] = set()
    for group in server.allocation_groups or []:
        bad = [i for i in group if i >= devices or i in seen]
        seen.update(group)
        if bad:
            out.append(
                Diagnostic.make(
                    codes.INVALID_GROUPS,
                    span=server.span_of("allocation_groups"),
                    message=f"allocation group {group} of `{server.name}` lists device "
                    f"{bad[0]}, "
                    + (
                        "listed twice"
                        if bad[0] < devices
                        else f"but the server has devices 0 to {devices - 1}"
                    ),
                    label="invalid group",
                    help="list each device index once, below `devices`",
                )
            )
            break
    return out


def _check_cluster_size(contract: Contract, cluster: Cluster) -> list[Diagnostic]:
    from ccc.hardware.topology import system_of

    system = system_of(contract, cluster.name)
    if system is None or system.devices <= MAX_DEVICES:
        return []
    key = "supernodes" if cluster.supernodes else "nodes"
    return [
        Diagnostic.make(
            codes.CLUSTER_TOO_LARGE,
            span=cluster.span_of(key),
            message=f"cluster `{cluster.name}` has {system.devices:,} devices, more than the "
            f"{MAX_DEVICES:,} ccc plans for",
            label=f"{system.devices:,} devices",
            help="split it into clusters of at most "
            f"{MAX_DEVICES // max(1, system.devices_per_server):,} servers",
        )
    ]


def _check_cluster_budgets(contract: Contract) -> list[Diagnostic]:
    """CC3012 at the first deployment, in the order written, that the devices the earlier
    ones on its cluster hold leave no room for."""
    from ccc.hardware.topology import system_of

    sharing: dict[str, list[Deployment]] = {}
    for deployment in sorted(contract.deployments.values(), key=_written_order):
        sharing.setdefault(deployment.cluster or "", []).append(deployment)
    out: list[Diagnostic] = []
    for name, deployments in sharing.items():
        system = system_of(contract, name) if len(deployments) > 1 else None
        if system is None:
            continue
        held: list[tuple[Deployment, int]] = []
        for deployment in deployments:
            wanted = footprint(deployment, system)
            if sum(n for _, n in held) + wanted > system.devices:
                out.append(_overbooked(deployment, wanted, held, system.devices))
                break
            held.append((deployment, wanted))
    return out


def _written_order(deployment: Deployment) -> tuple[str, int, int, str]:
    span = deployment.span
    return (span.file, span.line, span.column, "") if span else ("", 0, 0, deployment.name)


def footprint(deployment: Deployment, system: System) -> int:
    """The devices a deployment holds of its cluster, as placement gives them: its `devices`
    (default all), or its roles' (`System.split`)."""
    prefill, decode = deployment.prefill, deployment.decode
    if prefill is None or decode is None:
        return deployment.devices or system.devices
    _, start, second = system.split(prefill.devices, decode.devices)
    return start + second


def _overbooked(
    deployment: Deployment, wanted: int, held: list[tuple[Deployment, int]], total: int
) -> Diagnostic:
    left = total - sum(n for _, n in held)
    earlier = ", ".join(f"`{d.name}` {n}" for d, n in held)
    if left > 0:
        fix = f"set `devices = {left}` here, or give it a cluster of its own"
    else:
        first = held[0][0]
        fix = (
            f"state `devices` on `{first.name}` too, so the deployments add up to at most "
            f"{total}, or give this one a cluster of its own"
        )
    key = "devices" if deployment.devices else "cluster"
    return Diagnostic.make(
        codes.CLUSTER_OVERBOOKED,
        span=deployment.span_of(key),
        message=f"deployment `{deployment.name}` needs {wanted} devices of cluster "
        f"`{deployment.cluster}`, which has {left} of {total} left",
        label=f"{wanted} devices",
        labels=[
            label
            for d, n in held
            for label in Label.at(
                d.span_of("devices" if d.devices else "cluster"), f"{n} held by `{d.name}`"
            )
        ],
        notes=[f"held already: {earlier}"],
        help=fix,
    )


def _check_cluster(cluster: Cluster) -> list[Diagnostic]:
    by_server = cluster.server is not None or cluster.nodes is not None
    by_supernode = cluster.supernode is not None or cluster.supernodes is not None
    if by_server and by_supernode:
        return [
            Diagnostic.make(
                codes.CONFLICTING_KEYS,
                span=cluster.span_of("supernode" if cluster.supernode else "supernodes"),
                message=f"cluster `{cluster.name}` is given both servers and supernodes",
                label="supernodes here",
                labels=Label.at(
                    cluster.span_of("server" if cluster.server else "nodes"), "servers here"
                ),
                help="a cluster is `server = S  nodes = N` or `supernode = P  supernodes = N`",
            )
        ]
    if not by_server and not by_supernode:
        return [
            Diagnostic.make(
                codes.MISSING_KEY,
                span=cluster.span,
                message=f"cluster `{cluster.name}` has no servers or supernodes",
                label="empty cluster",
                help="add `server = S  nodes = N` or `supernode = P  supernodes = N`",
            )
        ]
    pair = ("server", "nodes") if by_server else ("supernode", "supernodes")
    present = [key for key in pair if getattr(cluster, key) is not None]
    if len(present) == 1:
        missing = pair[1] if present[0] == pair[0] else pair[0]
        return [
            Diagnostic.make(
                codes.MISSING_KEY,
                span=cluster.span_of(present[0]),
                message=f"cluster `{cluster.name}` gives `{present[0]}` but not `{missing}`",
                label=f"`{missing}` is missing",
                help=f"add `{missing} = ...`",
            )
        ]
    return []


def _check_roles(deployment: Deployment) -> list[Diagnostic]:
    roles = [r for r in ("prefill", "decode") if getattr(deployment, r) is not None]
    if not roles:
        return []
    out: list[Diagnostic] = []
    if "parallel" in deployment.spans:
        out.append(
            Diagnostic.make(
                codes.CONFLICTING_KEYS,
                span=deployment.span_of("parallel"),
                message=f"deployment `{deployment.name}` has roles and a shared `parallel` block",
                label="shared degrees here",
                labels=Label.at(deployment.span_of(roles[0]), "a role here"),
                help="give each role its own `parallel { ... }` and drop this one",
            )
        )
    if len(roles) == 1:
        other = "decode" if roles[0] == "prefill" else "prefill"
        out.append(
            Diagnostic.make(
                codes.MISSING_KEY,
                span=deployment.span_of(roles[0]),
                message=f"deployment `{deployment.name}` has a {roles[0]} role but no {other} role",
                label=f"`{other}` is missing",
                help=f"add `{other} {{ devices = N  parallel {{ ... }} }}`",
            )
        )
    return out


# Workload keys that describe traffic to predict; `context` alone sizes the KV cache only.
_TRAFFIC_KEYS = ("concurrency", "queue", "requests", "draft_tokens", "acceptance",
                 "prefix_cache_hit", "expert_balance")  # fmt: skip


def _check_lengths(deployment: Deployment) -> list[Diagnostic]:
    """CC2004 when a deployment states traffic or an SLO but not its requests' lengths:
    nothing about it can be predicted, and a length taken as 0 would predict nonsense."""
    spans = deployment.spans
    asked = [f"`{k}`" for k in _TRAFFIC_KEYS if f"workload.{k}" in spans]
    asked += ["an SLO"] if any(k == "slo" or k.startswith("slo.") for k in spans) else []
    w = deployment.workload
    missing = [k for k in ("input_tokens", "output_tokens") if not known(getattr(w, k))]
    if not asked or not missing:
        return []
    where = "workload" if "workload" in spans else "slo"
    lacking = " and ".join(f"`{k}`" for k in missing)
    stated = ", ".join(asked[:-1]) + (" and " if len(asked) > 1 else "") + asked[-1]
    example = {"input_tokens": "input_tokens = 2048", "output_tokens": "output_tokens = 512"}
    return [
        Diagnostic.make(
            codes.MISSING_KEY,
            span=deployment.span_of(where),
            message=f"deployment `{deployment.name}` states {stated} but not {lacking}: "
            "its performance cannot be predicted",
            label=f"no {lacking}",
            help="state the mean lengths of its requests: `workload { "
            + "  ".join(example[k] for k in missing)
            + " }`",
        )
    ]


def unknown_figures(contract: Contract) -> list[Blocker]:
    """Every unknown figure a deployment's later checks need, with what it blocks."""
    blockers: list[Blocker] = []
    for deployment in contract.deployments.values():
        for block, figure, check in _needs(contract, deployment):
            value = _figure_value(block, figure)
            if known(value) is None:
                declared = block.spans.get(figure) if value == UNKNOWN else None
                blockers.append(Blocker(deployment.name, f"{block.name}.{figure}", check, declared))
    return blockers


def _figure_value(block: Block, figure: str) -> object:
    head, _, rest = figure.partition(".")
    value = getattr(block, head, None)
    return value.get(rest) if rest and isinstance(value, dict) else value


def _needs(contract: Contract, deployment: Deployment) -> list[tuple[Block, str, str]]:
    cluster = contract.clusters.get(deployment.cluster or "")
    if cluster is None:
        return []
    supernode = contract.supernodes.get(cluster.supernode or "")
    server = contract.servers.get((supernode.server if supernode else cluster.server) or "")
    accelerator = contract.accelerators.get(server.accelerator or "") if server else None
    if server is None or accelerator is None:
        return []
    model = contract.models.get(deployment.model or "")
    weights = deployment.weights or (model.dtype if model else None) or "bf16"
    dtype = compute_dtype(weights, accelerator.compute)
    needs: list[tuple[Block, str, str]] = [
        (accelerator, "memory", "memory fit (does the model fit each device?)"),
        (accelerator, "memory_bw", "decode step time (TPOT)"),
        (accelerator, f"compute.{dtype}", f"prefill time (TTFT) at {dtype}"),
    ]
    link = contract.interconnects.get(server.scale_up or "")
    needs.append(
        (
            link or server,
            "bandwidth" if link else "scale_up",
            "tensor/expert-parallel communication inside a server",
        )
    )
    if supernode is not None:
        fabric = contract.interconnects.get(supernode.fabric or "")
        if fabric is not None:
            needs.append((fabric, "bandwidth", "communication across the supernode"))
    spans_servers = (cluster.nodes or 1) > 1 or (cluster.supernodes or 1) > 1
    if spans_servers:
        name = cluster.scale_out or (supernode.scale_out if supernode else server.scale_out)
        out_link = contract.interconnects.get(name or "")
        needs.append(
            (
                out_link or cluster,
                "bandwidth" if out_link else "scale_out",
                "communication between servers",
            )
        )
    return needs


def _unknown_warning(contract: Contract, group: list[Blocker]) -> Diagnostic:
    """One warning per unknown figure of a deployment, naming every check it blocks."""
    first = group[0]
    deployment = contract.deployments[first.deployment]
    owner, _, figure = first.figure.partition(".")
    block = contract.get(owner)
    kind = getattr(block, "kind", "block")
    checks = " and ".join(dict.fromkeys(b.blocks for b in group))
    if first.declared is None and figure in ("scale_up", "scale_out"):
        state, fix = "not declared", f"add `{figure} = <interconnect>` to {kind} `{owner}`"
    else:
        head, _, sub = figure.partition(".")
        value = f"{head} {{ {sub} = ... }}" if sub else f"{head} = ..."
        state = "unknown" if first.declared else "not declared"
        fix = (
            f"state it from a datasheet: `{kind} my_{owner} extends {owner} {{ {value} }}`, "
            "or keep it in a site catalog passed with --catalog DIR"
        )
    labels = Label.at(first.declared, "declared unknown here")
    return Diagnostic.make(
        codes.UNKNOWN_FIGURE,
        span=deployment.span_of("cluster"),
        message=f"`{first.figure}` is {state}: {checks} cannot be proven",
        label=f"deployment `{deployment.name}` runs on this",
        labels=labels,
        help=fix,
    )

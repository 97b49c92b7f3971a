"""Targets, Slurm: a batch script per role; a job array runs its instances, srun its nodes.

srun starts one engine process per node of an instance.

Each array task is one instance: `--nodes` of it, one task per node, the devices it uses on
each node as a generic resource. srun's `SLURM_NODEID` is the node's rank in the instance and
the first host of the allocation is its leader, which is what the engine's start script
(`serve-<role>.sh` of the engine target, copied beside this script) expects.
"""

from __future__ import annotations

import shlex
from typing import Any, NamedTuple

from ccc.plans import RolePlan
from ccc.targets import engine_for
from ccc.targets._base import (
    HOST_ADDRESS,
    LEADER_ADDRESS,
    NODE_ADDRESS,
    NODE_ADDRESSES,
    NODE_RANK,
    PORT,
    Address,
    Artifact,
    Build,
    Command,
    Endpoints,
    Launch,
    Notice,
    Output,
    Raw,
    Ref,
    role_nodes,
    shell_line,
)
from ccc.targets._launch import EngineOutput, header
from ccc.targets._router import disaggregated

NAME = "slurm"
KIND = "runner"
WRAPS_ENGINE = True  # srun runs the engine's start scripts
DESCRIPTION = "Slurm: an sbatch script per role (job array of instances, srun per node)"
NOT_OWNED: tuple[str, ...] = ()  # `ccc validate` compares every key and flag
# The generic resource a node's accelerators are scheduled as; sites name non-GPU devices
# their own way (gres.conf), so only vendors whose Slurm name is conventional are listed.
GRES = {"NVIDIA": "gpu", "AMD": "gpu"}


def applies(build: Build) -> bool:
    return engine_for(build.toolkits) is not None


def emit(build: Build, engine: EngineOutput | None) -> Output:
    target = engine_for(build.toolkits)
    assert engine is not None and target is not None  # applies() said so
    files = {a.path: a for a in engine.artifacts}
    out = []
    for role in build.roles:
        start = f"serve-{role.role}.sh"
        out.append(files[start])  # the engine's start script, run by srun on every node
        # and the files it installs (MindIE's config.json and rank table), beside it
        mine = [launch for launch in engine.launches if launch.role == role.role]
        wanted = (path for launch in mine for path, _ in launch.files)
        out += [files[path] for path in dict.fromkeys(wanted)]
        if not disaggregated(build):
            out.append(_batch(build, role, target.NAME, start, mine))
    if disaggregated(build):
        out.append(_pd_batch(build, target, engine.launches))
    return Output(out, _placeholders(build))


def _placeholders(build: Build) -> tuple[Notice, ...]:
    if _gres_name(build) is not None:
        return ()
    return (
        build.placeholder(
            "the generic resource name of the accelerators",
            "the Slurm script's --gres",
            'state it: `scheduling { slurm_gres = "..." }`, the name your gres.conf gives '
            "these devices",
        ),
    )


def _gres_name(build: Build) -> str | None:
    """The contract's gres name, else the conventional one of the vendor, else unknown."""
    stated = build.deployment.scheduling.slurm_gres
    return stated or GRES.get(build.accelerator.vendor or "")


def _gres(build: Build, devices: int) -> str:
    return f"{_gres_name(build) or 'accel'}:{devices}"


def _addresses(nodelist: str) -> str:
    """Shell for the IPs of the nodes in Slurm's `nodelist` variable, comma-separated:
    the allocation's (one instance of an array), or a step's in a larger job."""
    return (
        f'$(for h in $(scontrol show hostnames "${nodelist}"); do '
        'getent hosts "$h" | cut -d " " -f 1; done | paste -sd , -)'
    )


def _packed(build: Build, role: RolePlan) -> bool:
    """Whether instances of the role may share a node (each takes part of one)."""
    nodes, per_node = role_nodes(build, role)
    return nodes == 1 and per_node < build.layout.devices_per_server and role.replicas > 1


def _batch(
    build: Build, role: RolePlan, engine: str, start: str, launches: list[Launch]
) -> Artifact:
    nodes, per_node = role_nodes(build, role)
    name = build.name if role.role == "serve" else f"{build.name}-{role.role}"
    # an engine whose port is in a config file cannot move: its instances take whole nodes
    movable = any(launch.uses(PORT) for launch in launches)
    exclusive = per_node == build.layout.devices_per_server or (
        _packed(build, role) and not movable
    )
    directives = [
        f"--job-name={name}",
        f"--nodes={nodes}",
        "--ntasks-per-node=1",
        f"--gres={_gres(build, per_node)}",
    ]
    if exclusive:
        directives.append("--exclusive")  # whole nodes: nothing else should share them
    if role.replicas > 1:
        directives.append(f"--array=0-{role.replicas - 1}")
    lines: list = [Raw(f"#SBATCH {d}") for d in directives]
    lines += [
        # sbatch runs a copy of this script: the start script is found from the submit dir
        Raw('export CCC_DIR="${SLURM_SUBMIT_DIR:-$(pwd)}"'),
        Raw(
            f'export {LEADER_ADDRESS.name}="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)"'
        ),
    ]
    if _packed(build, role) and movable:
        # instances of one array may land on one node: each task serves on its own port
        lines.append(Raw(f'export {PORT.name}="$(({build.port} + ${{SLURM_ARRAY_TASK_ID:-0}}))"'))
    inner = f'{NODE_RANK.name}="$SLURM_NODEID" {NODE_ADDRESS.name}="{HOST_ADDRESS}" '
    if any(launch.uses(NODE_ADDRESSES) for launch in launches):
        inner += f'{NODE_ADDRESSES.name}="{_addresses("SLURM_JOB_NODELIST")}" '
    inner += f'exec bash "$CCC_DIR/{start}"'
    lines.append(Command(["srun", f"--nodes={nodes}", "--ntasks-per-node=1", "bash", "-c", inner]))
    why = {
        "--nodes": f"an instance of the plan's {role.role} role spans {nodes} node(s)",
        "--gres": f"the instance uses {per_node} devices of each node",
        "--array": f"the plan runs {role.replicas} {role.role} instances",
        "--exclusive": "the instance takes whole nodes"
        if per_node == build.layout.devices_per_server
        else f"{engine} reads its port from a file: one instance per node",
    }
    return Artifact(
        f"{name}.sbatch",
        "shell",
        lines,
        header=header(build, f"Slurm batch script of the {role.role} role ({engine})"),
        why=why,
        role=role.role,
    )


# --- a disaggregated deployment: one job, its instances and router as steps -------------------


class _Instance(NamedTuple):
    role: RolePlan
    first: int  # index of its node 0 among the job's nodes
    nodes: int
    slot: int  # which of the instances packed on its node (0 when it has nodes of its own)


def _layout(build: Build) -> tuple[list[_Instance], int, int]:
    """Every instance of every role on the nodes the plan's rank table gives it (the job
    holds just the nodes the plan uses, in order); instances that share a node take
    consecutive slots. Also the job's node count and the most instances on one node."""
    spans: list[tuple[RolePlan, list[int]]] = []
    for role in build.roles:
        by_instance: dict[int, set[int]] = {}
        for rank in role.ranks or ():
            by_instance.setdefault(rank.instance, set()).add(rank.node)
        spans += [(role, sorted(nodes)) for _, nodes in sorted(by_instance.items())]
    used = sorted({node for _, nodes in spans for node in nodes})
    index = {node: i for i, node in enumerate(used)}
    placed: list[_Instance] = []
    slots: dict[int, int] = {}
    for role, nodes in spans:
        first = index[nodes[0]]
        slot = slots.get(first, 0) if len(nodes) == 1 else 0
        slots[first] = slot + 1
        placed.append(_Instance(role, first, len(nodes), slot))
    return placed, len(used), max(slots.values(), default=1)


def _pd_batch(build: Build, target: Any, launches: list[Launch]) -> Artifact:
    """The whole deployment as one job, so the router knows every instance's host: each
    instance is a step on its own nodes (its port offset when packed beside another), the
    router a step on node 0 on the first port above them."""
    placed, total, most = _layout(build)
    per_server = build.layout.devices_per_server
    router_port = build.port + most
    directives = [
        f"--job-name={build.name}",
        f"--nodes={total}",
        "--ntasks-per-node=1",
        f"--gres={_gres(build, per_server)}",
        "--exclusive",
    ]
    lines: list = [Raw(f"#SBATCH {d}") for d in directives]
    lines += [
        Raw('export CCC_DIR="${SLURM_SUBMIT_DIR:-$(pwd)}"'),
        Raw('mapfile -t CCC_HOSTS < <(scontrol show hostnames "$SLURM_JOB_NODELIST")'),
    ]
    for instance in placed:
        lines += _instance_step(build, instance, launches)
    # each instance's node 0, on the port of its slot there
    where: dict[str, list[Address]] = {"prefill": [], "decode": []}
    for instance in placed:
        host = Ref(f"CCC_HOSTS[{instance.first}]")
        where[instance.role.role].append(Address(host, build.port + instance.slot))
    router = target.router(build, Endpoints(tuple(where["prefill"]), tuple(where["decode"])))
    if router is not None:
        argv = [str(router_port) if w == PORT else w for w in router.argv]
        lines.append(Raw(f"# the router, on node 0: http://${{CCC_HOSTS[0]}}:{router_port}"))
        step = ["srun", "--nodes=1", "--ntasks=1", "--overlap", '--nodelist="${CCC_HOSTS[0]}"']
        lines.append(Raw(" ".join(step) + " " + shell_line(argv) + " &"))
    lines += [Raw("wait -n  # the deployment is down when any instance or the router is")]
    why = {
        "--nodes": f"the deployment's instances take {total} node(s)",
        "--gres": f"each node's {per_server} devices",
        "--exclusive": "the instances take whole nodes, packed where they are smaller",
    }
    return Artifact(
        f"{build.name}.sbatch",
        "shell",
        lines,
        header=header(
            build, f"Slurm batch script of the prefill/decode deployment ({target.NAME})"
        ),
        why=why,
        role=None,
    )


def _instance_step(build: Build, instance: _Instance, launches: list[Launch]) -> list:
    role = instance.role
    _, per_node = role_nodes(build, role)
    nodelist = ",".join(f"${{CCC_HOSTS[{instance.first + n}]}}" for n in range(instance.nodes))
    mine = [launch for launch in launches if launch.role == role.role]
    env = [
        f'{LEADER_ADDRESS.name}="${{CCC_HOSTS[{instance.first}]}}"',
        f"{PORT.name}={build.port + instance.slot}",
    ]
    inner = f'{NODE_RANK.name}="$SLURM_PROCID" {NODE_ADDRESS.name}="{HOST_ADDRESS}" '
    if any(launch.uses(NODE_ADDRESSES) for launch in mine):
        inner += f'{NODE_ADDRESSES.name}="{_addresses("SLURM_STEP_NODELIST")}" '
    inner += f'exec bash "$CCC_DIR/serve-{role.role}.sh"'
    step = [
        " ".join(env),
        "srun",
        f"--nodes={instance.nodes}",
        f"--ntasks={instance.nodes}",
        "--ntasks-per-node=1",
        "--exact",
        f"--gres={_gres(build, per_node)}",
        f'--nodelist="{nodelist}"',
        "bash -c " + shlex.quote(inner),
        "&",
    ]
    return [
        Raw(
            f"# {role.role} instance on node(s) {instance.first}..{instance.first + instance.nodes - 1}"
        ),
        Raw(" ".join(step)),
    ]

"""Targets, Slurm: a batch script per role; a job array runs its instances, srun its nodes.

srun starts one engine process per node of an instance.

Each array task is one instance: `--nodes` of it, one task per node, the devices it uses on
each node as a generic resource. srun's `SLURM_NODEID` is the node's rank in the instance and
the first host of the allocation is its leader, which is what the engine's start script
(`serve-<role>.sh` of the engine target, copied beside this script) expects.
"""

from __future__ import annotations

from ccc.plans import RolePlan
from ccc.targets import engine_for
from ccc.targets._base import (
    LEADER_ADDRESS,
    NODE_ADDRESS,
    NODE_ADDRESSES,
    NODE_RANK,
    PORT,
    Artifact,
    Build,
    Command,
    Launch,
    Notice,
    Output,
    Raw,
    Ref,
    role_nodes,
)
from ccc.targets._launch import EngineOutput, header

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
        out.append(_batch(build, role, target.NAME, start, mine))
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


# This node's first address, and every node of the allocation (one instance) as IPs.
THIS_ADDRESS = '$(hostname -I | cut -d " " -f 1)'
ALL_ADDRESSES = (
    '$(for h in $(scontrol show hostnames "$SLURM_JOB_NODELIST"); do '
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
    movable = any(_uses_port(launch) for launch in launches)
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
    inner = f'{NODE_RANK.name}="$SLURM_NODEID" {NODE_ADDRESS.name}="{THIS_ADDRESS}" '
    if any(_uses(launch, NODE_ADDRESSES) for launch in launches):
        inner += f'{NODE_ADDRESSES.name}="{ALL_ADDRESSES}" '
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


def _uses(launch: Launch, ref: Ref) -> bool:
    return any(
        isinstance(w, Ref) and w.name == ref.name for w in [*launch.argv, *launch.env.values()]
    )


def _uses_port(launch: Launch) -> bool:
    return _uses(launch, PORT)

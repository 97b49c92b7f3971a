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
    NODE_RANK,
    Artifact,
    Build,
    Command,
    Notice,
    Output,
    Raw,
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
    scripts = {a.path: a for a in engine.artifacts if a.format == "shell"}
    out = []
    for role in build.roles:
        start = f"serve-{role.role}.sh"
        out.append(scripts[start])  # the engine's start script, run by srun on every node
        out.append(_batch(build, role, target.NAME, start))
    return Output(out, _placeholders(build))


def _placeholders(build: Build) -> tuple[Notice, ...]:
    if (build.accelerator.vendor or "") in GRES:
        return ()
    return (
        build.placeholder(
            "the generic resource name of the accelerators",
            "the Slurm script's --gres",
            "replace `accel` with the name your gres.conf gives these devices",
        ),
    )


def _gres(build: Build, devices: int) -> str:
    vendor = build.accelerator.vendor or ""
    return f"{GRES[vendor]}:{devices}" if vendor in GRES else f"accel:{devices}"


def _batch(build: Build, role: RolePlan, engine: str, start: str) -> Artifact:
    nodes, per_node = role_nodes(build, role)
    name = build.name if role.role == "serve" else f"{build.name}-{role.role}"
    directives = [
        f"--job-name={name}",
        f"--nodes={nodes}",
        "--ntasks-per-node=1",
        f"--gres={_gres(build, per_node)}",
    ]
    if per_node == build.layout.devices_per_server:
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
    inner = (
        f'{NODE_RANK.name}="$SLURM_NODEID" {NODE_ADDRESS.name}="$(hostname -i)" '
        f'exec bash "$CCC_DIR/{start}"'
    )
    lines.append(Command(["srun", f"--nodes={nodes}", "--ntasks-per-node=1", "bash", "-c", inner]))
    why = {
        "--nodes": f"an instance of the plan's {role.role} role spans {nodes} node(s)",
        "--gres": f"the instance uses {per_node} devices of each node",
        "--array": f"the plan runs {role.replicas} {role.role} instances",
        "--exclusive": "the instance takes whole nodes",
    }
    return Artifact(
        f"{name}.sbatch",
        "shell",
        lines,
        header=header(build, f"Slurm batch script of the {role.role} role ({engine})"),
        why=why,
        role=role.role,
    )

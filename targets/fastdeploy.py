"""Targets, FastDeploy 2.x: `fastdeploy.entrypoints.openai.api_server` per node, from the plan.

FastDeploy's `--tensor-parallel-size` counts devices over every node of the instance, and
several nodes are named by their addresses in `--ips`, the first being the master that takes
requests. Those are the addresses of the nodes the runner gave this instance, so the runner
resolves them at start (`CCC_NODE_ADDRESSES`). Weights are quantized online by name (`wint8`, `wint4`,
`block_wise_fp8`); prefill/decode roles are `--splitwise-role`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ccc.plans import RolePlan
from ccc.targets._base import (
    NODE_ADDRESSES,
    PORT,
    Build,
    Endpoints,
    Launch,
    Output,
    Word,
    role_nodes,
)
from ccc.targets._capabilities import Capabilities, capabilities_for
from ccc.targets._flags import Argv, Flags, count, select
from ccc.targets._launch import EngineOutput, engine_files, over_host_nics
from ccc.targets._router import no_router

NAME = "fastdeploy"
KIND = "engine"
TOOLKITS = ("fastdeploy",)
DESCRIPTION = "FastDeploy: `api_server` argv, environment and start script per node role"
NOT_OWNED: tuple[str, ...] = ()  # `ccc validate` compares every key and flag
PREFERENCE = 3  # see ccc.targets: the engines most deployments use first
HEALTH = "/health"

# fastdeploy/engine/args_utils.py and fastdeploy/entrypoints/openai/api_server.py (2.x);
# docs/parameters.md: "max_model_len becomes --max-model-len".
FLAGS = {
    "2.0.0": Flags(
        "2.0.0",
        "PaddlePaddle/FastDeploy 2.x fastdeploy/engine/args_utils.py, docs/parameters.md",
        {
            "model": "--model",
            "port": "--port",
            "host": "--host",
            "tp": "--tensor-parallel-size",
            "dp": "--data-parallel-size",
            "ep": "--enable-expert-parallel",
            "quantization": "--quantization",
            "context": "--max-model-len",
            "max_batch": "--max-num-seqs",
            "memory_fraction": "--gpu-memory-utilization",
            "role": "--splitwise-role",
            "transfer": "--cache-transfer-protocol",
            "ips": "--ips",
        },
    ),
}
# docs/quantization/online_quantization.md: wint8 / wint4 online; block_wise_fp8 (Hopper).
# fastdeploy/config.py, ParallelConfig: "the expert parallel size is equal data parallel
# size" times TP (expert_parallel_size = data_parallel_size * tensor_parallel_size with
# --enable-expert-parallel). Whether it spreads an uneven remainder, and its EPLB's
# redundant slots on the P800, were not read: unknown, so only widths that divide the
# experts are planned (PaddlePaddle/FastDeploy config.py @ 0009064e, vendor software).
CAPABILITIES = {
    version: Capabilities(
        "PaddlePaddle/FastDeploy fastdeploy/config.py ParallelConfig; TP across nodes: "
        "docs/features/multi-node_deployment.md ('--tensor-parallel-size 16 ... --ips')",
        ep="world",
        even=True,
        tp_spans="any",
        # config.py: without --enable-expert-parallel expert_parallel_size is 1 and each DP
        # rank holds every expert (split over its TP only): ccc plans DP only with EP
        dp_needs_ep=True,
    )
    for version in FLAGS
}
QUANTIZATION = {"int8": "wint8", "int4": "wint4", "fp8": "block_wise_fp8"}


def router(build: Build, endpoints: Endpoints) -> Launch | None:
    return None  # see compute: CC5006 for a disaggregated deployment


def applies(build: Build) -> bool:
    return any(name in TOOLKITS for name in build.toolkits)


def degrees(values: Mapping[str, str | None]) -> dict[str, int]:
    """The degrees a FastDeploy argv states; it has no pipeline stages, only a tp that
    folds them in, and its expert parallelism spans tp x dp."""
    tp, dp = count(values, "tp"), count(values, "dp")
    return {"tp": tp, "pp": 1, "dp": dp, "ep": tp * dp if "ep" in values else 1}


def _launches(build: Build, flags: Flags) -> list[Launch]:
    # BKCL and its kin reach other nodes over the host's RDMA NICs (BKCL_RDMA_NICS)
    return over_host_nics([launch for role in build.roles for launch in _role(build, role, flags)])


def compute(build: Build) -> EngineOutput:
    flags, notices = select(build, FLAGS, "FastDeploy")
    # args_utils.py EngineArgs.__post_init__: a prefill or decode role with the local
    # scheduler raises without --router, and with RDMA without --rdma-comm-ports (ab0b6aa5)
    notices += no_router(
        build, "FastDeploy", "its splitwise roles refuse to start without its router and RDMA ports"
    )
    return engine_files(build, _launches(build, flags), "FastDeploy", flags, notices)


def emit(build: Build, engine: EngineOutput | None) -> Output:
    """The files of `compute(build)`, which `ccc.emit` made once for every target."""
    assert engine is not None, "ccc.emit computes an engine target's output before its emit"
    return Output(engine.artifacts)


def _role(build: Build, role: RolePlan, flags: Flags) -> list[Launch]:
    nodes, _ = role_nodes(build, role)
    argv, why = _serve(build, role, flags)
    if nodes > 1:
        # each instance's own nodes, resolved when it starts (the runner knows them; a list
        # fixed at compile time would be every replica's)
        argv += [flags.flag("ips"), NODE_ADDRESSES]
        why[flags.flag("ips")] = f"the {nodes} nodes of this instance, node 0 first"
    leader = Launch(role.role, 0, nodes, argv, {}, build.port, HEALTH, why)
    # Every node runs the same command; FastDeploy finds its own address in --ips.
    return [leader] if nodes == 1 else [leader, leader._replace(node=1)]


def _serve(build: Build, role: RolePlan, flags: Flags) -> tuple[list[Word], dict[str, str]]:
    d = build.deployment
    plan = f"the plan's {role.role} instance"
    argv = Argv(flags, ["python", "-m", "fastdeploy.entrypoints.openai.api_server"])
    add = argv.add

    add("model", build.checkpoint, "the contract's checkpoint")
    add("host", "0.0.0.0", "serve on every interface of the pod or node")
    argv.add_values(
        "port",
        [PORT],
        f"the contract's port ({build.port}), or the runner's for an instance packed beside others",
    )
    add("tp", str(role.tp * role.pp), f"{plan} has tp = {role.tp}")
    if role.dp > 1:
        add("dp", str(role.dp), f"{plan} has dp = {role.dp}")
    if role.ep > 1:
        add("ep", None, f"{plan} has ep = {role.ep}")
    if scheme := QUANTIZATION.get(d.weights or ""):
        add("quantization", scheme, f"the contract serves {d.weights} weights")
    argv.memory(build, role, capabilities_for(CAPABILITIES, flags.version).context_margin)
    performance = build.plan.performance
    if role.role != "prefill" and performance is not None:
        batch = max(1, -(-performance.batch // role.dp))
        add("max_batch", str(batch), "sequences per DP rank at the plan's operating point")
    if role.role in ("prefill", "decode"):
        add("role", role.role, "the deployment is disaggregated into prefill and decode")
        add("transfer", "rdma,ipc", "KV moves between the roles over RDMA (IPC inside a node)")
    return argv.words, argv.why

"""Targets, vLLM: `vllm serve` per node of each instance, from the plan's degrees.

One node: every degree is a flag. Several nodes: with data parallelism over nodes each node
runs its own DP ranks (`--data-parallel-size-local`, workers `--headless` from their start
rank), the layout vLLM documents for wide expert parallelism; otherwise TP x PP spans nodes
over a Ray cluster whose head is node 0, as vLLM's multi-node guide and LeaderWorkerSet's
vLLM example do. EP is vLLM's `--enable-expert-parallel`, which spans TP x DP ranks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ccc.plans import RolePlan
from ccc.targets._base import (
    LEADER_ADDRESS,
    NODE_ADDRESS,
    NODE_RANK,
    PORT,
    Build,
    Endpoints,
    Launch,
    Notice,
    Output,
    Word,
    role_nodes,
)
from ccc.targets._capabilities import Capabilities, capabilities_for
from ccc.targets._flags import UNEXPRESSIBLE_PLAN, Argv, Flags, count, kv_cache_notices, select
from ccc.targets._launch import EngineOutput, engine_files, over_host_nics
from ccc.targets._router import disaggregated, discovery_words, url

NAME = "vllm"
KIND = "engine"
TOOLKITS = ("vllm",)
DESCRIPTION = "vLLM: `vllm serve` argv, environment and start script per node role"
NOT_OWNED: tuple[str, ...] = ()  # `ccc validate` compares every key and flag
PREFERENCE = 0  # see ccc.targets: the engines most deployments use first
HEALTH = "/health"
RAY_PORT = 6379  # Ray's default GCS port, as vLLM's multi-node guide uses it
# The Ray release whose `ray start` (its click CLI) the emitted flags are checked against:
# tests/data/engine_flags/ray-2.60.0.json, from PyPI ray==2.60.0 by dev/engine_flags.py
RAY_VERIFIED = "2.60.0"
DP_RPC_PORT = 13345  # vLLM's documented example port for the DP coordinator

FLAG_NAMES = {
    "tp": "--tensor-parallel-size",
    "pp": "--pipeline-parallel-size",
    "dp": "--data-parallel-size",
    "dp_local": "--data-parallel-size-local",
    "dp_address": "--data-parallel-address",
    "dp_rpc_port": "--data-parallel-rpc-port",
    "dp_start_rank": "--data-parallel-start-rank",
    "headless": "--headless",
    "ep": "--enable-expert-parallel",
    "quantization": "--quantization",
    "kv_cache": "--kv-cache-dtype",
    "context": "--max-model-len",
    "memory_fraction": "--gpu-memory-utilization",
    "max_batch": "--max-num-seqs",
    "host": "--host",
    "port": "--port",
    "name": "--served-model-name",
    "api_servers": "--api-server-count",
    "backend": "--distributed-executor-backend",
    "kv_transfer": "--kv-transfer-config",
    "eplb": "--enable-eplb",
    "redundant_experts": "--eplb-config",  # JSON: {"num_redundant_experts": N}
}
# vllm/engine/arg_utils.py (EngineArgs.add_cli_args) and vllm/entrypoints/openai/cli_args.py
# (entrypoints/common/cli_args.py from 0.2x) at each tag, as each wheel's own parser states
# them (tests/data/engine_flags/vllm-*.json, dev/engine_flags.py; vendor software);
# docs/serving/data_parallel_deployment.md for the DP-over-nodes flags.
FLAGS = {
    "0.10.2": Flags("0.10.2", "vllm-project/vllm v0.10.2 vllm/engine/arg_utils.py", FLAG_NAMES),
    "0.11.0": Flags("0.11.0", "vllm-project/vllm v0.11.0 vllm/engine/arg_utils.py", FLAG_NAMES),
    "0.34.0": Flags("0.34.0", "vllm-project/vllm v0.34.0 vllm/engine/arg_utils.py", FLAG_NAMES),
}
# vllm/model_executor/layers/fused_moe/config.py, FusedMoEParallelConfig.make: with
# --enable-expert-parallel the MoE layer's EP size is the flattened dp x tp (there is no EP
# size flag); without EPLB an uneven remainder goes to the lowest ranks
# (expert_map_manager.py), with EPLB fused_moe/layer.py raises "EPLB currently only supports
# even distribution of experts across ranks" unless routed + redundant divide by EP.
# --eplb-config arrived in v0.10.2 (PR #20562), beside --enable-eplb. Read in the v0.10.2
# and v0.27.1 wheels (vendor software).
_CAPABILITIES = Capabilities(
    "vllm-project/vllm fused_moe/config.py FusedMoEParallelConfig.make, fused_moe/layer.py; "
    "TP across nodes: v1/executor/ray_utils.py _verify_bundles only warns (vllm 0.34.0 wheel)",
    ep="world",
    even=False,
    redundant="redundant_experts",
    tp_spans="any",
)
CAPABILITIES = {version: _CAPABILITIES for version in FLAGS}
# Online quantization vLLM applies to a 16-bit checkpoint; int8 and int4 checkpoints carry
# their scheme in config.json (compressed-tensors, AWQ, GPTQ) and need no flag.
QUANTIZATION = {"fp8": "fp8"}
KV_CACHE = {"bf16": "auto", "fp16": "auto", "fp8": "fp8"}


class Connector(NamedTuple):
    """How a prefill or decode instance moves KV: its `--kv-transfer-config` for a role, and
    the environment the connector reads."""

    config: Callable[[Build, RolePlan], dict[str, Any]]
    env: Mapping[str, Word]


def _nixl_config(build: Build, role: RolePlan) -> dict[str, Any]:
    """NIXL moves KV between prefill and decode instances
    (docs/features/nixl_connector_usage.md), each instance both sending and receiving."""
    return {"kv_connector": "NixlConnector", "kv_role": "kv_both"}


# NIXL advertises this host to the other side (kv_transfer_params remote_host); its default
# is localhost (vllm/envs.py, nixl/pull_scheduler.py, 0.34.0)
NIXL = Connector(_nixl_config, {"VLLM_NIXL_SIDE_CHANNEL_HOST": NODE_ADDRESS})


# vllm-project/router (the vllm-router 0.1.17 wheel, vendor software): PD mode with the NIXL
# connector takes each instance's URL, or on Kubernetes watches the pods (--service-discovery
# with --prefill-selector / --decode-selector), as sglang-router, whose fork it is. It is a
# separate package: the vLLM image does not ship it (`router_image`).
ROUTER = ["vllm-router"]


def router(build: Build, endpoints: Endpoints) -> Launch | None:
    if not disaggregated(build):
        return None
    argv: list[Word] = [*ROUTER, "--vllm-pd-disaggregation", "--kv-connector", "nixl"]
    argv += ["--host", "0.0.0.0", "--port", PORT]
    found = endpoints.discovery
    if found is not None:
        argv += discovery_words(found)
    else:
        for flag, where in (("--prefill", endpoints.prefill), ("--decode", endpoints.decode)):
            for address in where:
                argv += [flag, url(address)]
    why = {"--vllm-pd-disaggregation": "each request goes to a prefill and a decode instance"}
    return Launch("router", 0, 1, argv, {}, build.port, HEALTH, why, watches_pods=found is not None)


def applies(build: Build) -> bool:
    return any(name in TOOLKITS for name in build.toolkits)


def _launches(build: Build, flags: Flags) -> list[Launch]:
    return over_host_nics(
        [
            launch
            for role in build.roles
            for launch in role_launches(build, role, flags, quantization=QUANTIZATION, env={})
        ]
    )


def compute(build: Build) -> EngineOutput:
    flags, notices = select(build, FLAGS, "vLLM")
    notices += ep_notices(build) + kv_cache_notices(build, KV_CACHE, "vLLM", flags.version)
    if disaggregated(build) and build.deployment.router_image is None:
        notices += (
            build.placeholder(
                "the prefill/decode router's image",
                "the router's Deployment",
                "vLLM's image does not ship vllm-router (the `vllm-router` package): set "
                '`router_image = "..."` to an image that does',
            ),
        )
    return engine_files(build, _launches(build, flags), "vLLM", flags, notices)


def emit(build: Build, engine: EngineOutput | None) -> Output:
    """The files of `compute(build)`, which `ccc.emit` made once for every target."""
    assert engine is not None, "ccc.emit computes an engine target's output before its emit"
    return Output(engine.artifacts)


def degrees(values: Mapping[str, str | None]) -> dict[str, int]:
    """The degrees a `vllm serve` argv states, by concept (the inverse of `_serve`)."""
    tp, pp, dp = count(values, "tp"), count(values, "pp"), count(values, "dp")
    return {"tp": tp, "pp": pp, "dp": dp, "ep": tp * dp if "ep" in values else 1}


def role_launches(
    build: Build,
    role: RolePlan,
    flags: Flags,
    *,
    quantization: dict[str, str],
    env: dict[str, Word],
    connector: Connector = NIXL,
    kv_cache: dict[str, str] = KV_CACHE,
) -> list[Launch]:
    """The leader's launch and, for a multi-node instance, the workers' one."""
    nodes, per_node = role_nodes(build, role)
    argv, why = _serve(build, role, flags, (quantization, kv_cache), connector)
    if role.role in ("prefill", "decode"):
        env = {**env, **connector.env}
    leader = Launch(role.role, 0, nodes, argv, dict(env), build.port, HEALTH, why)
    if nodes == 1:
        return [leader]
    if role.dp > 1 and role.tp * role.pp <= per_node:
        return _over_nodes_by_dp(leader, role, flags, per_node)
    return _over_nodes_by_ray(leader, flags)


def _serve(
    build: Build,
    role: RolePlan,
    flags: Flags,
    dtypes: tuple[dict[str, str], dict[str, str]],
    connector: Connector,
) -> tuple[list[Word], dict[str, str]]:
    """`vllm serve` with every flag the plan decides; `dtypes` maps the contract's weight and
    KV dtypes to the engine's names (absent: the checkpoint's own config decides)."""
    deployment, plan = build.deployment, f"the plan's {role.role} instance"
    argv = Argv(flags, ["vllm", "serve", build.checkpoint])
    argv.why[build.checkpoint] = "the contract's checkpoint"
    add = argv.add

    names = list(dict.fromkeys([build.served_name, build.name]))
    argv.add_values("name", names, "the checkpoint's name, then the deployment's as an alias")
    add("host", "0.0.0.0", "serve on every interface of the pod or node")
    argv.add_values(
        "port",
        [PORT],
        f"the contract's port ({build.port}), or the runner's for an instance packed beside others",
    )
    add("tp", str(role.tp), f"{plan} has tp = {role.tp}")
    add("pp", str(role.pp), f"{plan} has pp = {role.pp}")
    if role.dp > 1:
        add("dp", str(role.dp), f"{plan} has dp = {role.dp}")
        local = _local_dp(build, role)
        add("api_servers", str(local), f"one API server per DP rank on node 0 ({local})")
    if role.ep > 1:
        add("ep", None, f"{plan} has ep = {role.ep} (vLLM's EP spans tp x dp ranks)")
    if role.ep > 1 and role.extra_experts and flags.states("redundant_experts"):
        # EPLB spreads routed + redundant experts evenly over the EP ranks (fused_moe/layer.py)
        config = json.dumps({"num_redundant_experts": role.extra_experts}, sort_keys=True)
        add("eplb", None, "expert-parallel load balancing places the redundant slots")
        add(
            "redundant_experts",
            config,
            f"{role.extra_experts} redundant expert slots make the experts divide ep = {role.ep}",
        )
    quantization, kv_names = dtypes
    scheme = quantization.get(deployment.weights or "")
    if scheme:
        add("quantization", scheme, f"the contract serves {deployment.weights} weights")
    kv = deployment.kv_cache or "bf16"
    if kv in kv_names:
        add("kv_cache", kv_names[kv], f"the contract's kv_cache = {kv}")
    argv.memory(build, role, capabilities_for(CAPABILITIES, flags.version).context_margin)
    batch = _max_batch(build, role)
    if batch is not None:
        add("max_batch", str(batch), "sequences per DP rank at the plan's operating point")
    if role.role in ("prefill", "decode"):
        config = json.dumps(connector.config(build, role), sort_keys=True)
        add("kv_transfer", config, "the deployment is disaggregated into prefill and decode")
    return argv.words, argv.why


def _local_dp(build: Build, role: RolePlan) -> int:
    """The DP ranks on one node. vLLM >= 0.23 starts one API server per DP rank of the whole
    instance on node 0 unless told (vllm/entrypoints/cli/serve.py, 'Defaulting
    api_server_count to data_parallel_size', vllm 0.34.0 wheel): 320 processes on one host
    for a 320-die decode instance; node 0 serves its own ranks' share instead."""
    _, per_node = role_nodes(build, role)
    return max(1, min(role.dp, per_node // (role.tp * role.pp)))


def _max_batch(build: Build, role: RolePlan) -> int | None:
    """Sequences one DP rank decodes at once: the predicted batch, else what memory holds."""
    performance = build.plan.performance
    if role.role != "prefill" and performance is not None:
        return max(1, math.ceil(performance.batch / role.dp))
    return role.memory.sequences_per_rank


def ep_notices(build: Build) -> tuple[Notice, ...]:
    """CC5005 for each role whose expert parallelism vLLM cannot state: its EP spans every
    tp x dp rank of an instance."""
    return tuple(
        Notice(
            UNEXPRESSIBLE_PLAN,
            message=f"vLLM cannot run ep = {role.ep} with tp = {role.tp} and dp = {role.dp}: "
            f"its expert parallelism spans tp x dp = {role.tp * role.dp} ranks",
            span=build.deployment.span_of("parallel.ep"),
            label=f"ep = {role.ep} here",
            help=f"set `ep = {role.tp * role.dp}` (or `ep = 1`) for this engine",
        )
        for role in build.roles
        if role.ep > 1 and role.ep != role.tp * role.dp
    )


def _over_nodes_by_dp(leader: Launch, role: RolePlan, flags: Flags, per_node: int) -> list[Launch]:
    f = flags.flag
    local = per_node // (role.tp * role.pp)
    shared: list[Word] = [
        f("dp_local"),
        str(local),
        f("dp_address"),
        LEADER_ADDRESS,
        f("dp_rpc_port"),
        str(DP_RPC_PORT),
    ]
    why = {
        f("dp_local"): f"{local} DP ranks on each node of {per_node} devices",
        f("dp_address"): "node 0 of the instance coordinates data parallelism",
        f("dp_rpc_port"): "the DP coordinator's port",
    }
    head = leader._replace(argv=leader.argv + shared, why={**leader.why, **why})
    start = NODE_RANK.scaled(local)
    # `--headless` starts no API server, and vLLM 0.34 refuses a count beside it
    serving = (
        _without(leader.argv, f("api_servers")) if flags.states("api_servers") else leader.argv
    )
    worker_argv = [*serving, *shared, f("headless"), f("dp_start_rank"), start]
    worker_why = {
        **head.why,
        f("headless"): "workers serve no HTTP",
        f("dp_start_rank"): "node rank x local DP ranks",
    }
    worker = leader._replace(node=1, argv=worker_argv, why=worker_why)
    return [head, worker]


def _without(argv: list[Word], flag: str) -> list[Word]:
    """`argv` less `flag` and the value after it."""
    if flag not in argv:
        return argv
    at = argv.index(flag)
    return argv[:at] + argv[at + 2 :]


def _over_nodes_by_ray(leader: Launch, flags: Flags) -> list[Launch]:
    f = flags.flag
    head = leader._replace(
        argv=[*leader.argv, f("backend"), "ray"],
        why={**leader.why, f("backend"): "TP x PP spans nodes: a Ray cluster joins them"},
        setup=(("ray", "start", "--head", f"--port={RAY_PORT}"),),
    )
    join: list[Word] = ["ray", "start", "--address", LEADER_ADDRESS.then(f":{RAY_PORT}"), "--block"]
    worker = leader._replace(node=1, argv=join, why={"--address": "the Ray head on node 0"})
    return [head, worker]

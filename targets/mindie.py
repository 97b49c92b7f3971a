"""Targets, MindIE Service: config.json per role and, over several servers, the rank table.

The daemon reads both.

config.json follows MindIE's ServerConfig / BackendConfig / ModelDeployConfig /
ScheduleConfig (service_parameter_configuration.md): `worldSize` is the instance's devices
and must equal tp x dp, `npuDeviceIds` the logical ids of one node. Over several servers
(`multiNodesInferEnabled`) MindIE takes the ranks from the rank table instead, whose device
IPs are host facts: from `--inventory`, else named placeholders (CC5003).
"""

from __future__ import annotations

from collections.abc import Mapping

from ccc.plans import RolePlan
from ccc.targets._base import (
    NODE_ADDRESS,
    Artifact,
    Build,
    Endpoints,
    Launch,
    Notice,
    Output,
    Word,
    role_nodes,
)
from ccc.targets._capabilities import Capabilities
from ccc.targets._flags import Flags, count, launch_context
from ccc.targets._launch import EngineOutput, engine_files
from ccc.targets._router import no_router

NAME = "mindie"
KIND = "engine"
TOOLKITS = ("mindie",)
DESCRIPTION = "MindIE: config.json, HCCL rank table and the daemon's start per node role"
NOT_OWNED: tuple[str, ...] = ()  # `ccc validate` compares every key and flag
PREFERENCE = 4  # see ccc.targets: the engines most deployments use first
VERSION = "2.1.RC1"
SOURCE = (
    "Ascend/MindIE-LLM docs/zh/user_guide/user_manual/service_parameter_configuration.md, "
    "rank_table_file_configuration.md; hicann/hccl rank table 1.0"
)
HOME = "/usr/local/Ascend/mindie/latest/mindie-service"  # MindIE's install path in its images
DAEMON = f"{HOME}/bin/mindieservice_daemon"
# Where ccc installs the files (the daemon reads MIES_CONFIG_JSON_PATH when set, else
# ${MINDIE_LLM_HOME_PATH}/conf/config.json: environment_variable.md, src/utils/common_util.cpp)
CONFIG = "/etc/mindie/config.json"
RANK_TABLE = "/etc/mindie/ranktable.json"
FILES_MODE = 0o640  # MindIE refuses config files others may write or read (0640 or stricter)
# CANN, the ATB acceleration library, ATB models and MindIE itself, sourced before the
# daemon (prefill_decode_mixed_deployment.md, offline_inference.md; the paths moved from
# ascend-toolkit/ to cann/ between CANN releases, so both are tried)
SOURCES = (
    "/usr/local/Ascend/ascend-toolkit/set_env.sh",
    "/usr/local/Ascend/cann/set_env.sh",
    "/usr/local/Ascend/nnal/atb/set_env.sh",
    "/usr/local/Ascend/atb-models/set_env.sh",
    "/usr/local/Ascend/mindie/set_env.sh",
)
HEALTH = "/v2/health/ready"  # on the management port (server routes of MindIE Service)
MULTI_NODE_PORT = 1120  # multiNodesInferPort default
DEVICE_PORT = "16666"  # HCCL device port of the rank table examples
# The config.json keys that state the plan's degrees and context (`ccc validate` reads them).
CONFIG_KEYS = {"tp": "tp", "dp": "dp", "context": "maxSeqLen"}
FLAGS = {VERSION: Flags(VERSION, SOURCE, CONFIG_KEYS)}  # one verified version
# Ascend/MindIE-LLM @ 8b4871ad, atb_llm/utils/mapping.py validate(): "World size must equal
# to MoE's ep_size * MoE's tp_size", so moe_ep divides the world; no redundant-slot setting
# was found (vendor software). ccc writes no moe_ep yet (the catalog's MindIE parallelism
# has no ep), so its plans use ep = 1.
CAPABILITIES = {
    VERSION: Capabilities(
        "Ascend/MindIE-LLM atb_llm/utils/mapping.py; TP across servers only as the whole "
        "world: 'Attention's tp_size should be no greater than local world size, or equal to "
        "world size.'",
        ep="divides",
        even=True,
        tp_spans="world",
    )
}


def router(build: Build, endpoints: Endpoints) -> Launch | None:
    return None  # see compute: CC5006 for a disaggregated deployment


def applies(build: Build) -> bool:
    return any(name in TOOLKITS for name in build.toolkits)


def _launches(build: Build) -> list[Launch]:
    out = []
    for role in build.roles:
        nodes, _ = role_nodes(build, role)
        files = [(_config_name(role), CONFIG)]
        # The management endpoint (health) binds this node's address, which the kubelet's
        # probe reaches (MIES_CONTAINER_MANAGEMENT_IP overrides managementIpAddress:
        # service_parameter_configuration.md, src/config_manager/server_config.cpp).
        env: dict[str, Word] = {
            "MIES_CONFIG_JSON_PATH": CONFIG,
            "MIES_CONTAINER_MANAGEMENT_IP": NODE_ADDRESS,
        }
        if nodes > 1:
            files.append((_rank_table_name(role), RANK_TABLE))
            # MIES_CONTAINER_IP overrides ipAddress; RANK_TABLE_FILE locates the table.
            env |= {"MIES_CONTAINER_IP": NODE_ADDRESS, "RANK_TABLE_FILE": RANK_TABLE}
        why = {DAEMON: "MindIE Service's daemon reads config.json"}
        leader = Launch(
            role.role, 0, nodes, [DAEMON], env, build.port, HEALTH, why,
            files=tuple(files), health_port=build.port + 1, sources=SOURCES,
            files_mode=FILES_MODE,
        )  # fmt: skip
        out += [leader] if nodes == 1 else [leader, leader._replace(node=1)]
    return out


def compute(build: Build) -> EngineOutput:
    files: list[Artifact] = []
    notices: list[Notice] = []
    for role in build.roles:
        files.append(_config(build, role))
        if role_nodes(build, role)[0] > 1:
            table, missing = _rank_table(build, role)
            files.append(table)
            notices += missing
    flags = FLAGS[VERSION]
    notices += no_router(
        build, "MindIE", "its prefill/decode runs under MindIE Motor's controller, not written yet"
    )
    return engine_files(build, _launches(build), "MindIE", flags, tuple(notices), tuple(files))


def emit(build: Build, engine: EngineOutput | None) -> Output:
    """The files of `compute(build)`, which `ccc.emit` made once for every target."""
    assert engine is not None, "ccc.emit computes an engine target's output before its emit"
    return Output(engine.artifacts)


def _config_name(role: RolePlan) -> str:
    return f"config-{role.role}.json"


def _rank_table_name(role: RolePlan) -> str:
    return f"ranktable-{role.role}.json"


def _config(build: Build, role: RolePlan) -> Artifact:
    nodes, per_node = role_nodes(build, role)
    d = build.deployment
    context = launch_context(build, role, 0)
    prompt = int(d.workload.input_tokens or context - 1)
    performance = build.plan.performance
    batch = performance.batch if performance and role.role != "prefill" else 200
    model = {
        "modelInstanceType": "Standard",
        "modelName": build.served_name,
        "modelWeightPath": build.checkpoint,
        "worldSize": role.instance_devices,
        "cpuMemSize": 5,
        "npuMemSize": -1,
        "backendType": "atb",
        "trustRemoteCode": False,
        "tp": role.tp,
        "dp": role.dp,
    }
    document = {
        "Version": "1.0.0",
        "ServerConfig": {
            "ipAddress": "0.0.0.0",
            "allowAllZeroIpListening": True,
            "managementIpAddress": "127.0.0.1",
            "port": build.port,
            "managementPort": build.port + 1,
            "metricsPort": build.port + 2,
            "httpsEnabled": False,
            "interCommTLSEnabled": False,
        },
        "BackendConfig": {
            "backendName": "mindieservice_llm_engine",
            "modelInstanceNumber": 1,
            "npuDeviceIds": [list(range(per_node))],
            "tokenizerProcessNumber": 8,
            "multiNodesInferEnabled": nodes > 1,
            "multiNodesInferPort": MULTI_NODE_PORT,
            "interNodeTLSEnabled": False,
            "ModelDeployConfig": {
                "maxSeqLen": context,
                "maxInputTokenLen": min(prompt, context - 1),
                "truncation": False,
                "ModelConfig": [model],
            },
            "ScheduleConfig": {
                "maxBatchSize": batch,
                "maxPrefillTokens": max(8192, min(prompt, context - 1)),
                "maxIterTimes": int(d.workload.output_tokens or context),
            },
        },
    }
    plan = f"the plan's {role.role} instance"
    why = {
        "worldSize": f"{plan} has {role.instance_devices} devices (tp x dp)",
        "tp": f"{plan} has tp = {role.tp}",
        "dp": f"{plan} has dp = {role.dp}",
        "npuDeviceIds": f"{per_node} devices of each node",
        "maxSeqLen": "the longest request whole",
        "modelWeightPath": "the contract's checkpoint",
        "port": "the contract's port",
    }
    return Artifact(_config_name(role), "json", document, why=why, role=role.role)


def degrees(values: Mapping[str, str | None]) -> dict[str, int]:
    """The degrees config.json states (its keys by concept: CONFIG_KEYS)."""
    return {"tp": count(values, "tp"), "dp": count(values, "dp")}


def _rank_table(build: Build, role: RolePlan) -> tuple[Artifact, list[Notice]]:
    """HCCL rank table 1.0: each server of one instance, its devices and their global ranks;
    and the placeholder finding when the inventory does not give their addresses."""
    nodes, per_node = role_nodes(build, role)
    first = role.first_device // build.layout.devices_per_server
    hosts = build.inventory.hosts if build.inventory else []
    known = len(hosts) >= first + nodes
    servers = []
    for n in range(nodes):
        host = hosts[first + n] if known else None
        devices = []
        for local in range(per_node):
            ips = host.device_ips if host else []
            ip = (
                ips[local]
                if local < len(ips)
                else f"<device ip of node {first + n} device {local}>"
            )
            devices.append(
                {"device_id": str(local), "device_ip": ip, "device_port": DEVICE_PORT, "rank_id": str(n * per_node + local)}
            )  # fmt: skip
        address = host.address if host else f"<address of node {first + n}>"
        server_id = (host.server_id or host.address) if host else address
        servers.append({"server_id": server_id, "container_ip": address, "device": devices})
    missing = []
    if not known or any(len(h.device_ips) < per_node for h in hosts[first : first + nodes]):
        missing.append(
            build.placeholder(
                "host and device addresses",
                f"mindie's {_rank_table_name(role)}",
                "pass `--inventory FILE` with each host's address and device_ips",
            )
        )
    document = {
        "version": "1.0",
        "server_count": str(nodes),
        "server_list": servers,
        "status": "completed",
    }
    return Artifact(_rank_table_name(role), "json", document, role=role.role), missing

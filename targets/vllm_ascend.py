"""Targets, vllm-ascend: vLLM's `vllm serve` on Ascend NPUs (a platform plugin), from the plan.

The degrees, multi-node layout and most flags are vLLM's (see `ccc.targets.vllm`). What
differs: W8A8 checkpoints made with ModelSlim need `--quantization ascend`; HCCL needs each
node's own address in `HCCL_IF_IP` when an instance spans nodes; prefill and decode exchange
KV through Mooncake (`MooncakeConnectorV1`, producer and consumer).
"""

from __future__ import annotations

import json
from typing import Any

from ccc.plans import RolePlan
from ccc.targets import vllm
from ccc.targets._base import NODE_ADDRESS, PORT, Build, Endpoints, Launch, Output, Word, role_nodes
from ccc.targets._capabilities import Capabilities
from ccc.targets._flags import Flags, kv_cache_notices, select
from ccc.targets._launch import EngineOutput, engine_files
from ccc.targets._router import disaggregated

NAME = "vllm_ascend"
KIND = "engine"
TOOLKITS = ("vllm_ascend",)
DESCRIPTION = "vllm-ascend: `vllm serve` on Ascend NPUs, with HCCL environment per node"
NOT_OWNED: tuple[str, ...] = ()  # `ccc validate` compares every key and flag
PREFERENCE = 1  # see ccc.targets: the engines most deployments use first
# vllm-project/vllm-ascend at each tag: docs/source/tutorials (launch lines),
# docs/source/user_guide/feature_guide/quantization.md (`--quantization ascend`),
# vllm_ascend/distributed/kv_transfer/__init__.py (registered connectors); the core flags
# are those of the vLLM release each tag pairs with, but EPLB's (see CAPABILITIES).
_FLAG_NAMES = {
    **{k: v for k, v in vllm.FLAG_NAMES.items() if k not in ("eplb", "redundant_experts")},
    "additional_config": "--additional-config",  # vllm-ascend's own settings, as JSON
}
FLAGS = {
    "0.11.0": Flags(
        "0.11.0", "vllm-project/vllm-ascend v0.11.0 docs + vLLM v0.11.0 arg_utils", _FLAG_NAMES
    ),
    "0.23.0": Flags(
        "0.23.0", "vllm-project/vllm-ascend v0.23.0 docs + vLLM v0.23.0 arg_utils", _FLAG_NAMES
    ),
}
# vLLM's expert parallelism (EP = dp x tp, an uneven remainder to the lowest ranks). vLLM's
# --enable-eplb is refused on the default model runner (vllm_ascend/platform.py "Upstream
# EPLB is only supported by Model Runner V2 on Ascend", 182b75ea); redundant slots are
# vllm-ascend's own, in --additional-config (see REDUNDANT; vendor software).
CAPABILITIES = {
    version: Capabilities(
        "vllm-project/vllm-ascend vllm_ascend/platform.py + vLLM fused_moe/config.py; TP "
        "across nodes: vLLM's executors, whose Ray placement only warns (ray_utils.py)",
        ep="world",
        even=False,
        redundant="additional_config",
        tp_spans="any",
    )
    for version in FLAGS
}
# Redundant expert slots, by version: (additional_config, environment).
# v0.11.0 ascend_config.py reads `init_redundancy_expert` (ops/common_fused_moe.py adds it
# to the global expert count). v0.23.0 reads `eplb_config.num_redundant_experts`, used only
# with `dynamic_eplb` (eplb/core/eplb_utils.py init_eplb_config), which asserts the
# DYNAMIC_EPLB environment switch (ascend_config.py EplbConfig._validate_config).
REDUNDANT = {
    "0.11.0": lambda n: ({"init_redundancy_expert": n}, {}),
    "0.23.0": lambda n: (
        {"eplb_config": {"dynamic_eplb": True, "num_redundant_experts": n}},
        {"DYNAMIC_EPLB": "true"},
    ),
}
# quantization.md: "specifying the `--quantization ascend` parameter" for ModelSlim W8A8 and
# W4A8 checkpoints (int4 experts ride on W8A8 ones).
QUANTIZATION = {"int8": "ascend", "int4": "ascend"}
# 16-bit KV is the default; INT8 KV (C8) comes with the checkpoint's quantization config,
# and on the 950 (A5) the engine itself keeps DeepSeek-V4's cache in FP8
# (vllm_ascend/models/layer/attention/layer.py get_kv_cache_spec, v0.23.0): no flag.
KV_CACHE = {"bf16": "auto", "fp16": "auto"}
KV_BY_ENGINE = ("int8", "fp8")


def _mooncake_config(build: Build, role: RolePlan) -> dict[str, Any]:
    """Mooncake's connector config: prefill produces, decode consumes, and each side is
    told the other's parallel layout. Its worker asserts `tp_size` and `dp_size` of both
    roles in `kv_connector_extra_config` at start (kv_p2p/mooncake_connector.py
    _get_prefill_decode_size at v0.23.0; distributed/mooncake_connector.py at v0.11.0) and
    reads `pp_size` (default 1; decode must be 1)."""
    by_role = {r.role: r for r in build.roles}
    extra = {}
    for name in ("prefill", "decode"):
        other = by_role[name]
        layout = {"tp_size": other.tp, "dp_size": other.dp}
        if other.pp > 1:
            layout["pp_size"] = other.pp
        extra[name] = layout
    kv_role = "kv_producer" if role.role == "prefill" else "kv_consumer"
    return {
        "kv_connector": "MooncakeConnectorV1",
        "kv_role": kv_role,
        "kv_connector_extra_config": extra,
    }


# vllm-project/vllm-ascend examples/disaggregated_prefill_v1/load_balance_proxy_server_example.py
# (v0.11.0 and v0.23.0; the images copy the repository to /vllm-workspace/vllm-ascend,
# Dockerfile.a3 `COPY . /vllm-workspace/vllm-ascend/`): the proxy the Mooncake connector
# guides run, sending each request to a prefill instance and then a decode one, which pulls
# the KV from the prefill's engine at the address that engine reports. A Service per role
# serves as its host on Kubernetes. Health: GET /healthcheck.
PROXY = "/vllm-workspace/vllm-ascend/examples/disaggregated_prefill_v1/load_balance_proxy_server_example.py"


def router(build: Build, endpoints: Endpoints) -> Launch | None:
    if not disaggregated(build):
        return None
    argv: list[Word] = ["python3", PROXY, "--host", "0.0.0.0", "--port", PORT]
    for side, where in (("prefiller", endpoints.prefill), ("decoder", endpoints.decode)):
        argv += [f"--{side}-hosts", *(address.host for address in where)]
        argv += [f"--{side}-ports", *(str(address.port) for address in where)]
    why = {PROXY: "vllm-ascend's proxy sends each request to prefill, then decode"}
    return Launch("router", 0, 1, argv, {}, build.port, "/healthcheck", why)


MOONCAKE = vllm.Connector(_mooncake_config, {})


def applies(build: Build) -> bool:
    return any(name in TOOLKITS for name in build.toolkits)


def _launches(build: Build, flags: Flags) -> list[Launch]:
    out = []
    for role in build.roles:
        nodes, _ = role_nodes(build, role)
        # HCCL binds to this address for its ranks on other nodes (vllm-ascend multi-node docs)
        env: dict[str, Word] = {"HCCL_IF_IP": NODE_ADDRESS} if nodes > 1 else {}
        launches = vllm.role_launches(
            build,
            role,
            flags,
            quantization=QUANTIZATION,
            env=env,
            connector=MOONCAKE,
            kv_cache=KV_CACHE,
        )
        out += [_with_redundant_experts(launch, role, flags) for launch in launches]
    return out


def _with_redundant_experts(launch: Launch, role: RolePlan, flags: Flags) -> Launch:
    """The launch with the plan's redundant expert slots stated, where it runs vLLM."""
    if role.ep == 1 or not role.extra_experts or launch.argv[:2] != ["vllm", "serve"]:
        return launch
    config, env = REDUNDANT[flags.version](role.extra_experts)
    flag = flags.flag("additional_config")
    slots = f"{role.extra_experts} redundant expert slots, as the plan places them"
    return launch._replace(
        argv=[*launch.argv, flag, json.dumps(config, sort_keys=True)],
        env={**launch.env, **env},
        why={**launch.why, flag: slots},
    )


def compute(build: Build) -> EngineOutput:
    flags, notices = select(build, FLAGS, "vllm-ascend")
    notices += vllm.ep_notices(build)
    notices += kv_cache_notices(build, KV_CACHE, "vllm-ascend", flags.version, KV_BY_ENGINE)
    return engine_files(build, _launches(build, flags), "vllm-ascend", flags, notices)


def emit(build: Build, engine: EngineOutput | None) -> Output:
    """The files of `compute(build)`, which `ccc.emit` made once for every target."""
    assert engine is not None, "ccc.emit computes an engine target's output before its emit"
    return Output(engine.artifacts)


degrees = vllm.degrees  # vllm-ascend takes vLLM's flags

"""Targets, vllm-ascend: vLLM's `vllm serve` on Ascend NPUs (a platform plugin), from the plan.

The degrees, multi-node layout and most flags are vLLM's (see `ccc.targets.vllm`). What
differs: W8A8 checkpoints made with ModelSlim need `--quantization ascend`; HCCL needs each
node's own address in `HCCL_IF_IP` when an instance spans nodes; prefill and decode exchange
KV through Mooncake (`MooncakeConnectorV1`, producer and consumer).
"""

from __future__ import annotations

from ccc.targets import vllm
from ccc.targets._base import NODE_ADDRESS, Build, Launch, Output, Word, role_nodes
from ccc.targets._capabilities import Capabilities
from ccc.targets._flags import Flags, select
from ccc.targets._launch import EngineOutput, engine_files

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
_FLAG_NAMES = {k: v for k, v in vllm.FLAG_NAMES.items() if k not in ("eplb", "redundant_experts")}
FLAGS = {
    "0.11.0": Flags(
        "0.11.0", "vllm-project/vllm-ascend v0.11.0 docs + vLLM v0.11.0 arg_utils", _FLAG_NAMES
    ),
    "0.23.0": Flags(
        "0.23.0", "vllm-project/vllm-ascend v0.23.0 docs + vLLM v0.23.0 arg_utils", _FLAG_NAMES
    ),
}
# vLLM's expert parallelism (EP = dp x tp, an uneven remainder to the lowest ranks). Redundant
# experts cannot be stated on the default model runner: vllm_ascend/platform.py rejects
# --enable-eplb with "Upstream EPLB is only supported by Model Runner V2 on Ascend"
# (vllm-project/vllm-ascend 182b75ea, vendor software); its own dynamic EPLB needs an
# environment switch and --additional-config ccc does not write.
CAPABILITIES = {
    version: Capabilities(
        "vllm-project/vllm-ascend vllm_ascend/platform.py + vLLM fused_moe/config.py; TP "
        "across nodes: vLLM's executors, whose Ray placement only warns (ray_utils.py)",
        ep="world",
        even=False,
        tp_spans="any",
    )
    for version in FLAGS
}
# quantization.md: "specifying the `--quantization ascend` parameter" for ModelSlim W8A8 and
# W4A8 checkpoints (int4 experts ride on W8A8 ones).
QUANTIZATION = {"int8": "ascend", "int4": "ascend"}
# 16-bit KV is the default; INT8 KV (C8) comes with the checkpoint's quantization config.
KV_CACHE = {"bf16": "auto", "fp16": "auto"}
KV_CONNECTOR = ("MooncakeConnectorV1", {"prefill": "kv_producer", "decode": "kv_consumer"})


def applies(build: Build) -> bool:
    return any(name in TOOLKITS for name in build.toolkits)


def _launches(build: Build, flags: Flags) -> list[Launch]:
    out = []
    for role in build.roles:
        nodes, _ = role_nodes(build, role)
        # HCCL binds to this address for its ranks on other nodes (vllm-ascend multi-node docs)
        env: dict[str, Word] = {"HCCL_IF_IP": NODE_ADDRESS} if nodes > 1 else {}
        out += vllm.role_launches(
            build,
            role,
            flags,
            quantization=QUANTIZATION,
            env=env,
            connector=KV_CONNECTOR,
            kv_cache=KV_CACHE,
        )
    return out


def compute(build: Build) -> EngineOutput:
    flags, notices = select(build, FLAGS, "vllm-ascend")
    notices += vllm.ep_notices(build)
    return engine_files(build, _launches(build, flags), "vllm-ascend", flags, notices)


def emit(build: Build, engine: EngineOutput | None) -> Output:
    """The files of `compute(build)`, which `ccc.emit` made once for every target."""
    assert engine is not None, "ccc.emit computes an engine target's output before its emit"
    return Output(engine.artifacts)


degrees = vllm.degrees  # vllm-ascend takes vLLM's flags

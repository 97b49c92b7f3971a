"""Targets, SGLang: `python3 -m sglang.launch_server` per node of each instance, from the plan.

SGLang's `--tp-size` is the instance's world size. With attention data parallelism (an MoE
model with dp > 1) attention runs tp-way inside each of `--dp-size` groups
(`--enable-dp-attention`), so ccc's tp x dp is the world; for a dense model `--dp-size`
starts dp copies of a tp-wide engine. Several nodes join through `--dist-init-addr` on
node 0 with `--nnodes` and `--node-rank`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ccc.plans import RolePlan
from ccc.targets._base import (
    LEADER_ADDRESS,
    NODE_RANK,
    Build,
    Launch,
    Output,
    Word,
    role_nodes,
)
from ccc.targets._capabilities import Capabilities
from ccc.targets._flags import Argv, Flags, count, select
from ccc.targets._launch import EngineOutput, engine_files

NAME = "sglang"
KIND = "engine"
TOOLKITS = ("sglang",)
DESCRIPTION = "SGLang: `sglang.launch_server` argv, environment and start script per node role"
NOT_OWNED: tuple[str, ...] = ()  # `ccc validate` compares every key and flag
PREFERENCE = 2  # see ccc.targets: the engines most deployments use first
HEALTH = "/health"
DIST_PORT = 20000  # the port SGLang's multi-node examples give --dist-init-addr

# docs/advanced_features/server_arguments.md (generated from server_args.py), SGLang 0.5.x.
FLAGS = {
    "0.5.3": Flags(
        "0.5.3",
        "sgl-project/sglang docs/advanced_features/server_arguments.md (0.5.x)",
        {
            "model": "--model-path",
            "name": "--served-model-name",
            "host": "--host",
            "port": "--port",
            "tp": "--tp-size",
            "pp": "--pp-size",
            "dp": "--dp-size",
            "ep": "--ep-size",
            "dp_attention": "--enable-dp-attention",
            "nnodes": "--nnodes",
            "node_rank": "--node-rank",
            "dist_init": "--dist-init-addr",
            "quantization": "--quantization",
            "kv_cache": "--kv-cache-dtype",
            "context": "--context-length",
            "memory_fraction": "--mem-fraction-static",
            "max_batch": "--max-running-requests",
            "pd_mode": "--disaggregation-mode",
            "pd_backend": "--disaggregation-transfer-backend",
            "device": "--device",
            "trust": "--trust-remote-code",
            "redundant_experts": "--ep-num-redundant-experts",
        },
    ),
}
# SGLang 0.5.3 (the sglang-0.5.3 wheel, vendor software): the MoE TP size is tp / ep
# (distributed/parallel_state.py), so EP is any divisor of the --tp-size world;
# eplb/expert_location.py asserts (routed + --ep-num-redundant-experts) % ep_size == 0, and
# fused_moe_triton/layer.py asserts num_experts % moe_ep_size == 0.
CAPABILITIES = {
    "0.5.3": Capabilities(
        "sgl-project/sglang 0.5.3 eplb/expert_location.py, distributed/parallel_state.py; "
        "TP across nodes: benchmark/deepseek_v3/README.md '--tp 16 ... --nnodes 2', "
        "server_args.py '(tp_size * pp_size) % nnodes == 0'",
        ep="divides",
        even=True,
        redundant="redundant_experts",
        tp_spans="any",
        # 0.5.3 tokenizer_manager.py: "(max_new_tokens + input_token_num) >= _max_req_len"
        # is refused; tp_worker.py max_req_len = context_len - 1 and scheduler.py clamps
        # max_new_tokens to max_req_len - len(input_ids) - 1: a whole request needs 2 more
        context_margin=2,
    ),
}
QUANTIZATION = {"fp8": "fp8"}  # int8 / int4 checkpoints carry their scheme in config.json
KV_CACHE = {"bf16": "auto", "fp16": "auto", "fp8": "fp8_e4m3"}  # choices: auto, fp8_e5m2, fp8_e4m3
NPU_VENDORS = ("Huawei",)  # docs/platforms/ascend_npu.md: `--device npu`


def applies(build: Build) -> bool:
    return any(name in TOOLKITS for name in build.toolkits)


def degrees(values: Mapping[str, str | None]) -> dict[str, int]:
    """The degrees a launch_server argv states: `--tp-size` is the world under attention DP."""
    world, dp = count(values, "tp"), count(values, "dp")
    tp = world // dp if "dp_attention" in values else world
    return {"tp": tp, "pp": count(values, "pp"), "dp": dp, "ep": count(values, "ep")}


def _launches(build: Build, flags: Flags) -> list[Launch]:
    return [launch for role in build.roles for launch in _role(build, role, flags)]


def compute(build: Build) -> EngineOutput:
    flags, notices = select(build, FLAGS, "SGLang")
    return engine_files(build, _launches(build, flags), "SGLang", flags, notices)


def emit(build: Build, engine: EngineOutput | None) -> Output:
    """The files of `compute(build)`, which `ccc.emit` made once for every target."""
    assert engine is not None, "ccc.emit computes an engine target's output before its emit"
    return Output(engine.artifacts)


def _role(build: Build, role: RolePlan, flags: Flags) -> list[Launch]:
    nodes, _ = role_nodes(build, role)
    argv, why = _serve(build, role, flags)
    leader = Launch(role.role, 0, nodes, argv, {}, build.port, HEALTH, why)
    if nodes == 1:
        return [leader]
    f = flags.flag
    spread: list[Word] = [
        f("nnodes"),
        str(nodes),
        f("dist_init"),
        LEADER_ADDRESS.then(f":{DIST_PORT}"),
        f("node_rank"),
        NODE_RANK,
    ]
    spread_why = {
        f("nnodes"): f"one instance spans {nodes} nodes",
        f("dist_init"): "node 0 of the instance initialises the process group",
        f("node_rank"): "this node's rank in the instance",
    }
    head = leader._replace(argv=argv + spread, why={**why, **spread_why})
    return [head, head._replace(node=1)]


def _serve(build: Build, role: RolePlan, flags: Flags) -> tuple[list[Word], dict[str, str]]:
    d = build.deployment
    plan = f"the plan's {role.role} instance"
    argv = Argv(flags, ["python3", "-m", "sglang.launch_server"])
    add = argv.add

    add("model", build.checkpoint, "the contract's checkpoint")
    add("name", build.name, "the deployment's name")
    add("host", "0.0.0.0", "serve on every interface of the pod or node")
    add("port", str(build.port), "the contract's port")
    attention_dp = role.dp > 1 and build.model.experts > 0
    world = role.tp * role.dp if attention_dp else role.tp
    add(
        "tp",
        str(world),
        f"{plan} has tp = {role.tp}" + (f" x dp = {role.dp}" if attention_dp else ""),
    )
    if role.pp > 1:
        add("pp", str(role.pp), f"{plan} has pp = {role.pp}")
    if role.dp > 1:
        add("dp", str(role.dp), f"{plan} has dp = {role.dp}")
    if attention_dp:
        add("dp_attention", None, "attention runs data-parallel, MoE over the whole instance")
    if role.ep > 1:
        add("ep", str(role.ep), f"{plan} has ep = {role.ep}")
    if role.ep > 1 and role.extra_experts:
        slots = build.model.experts + role.extra_experts
        add(
            "redundant_experts",
            str(role.extra_experts),
            f"{slots} expert slots divide ep = {role.ep} (SGLang asserts they do)",
        )
    if build.accelerator.vendor in NPU_VENDORS:
        add("device", "npu", "the accelerator is an Ascend NPU")
    if scheme := QUANTIZATION.get(d.weights or ""):
        add("quantization", scheme, f"the contract serves {d.weights} weights")
    kv = d.kv_cache or "bf16"
    if kv in KV_CACHE:
        add("kv_cache", KV_CACHE[kv], f"the contract's kv_cache = {kv}")
    argv.memory(role)
    performance = build.plan.performance
    if role.role != "prefill" and performance is not None:
        add(
            "max_batch",
            str(performance.batch),
            "sequences per instance at the plan's operating point",
        )
    if role.role in ("prefill", "decode"):
        add("pd_mode", role.role, "the deployment is disaggregated into prefill and decode")
        backend = "ascend" if build.accelerator.vendor in NPU_VENDORS else "mooncake"
        add("pd_backend", backend, f"KV moves between the roles over {backend}")
    return argv.words, argv.why

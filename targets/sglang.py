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
    PORT,
    Build,
    Endpoints,
    Launch,
    Output,
    Word,
    role_nodes,
)
from ccc.targets._capabilities import Capabilities, capabilities_for
from ccc.targets._flags import Argv, Flags, count, kv_cache_notices, select
from ccc.targets._launch import EngineOutput, engine_files, over_host_nics
from ccc.targets._router import disaggregated, discovery_words, url

NAME = "sglang"
KIND = "engine"
TOOLKITS = ("sglang",)
DESCRIPTION = "SGLang: `sglang.launch_server` argv, environment and start script per node role"
NOT_OWNED: tuple[str, ...] = ()  # `ccc validate` compares every key and flag
PREFERENCE = 2  # see ccc.targets: the engines most deployments use first
HEALTH = "/health"
DIST_PORT = 20000  # the port SGLang's multi-node examples give --dist-init-addr

# The flags of each release, read from its own parser (tests/data/engine_flags/sglang-*.json,
# extracted from the PyPI wheels by dev/engine_flags.py; vendor software).
_COMMON = {
    "model": "--model-path",
    "name": "--served-model-name",
    "host": "--host",
    "port": "--port",
    "tp": "--tp-size",
    "pp": "--pp-size",
    "dp": "--dp-size",
    "ep": "--ep-size",
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
    "bootstrap_port": "--disaggregation-bootstrap-port",
    "load_balance": "--load-balance-method",
    "moe_dense_tp": "--moe-dense-tp-size",
    "device": "--device",
    "trust": "--trust-remote-code",
    "redundant_experts": "--ep-num-redundant-experts",
}
FLAGS = {
    # 0.5.3: attention DP is `--dp-size N --enable-dp-attention`; a PD decode instance with
    # dp > 1 asserts `--prefill-round-robin-balance` (server_args.py _handle_disaggregation)
    "0.5.3": Flags(
        "0.5.3",
        "sgl-project/sglang 0.5.3 wheel: sglang/srt/server_args.py ServerArgs.add_cli_args",
        {
            **_COMMON,
            "dp_attention": "--enable-dp-attention",
            "prefill_rr": "--prefill-round-robin-balance",
        },
    ),
    # 0.5.23: `--enable-dp-attention` is deprecated (DeprecatedStoreTrueAction); attention DP
    # is `--attn-dp-size N`, `--dp-size` counts replicas (arg_groups/parallel_hook.py
    # handle_deprecated_dp_attention); the load test is `sglang.benchmark.serving`
    "0.5.23": Flags(
        "0.5.23",
        "sgl-project/sglang 0.5.23 wheel: sglang/srt/server_args.py, srt/arg_groups/",
        {**_COMMON, "attn_dp": "--attn-dp-size"},
    ),
}
BOOTSTRAP_PORT = 8998  # ServerArgs.disaggregation_bootstrap_port's default, both releases
# SGLang 0.5.3 (the sglang-0.5.3 wheel, vendor software): the MoE TP size is tp / ep
# (distributed/parallel_state.py), so EP is any divisor of the --tp-size world;
# eplb/expert_location.py asserts (routed + --ep-num-redundant-experts) % ep_size == 0, and
# fused_moe_triton/layer.py asserts num_experts % moe_ep_size == 0.
_CAPABILITIES = Capabilities(
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
)
# 0.5.23 keeps both: expert_location.py asserts num_physical_experts % ep_size == 0;
# tokenizer_manager.py refuses input + max_new_tokens > context_len and tp_worker.py caps a
# request at min(context_len - 1, ...) (the sglang-0.5.23 wheel, vendor software)
CAPABILITIES = {version: _CAPABILITIES for version in FLAGS}
QUANTIZATION = {"fp8": "fp8"}  # int8 / int4 checkpoints carry their scheme in config.json
# --kv-cache-dtype choices: 0.5.3 auto, fp8_e5m2, fp8_e4m3; 0.5.23 adds nvfp4 (FP4 E2M1 with
# FP8 block scales; on GPUs before SM100 prefill dequantises through FP8,
# arg_groups/kv_cache_hook.py), mxfp8, fp4_mx_block16
_KV_053 = {"bf16": "auto", "fp16": "auto", "fp8": "fp8_e4m3"}
KV_CACHE = {"0.5.3": _KV_053, "0.5.23": {**_KV_053, "fp4": "nvfp4"}}
NPU_VENDORS = ("Huawei",)  # docs/platforms/ascend_npu.md: `--device npu`


def applies(build: Build) -> bool:
    return any(name in TOOLKITS for name in build.toolkits)


def degrees(values: Mapping[str, str | None]) -> dict[str, int]:
    """The degrees a launch_server argv states: `--tp-size` is the world under attention DP
    (`--dp-size` with `--enable-dp-attention` in 0.5.3, `--attn-dp-size` from 0.5.23)."""
    world = count(values, "tp")
    if "attn_dp" in values:
        dp = count(values, "attn_dp")
        tp = world // dp
    else:
        dp = count(values, "dp")
        tp = world // dp if "dp_attention" in values else world
    return {"tp": tp, "pp": count(values, "pp"), "dp": dp, "ep": count(values, "ep")}


# sgl-project/sglang docs/advanced_features/pd_disaggregation.md: the router in PD mode,
# each prefill URL with its bootstrap port; on Kubernetes it watches the pods itself
# (--service-discovery, --prefill-selector / --decode-selector), reading the bootstrap port
# from the pod annotation `sglang.ai/bootstrap-port` (sglang_router 0.3.2 router_args.py)
ROUTER = ["python3", "-m", "sglang_router.launch_router"]
BOOTSTRAP_ANNOTATION = "sglang.ai/bootstrap-port"


def router(build: Build, endpoints: Endpoints) -> Launch | None:
    if not disaggregated(build):
        return None
    argv: list[Word] = [*ROUTER, "--pd-disaggregation", "--host", "0.0.0.0", "--port", PORT]
    found = endpoints.discovery
    if found is not None:
        argv += discovery_words(found)
    else:
        for address in endpoints.prefill:
            argv += ["--prefill", url(address), str(BOOTSTRAP_PORT)]
        for address in endpoints.decode:
            argv += ["--decode", url(address)]
    why = {"--pd-disaggregation": "each request goes to a prefill and a decode instance"}
    return Launch("router", 0, 1, argv, {}, build.port, HEALTH, why, watches_pods=found is not None)


def _launches(build: Build, flags: Flags) -> list[Launch]:
    return over_host_nics([launch for role in build.roles for launch in _role(build, role, flags)])


def compute(build: Build) -> EngineOutput:
    flags, notices = select(build, FLAGS, "SGLang")
    notices += kv_cache_notices(build, KV_CACHE[flags.version], "SGLang", flags.version)
    return engine_files(build, _launches(build, flags), "SGLang", flags, notices)


def emit(build: Build, engine: EngineOutput | None) -> Output:
    """The files of `compute(build)`, which `ccc.emit` made once for every target."""
    assert engine is not None, "ccc.emit computes an engine target's output before its emit"
    return Output(engine.artifacts)


def _role(build: Build, role: RolePlan, flags: Flags) -> list[Launch]:
    nodes, _ = role_nodes(build, role)
    argv, why = _serve(build, role, flags)
    # the router finds a prefill instance's bootstrap server from this annotation
    annotations = ((BOOTSTRAP_ANNOTATION, str(BOOTSTRAP_PORT)),) if role.role == "prefill" else ()
    ports = (("bootstrap", BOOTSTRAP_PORT),) if role.role == "prefill" else ()
    leader = Launch(
        role.role, 0, nodes, argv, {}, build.port, HEALTH, why,
        annotations=annotations, ports=ports,
    )  # fmt: skip
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
    add("name", build.served_name, "the checkpoint's name, as clients send it")
    add("host", "0.0.0.0", "serve on every interface of the pod or node")
    argv.add_values(
        "port",
        [PORT],
        f"the contract's port ({build.port}), or the runner's for an instance packed beside others",
    )
    attention_dp = role.dp > 1 and build.model.experts > 0
    world = role.tp * role.dp if attention_dp else role.tp
    add(
        "tp",
        str(world),
        f"{plan} has tp = {role.tp}" + (f" x dp = {role.dp}" if attention_dp else ""),
    )
    if role.pp > 1:
        add("pp", str(role.pp), f"{plan} has pp = {role.pp}")
    if attention_dp and flags.states("attn_dp"):
        add("attn_dp", str(role.dp), f"{plan} has dp = {role.dp}: attention runs data-parallel")
    elif role.dp > 1:
        add("dp", str(role.dp), f"{plan} has dp = {role.dp}")
    if attention_dp and flags.states("dp_attention"):
        add("dp_attention", None, "attention runs data-parallel, MoE over the whole instance")
    if attention_dp and role.tp == 1:
        # otherwise the dense layers split over the whole world, not the plan's tp = 1
        # (0.5.x allows only 1 or unset: server_args.py "moe_dense_tp_size only support 1")
        add("moe_dense_tp", "1", "the dense layers run whole on each DP rank, as planned")
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
    if kv in KV_CACHE[flags.version]:
        add("kv_cache", KV_CACHE[flags.version][kv], f"the contract's kv_cache = {kv}")
    argv.memory(build, role, capabilities_for(CAPABILITIES, flags.version).context_margin)
    performance = build.plan.performance
    if role.role != "prefill" and performance is not None:
        add(
            "max_batch",
            str(performance.batch),
            "sequences per instance at the plan's operating point",
        )
    if role.role in ("prefill", "decode"):
        _disaggregated(build, role, flags, argv)
    return argv.words, argv.why


def _disaggregated(build: Build, role: RolePlan, flags: Flags, argv: Argv) -> None:
    """The flags of a prefill or decode instance (docs/advanced_features/pd_disaggregation.md).
    The router sends each request to a prefill instance and a decode one; the decode side
    fetches the KV through the prefill's bootstrap server."""
    add = argv.add
    add("pd_mode", role.role, "the deployment is disaggregated into prefill and decode")
    backend = "ascend" if build.accelerator.vendor in NPU_VENDORS else "mooncake"
    add("pd_backend", backend, f"KV moves between the roles over {backend}")
    if role.role == "prefill":
        add("bootstrap_port", str(BOOTSTRAP_PORT), "decode instances fetch KV through it")
    if role.dp > 1 and flags.states("prefill_rr"):
        # 0.5.3's decode asserts it whenever dp_size > 1 (attention DP or not), and that the
        # prefill balances round robin
        if role.role == "decode":
            add("prefill_rr", None, "the prefill side balances its DP ranks round robin")
        else:
            add("load_balance", "round_robin", "decode finds the prefill's DP rank by order")

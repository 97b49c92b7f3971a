"""What `ccc compile` writes must start and serve as written: the rules the engines' own code
enforces at start-up or on the first request, each found by running the emitted launches
through that code (issue 28), as a regression test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.test_compile import emitted

EXAMPLES = ROOT / "examples"
CM384 = EXAMPLES / "cloudmatrix384_deepseek_r1_pd.cc"
H200 = EXAMPLES / "h200_qwen3_32b.cc"
P800 = EXAMPLES / "p800_supernode64_deepseek_v3.cc"


def launches(files: dict[str, bytes], path: str) -> list[dict]:
    return json.loads(files[path])["launches"]


def value(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def variant(tmp_path: Path, source: Path, *edits: tuple[str, str]) -> Path:
    text = source.read_text("utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(text, "utf-8")
    return path


def on_sglang(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The H200 example launched by SGLang instead of vLLM."""
    return variant(
        tmp_path,
        H200,
        ("toolkit = vllm", "toolkit = sglang"),
        ('"std/toolkits/vllm"', '"std/toolkits/sglang"'),
        ('engine_version = "0.11.0"', 'engine_version = "0.5.23"'),
        *edits,
    )


@pytest.fixture(scope="module")
def cm384() -> dict[str, bytes]:
    return emitted(CM384)


def test_the_mooncake_connector_is_told_both_roles_layouts(cm384: dict[str, bytes]) -> None:
    """vllm-ascend's Mooncake worker asserts prefill and decode tp_size and dp_size in
    kv_connector_extra_config at start."""
    plan = json.loads(cm384["r1_pd/plan/plan.json"])["plan"]["roles"]
    expected = {r["role"]: {"tp_size": r["tp"], "dp_size": r["dp"]} for r in plan}
    for launch in launches(cm384, "r1_pd/vllm_ascend/launch.json"):
        config = json.loads(value(launch["argv"], "--kv-transfer-config"))
        assert config["kv_connector"] == "MooncakeConnectorV1"
        assert (
            config["kv_role"] == {"prefill": "kv_producer", "decode": "kv_consumer"}[launch["role"]]
        )
        assert config["kv_connector_extra_config"] == expected


def test_redundant_experts_reach_vllm_ascend(cm384: dict[str, bytes]) -> None:
    """The decode plan's 64 extra slots are stated, with the switch v0.23.0 asserts."""
    [decode] = [
        r
        for r in json.loads(cm384["r1_pd/plan/plan.json"])["plan"]["roles"]
        if r["role"] == "decode"
    ]
    assert decode["extra_experts"] == 64
    for launch in launches(cm384, "r1_pd/vllm_ascend/launch.json"):
        if launch["role"] != "decode":
            assert "--additional-config" not in launch["argv"]
            continue
        config = json.loads(value(launch["argv"], "--additional-config"))
        assert config == {"eplb_config": {"dynamic_eplb": True, "num_redundant_experts": 64}}
        assert launch["env"]["DYNAMIC_EPLB"] == "true"


def test_vllm_states_its_api_server_count_on_the_leader_only(cm384: dict[str, bytes]) -> None:
    """vLLM >= 0.23 starts one API server per DP rank of the whole instance unless told;
    workers are `--headless`, beside which vLLM 0.34 refuses a count."""
    for launch in launches(cm384, "r1_pd/vllm_ascend/launch.json"):
        argv = launch["argv"]
        if launch["node"] == "leader":
            assert int(value(argv, "--api-server-count")) == int(
                value(argv, "--data-parallel-size-local")
            )
        else:
            assert "--headless" in argv and "--api-server-count" not in argv


def test_the_served_name_is_the_checkpoints_with_the_deployment_as_alias(
    cm384: dict[str, bytes],
) -> None:
    [first, *_] = launches(cm384, "r1_pd/vllm_ascend/launch.json")
    at = first["argv"].index("--served-model-name")
    assert first["argv"][at + 1 : at + 3] == ["deepseek-ai/DeepSeek-R1", "r1_pd"]
    bench = json.loads(cm384["r1_pd/bench/bench.json"])
    assert value(bench["argv"], "--model") == "deepseek-ai/DeepSeek-R1"


def test_every_role_takes_the_whole_request(cm384: dict[str, bytes]) -> None:
    """A prefill instance is sent the request's output length too; the context covers it."""
    for launch in launches(cm384, "r1_pd/vllm_ascend/launch.json"):
        assert int(value(launch["argv"], "--max-model-len")) > 4096 + 1024


def test_sglang_context_leaves_the_two_tokens_it_needs(tmp_path: Path) -> None:
    """SGLang refuses input + max_new_tokens > context and caps a request at context - 1
    (then - 1 more for the output): a request of exactly input + output needs 2 more."""
    files = emitted(on_sglang(tmp_path))
    [launch] = launches(files, "qwen3_chat/sglang/launch.json")
    bench = json.loads(files["qwen3_chat/bench/bench.json"])
    longest = bench["input_tokens"] + bench["output_tokens"]
    assert int(value(launch["argv"], "--context-length")) >= longest + 2


def test_an_fp4_kv_cache_sglang_cannot_name_is_cc5005(tmp_path: Path) -> None:
    from ccc.api import compile
    from ccc.front.resolve import Options

    path = on_sglang(tmp_path, ("kv_cache = bf16", "kv_cache = fp4"), ('"0.5.23"', '"0.5.3"'))
    result = compile([path], Options(cwd=ROOT))
    [found] = [d for d in result.diagnostics if d.code == "CC5005"]
    assert "fp4" in found.message and found.span is not None
    assert found.span.line == path.read_text().splitlines().index("  kv_cache = fp4") + 1


def test_sglang_0_5_23_names_the_fp4_kv_cache(tmp_path: Path) -> None:
    path = on_sglang(tmp_path, ("kv_cache = bf16", "kv_cache = fp4"))
    [launch] = launches(emitted(path), "qwen3_chat/sglang/launch.json")
    assert value(launch["argv"], "--kv-cache-dtype") == "nvfp4"


def test_no_two_slurm_instances_on_a_node_share_a_port() -> None:
    """Instances of one array may share a node: each task serves on its own port."""
    files = emitted(H200)
    plan = json.loads(files["qwen3_chat/plan/plan.json"])["plan"]["roles"][0]
    assert plan["replicas"] > 1 and plan["instance_devices"] < 8
    batch = files["qwen3_chat/slurm/qwen3_chat.sbatch"].decode()
    assert "#SBATCH --exclusive" not in batch
    assert 'export CCC_PORT="$((8000 + ${SLURM_ARRAY_TASK_ID:-0}))"' in batch
    ports = {8000 + task for task in range(plan["replicas"])}
    assert len(ports) == plan["replicas"]
    script = files["qwen3_chat/slurm/serve-serve.sh"].decode()
    assert ': "${CCC_PORT:=8000}"' in script and '--port "${CCC_PORT}"' in script


def test_kubernetes_pods_keep_the_contracts_port() -> None:
    files = emitted(H200)
    [deployment, _service] = list(yaml.safe_load_all(files["qwen3_chat/k8s/qwen3-chat.yaml"]))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert value(container["args"], "--port") == "8000"


def test_the_contracts_gres_name_is_used_and_passes_validate(tmp_path: Path) -> None:
    from ccc.api import validate
    from ccc.emit import write_tree
    from ccc.front.resolve import Options

    source = EXAMPLES / "p800_fastdeploy_ernie.cc"
    path = variant(
        tmp_path,
        source,
        ("deployment ernie_chat {", 'deployment ernie_chat {\n  scheduling { slurm_gres = "xpu" }'),
    )
    files = emitted(path)
    batch = next(v.decode() for k, v in files.items() if k.endswith(".sbatch"))
    assert re.search(r"#SBATCH --gres=xpu:\d+", batch)
    out = tmp_path / "out"
    write_tree(out, files)
    result = validate(out, [path], Options(cwd=ROOT))
    assert not [d for d in result.diagnostics if d.code.startswith("CC6")]
    assert not [d for d in result.diagnostics if d.code == "CC5003" and "gres" in d.message]


def test_fastdeploy_finds_each_instances_nodes_at_start() -> None:
    """Every replica got the same fixed `--ips`; now the runner resolves its own nodes."""
    files = emitted(P800)
    [leader, worker] = launches(files, "v3_chat/fastdeploy/launch.json")
    assert (
        value(leader["argv"], "--ips") == value(worker["argv"], "--ips") == "${CCC_NODE_ADDRESSES}"
    )
    lws = next(
        d
        for d in yaml.safe_load_all(files["v3_chat/k8s/v3-chat.yaml"])
        if d["kind"] == "LeaderWorkerSet"
    )
    for template in ("leaderTemplate", "workerTemplate"):
        args = lws["spec"]["leaderWorkerTemplate"][template]["spec"]["containers"][0]["args"][0]
        assert "LWS_GROUP_SIZE" in args and "getent hosts" in args
        assert args.index("CCC_NODE_ADDRESSES=") < args.index("--ips")
    batch = files["v3_chat/slurm/v3_chat.sbatch"].decode()
    assert 'CCC_NODE_ADDRESSES="$(for h in $(scontrol show hostnames' in batch


def test_start_scripts_default_the_node_address() -> None:
    """`serve-*.sh` run by hand stopped at `CCC_NODE_ADDRESS: unbound variable`."""
    script = emitted(CM384)["r1_pd/vllm_ascend/serve-prefill.sh"].decode()
    assert "HCCL_IF_IP" in script
    assert ': "${CCC_NODE_ADDRESS:=$(hostname -I | cut -d " " -f 1)}"' in script

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


SGLANG_PD = EXAMPLES / "h200_sglang_deepseek_v3_pd.cc"


def documents(files: dict[str, bytes], path: str) -> list[dict]:
    return list(yaml.safe_load_all(files[path]))


def test_the_cloudmatrix_pd_example_is_served_through_vllm_ascends_proxy(
    cm384: dict[str, bytes],
) -> None:
    """bench.sh called `http://r1-pd:8000`, a Service that did not exist."""
    router = documents(cm384, "r1_pd/k8s/r1-pd-router.yaml")
    [deployment] = [d for d in router if d["kind"] == "Deployment"]
    [service] = [d for d in router if d["kind"] == "Service"]
    assert service["metadata"]["name"] == "r1-pd"
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[0].endswith("disaggregated_prefill_v1/load_balance_proxy_server_example.py")
    assert value(args, "--prefiller-hosts") == "r1-pd-prefill"
    assert value(args, "--decoder-hosts") == "r1-pd-decode"
    services = {
        d["metadata"]["name"]
        for path in ("r1_pd/k8s/r1-pd-prefill.yaml", "r1_pd/k8s/r1-pd-decode.yaml")
        for d in documents(cm384, path)
        if d["kind"] == "Service"
    }
    assert services == {"r1-pd-prefill", "r1-pd-decode"}
    plan = json.loads(cm384["r1_pd/plan/plan.json"])
    bench = cm384["r1_pd/bench/bench.sh"].decode()
    assert plan["endpoint"] == "http://r1-pd:8000"
    assert ': "${CCC_BASE_URL:=http://r1-pd:8000}"' in bench


def test_sglangs_router_finds_the_instances_and_their_bootstrap_ports() -> None:
    files = emitted(SGLANG_PD)
    router = documents(files, "v3_pd/k8s/v3-pd-router.yaml")
    kinds = [d["kind"] for d in router]
    assert kinds == ["ServiceAccount", "Role", "RoleBinding", "Deployment", "Service"]
    [deployment] = [d for d in router if d["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "v3-pd-router"
    args = pod["containers"][0]["args"]
    assert args[:2] == ["-m", "sglang_router.launch_router"]
    assert "--pd-disaggregation" in args and "--service-discovery" in args
    assert "app.kubernetes.io/component=prefill" in args
    [role] = [d for d in router if d["kind"] == "Role"]
    assert role["rules"][0]["verbs"] == ["get", "list", "watch"]
    [prefill] = [
        d for d in documents(files, "v3_pd/k8s/v3-pd-prefill.yaml") if d["kind"] == "Deployment"
    ]
    notes = prefill["spec"]["template"]["metadata"]["annotations"]
    assert notes == {"sglang.ai/bootstrap-port": "8998"}
    ports = prefill["spec"]["template"]["spec"]["containers"][0]["ports"]
    assert {"name": "bootstrap", "containerPort": 8998, "protocol": "TCP"} in ports
    [p, d] = launches(files, "v3_pd/sglang/launch.json")
    assert value(p["argv"], "--disaggregation-bootstrap-port") == "8998"
    assert "--prefill-round-robin-balance" in d["argv"]  # 0.5.3 asserts it for dp > 1


def test_slurm_runs_a_disaggregated_deployment_as_one_job_with_its_router() -> None:
    files = emitted(SGLANG_PD)
    assert [k for k in files if k.startswith("v3_pd/slurm/") and k.endswith(".sbatch")] == [
        "v3_pd/slurm/v3_pd.sbatch"
    ]
    batch = files["v3_pd/slurm/v3_pd.sbatch"].decode()
    assert "#SBATCH --nodes=2" in batch and "#SBATCH --gres=gpu:8" in batch
    router = next(line for line in batch.splitlines() if "sglang_router.launch_router" in line)
    assert "--overlap" in router and "--port 30001" in router
    assert '--prefill http://"${CCC_HOSTS[0]}":30000 8998' in router
    assert '--decode http://"${CCC_HOSTS[1]}":30000' in router
    assert batch.rstrip().endswith(
        "wait -n  # the deployment is down when any instance or the router is"
    )


def test_packed_pd_instances_under_slurm_answer_on_their_own_ports(tmp_path: Path) -> None:
    """Qwen3-32B on two H200 servers: two tp-2 prefill instances share the first, each on
    its own port, a tp-4 decode one takes the second, and the router calls each on its own."""
    path = on_sglang(
        tmp_path,
        ("nodes = 1", "nodes = 2"),
        (
            "  workload {",
            "  prefill {\n    devices = 4\n    replicas = 2\n    parallel {\n      tp = 2\n      dp = 1\n    }\n  }\n"
            "  decode {\n    devices = 4\n    parallel {\n      tp = 4\n      dp = 1\n    }\n  }\n  workload {",
        ),
    )
    path.write_text(re.sub(r"\n  parallel \{[^}]*\}", "", path.read_text()))
    files = emitted(path)
    batch = files["qwen3_chat/slurm/qwen3_chat.sbatch"].decode()
    steps = [line for line in batch.splitlines() if "srun" in line and "serve-" in line]
    ports = [re.search(r"CCC_PORT=(\d+)", step).group(1) for step in steps]
    assert ports == ["8000", "8001", "8000"]
    assert "#SBATCH --nodes=2" in batch
    router = next(line for line in batch.splitlines() if "sglang_router.launch_router" in line)
    for port in ("8000", "8001"):
        assert f":{port} 8998" in router
    assert '--decode http://"${CCC_HOSTS[1]}":8000' in router and "--port 8002" in router


def pod_of(files: dict[str, bytes], path: str) -> dict:
    for document in documents(files, path):
        if document["kind"] == "Deployment":
            return document["spec"]["template"]["spec"]
        if document["kind"] == "LeaderWorkerSet":
            return document["spec"]["leaderWorkerTemplate"]["leaderTemplate"]["spec"]
    raise AssertionError(f"no pod in {path}")


def test_a_checkpoint_path_is_mounted_from_the_node(cm384: dict[str, bytes]) -> None:
    pod = pod_of(cm384, "r1_pd/k8s/r1-pd-decode.yaml")
    [weights] = [v for v in pod["volumes"] if v["name"] == "weights"]
    assert weights["hostPath"] == {"path": "/models/DeepSeek-R1-w8a8", "type": "Directory"}
    mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
    assert mounts["weights"] == {
        "name": "weights",
        "mountPath": "/models/DeepSeek-R1-w8a8",
        "readOnly": True,
    }


def test_a_repository_id_keeps_its_cache_and_token_where_the_contract_says() -> None:
    pod = pod_of(emitted(H200), "qwen3_chat/k8s/qwen3-chat.yaml")
    [cache] = [v for v in pod["volumes"] if v["name"] == "hf-cache"]
    assert cache["persistentVolumeClaim"] == {"claimName": "hf-cache"}
    env = {e["name"]: e for e in pod["containers"][0]["env"]}
    assert env["HF_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "hf-token", "key": "token"}
    assert env["HF_HOME"]["value"] == "/root/.cache/huggingface"
    mounts = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
    assert mounts["hf-cache"] == "/root/.cache/huggingface"


def test_a_repository_id_with_nowhere_to_keep_it_is_cc5007(tmp_path: Path) -> None:
    from ccc.api import compile
    from ccc.front.resolve import Options

    text = H200.read_text()
    start, end = text.index("  storage {"), text.index("  }\n", text.index("  storage {")) + 4
    path = tmp_path / H200.name
    path.write_text(text[:start] + text[end:])
    result = compile([path], Options(cwd=ROOT))
    [found] = [d for d in result.diagnostics if d.code == "CC5007"]
    assert (
        found.span.line
        == path.read_text().splitlines().index('  checkpoint = "Qwen/Qwen3-32B"') + 1
    )


def test_without_the_ascend_runtime_pods_mount_the_driver_and_devices(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        CM384,
        (
            'supernode_key = "example.com/supernode"',
            'supernode_key = "example.com/supernode"\n    device_mounts = manifest\n    host_network = true',
        ),
    )
    pod = pod_of(emitted(path), "r1_pd/k8s/r1-pd-prefill.yaml")
    paths = {v["hostPath"]["path"] for v in pod["volumes"] if "hostPath" in v}
    assert {"/usr/local/Ascend/driver", "/usr/local/sbin/npu-smi", "/dev/davinci_manager"} <= paths
    assert pod["containers"][0]["securityContext"] == {"privileged": True}
    assert pod["hostNetwork"] is True and pod["dnsPolicy"] == "ClusterFirstWithHostNet"


def test_with_the_runtime_pods_mount_no_driver(cm384: dict[str, bytes]) -> None:
    pod = pod_of(cm384, "r1_pd/k8s/r1-pd-prefill.yaml")
    assert not any(
        v.get("hostPath", {}).get("path", "").startswith("/usr/local/Ascend")
        for v in pod["volumes"]
    )
    assert "hostNetwork" not in pod and "securityContext" not in pod["containers"][0]


def test_a_dense_sglang_0_5_3_decode_with_dp_gets_the_round_robin_flag(tmp_path: Path) -> None:
    """0.5.3's server_args.py asserts --prefill-round-robin-balance on a decode instance
    whenever dp_size > 1, a dense model's replicas-in-one-engine included."""
    path = on_sglang(
        tmp_path,
        ("nodes = 1", "nodes = 2"),
        ('"0.5.23"', '"0.5.3"'),
        (
            "  workload {",
            "  prefill {\n    devices = 8\n    parallel {\n      tp = 4\n      dp = 2\n    }\n  }\n"
            "  decode {\n    devices = 8\n    parallel {\n      tp = 4\n      dp = 2\n    }\n  }\n"
            "  workload {",
        ),
    )
    path.write_text(re.sub(r"\n  parallel \{[^}]*\}", "", path.read_text()))
    [prefill, decode] = launches(emitted(path), "qwen3_chat/sglang/launch.json")
    assert "--enable-dp-attention" not in decode["argv"]  # a dense model: no attention DP
    assert "--prefill-round-robin-balance" in decode["argv"]
    assert value(prefill["argv"], "--load-balance-method") == "round_robin"


def _rdma_of(pod: dict) -> tuple[set[str], dict, dict]:
    """The host paths, security context and extended resources of a pod's engine."""
    container = pod["containers"][0]
    paths = {v["hostPath"]["path"] for v in pod["volumes"] if "hostPath" in v}
    return paths, container.get("securityContext", {}), container["resources"]["limits"]


def test_sglang_pd_pods_get_the_hosts_rdma_devices_as_sglangs_guide_does() -> None:
    """SGLang's Mooncake transfer initialises with protocol `rdma` (MOONCAKE_PROTOCOL's
    default) and raises without RDMA devices: every prefill and decode pod has them."""
    files = emitted(SGLANG_PD)
    for role in ("prefill", "decode"):
        paths, security, _ = _rdma_of(pod_of(files, f"v3_pd/k8s/v3-pd-{role}.yaml"))
        assert "/dev/infiniband" in paths
        assert security == {"privileged": True, "capabilities": {"add": ["IPC_LOCK"]}}
    for launch in launches(files, "v3_pd/sglang/launch.json"):
        assert launch["rdma"] is True
    router = pod_of(files, "v3_pd/k8s/v3-pd-router.yaml")
    assert "securityContext" not in router["containers"][0]


def test_a_stated_rdma_resource_is_requested_instead_of_host_devices(tmp_path: Path) -> None:
    source = EXAMPLES / "h200_sglang_deepseek_v3_pd.cc"
    edit = ('slurm_gres = "gpu"', 'slurm_gres = "gpu"\n    rdma_resource = "rdma/ib"')
    files = emitted(variant(tmp_path, source, edit))
    paths, security, limits = _rdma_of(pod_of(files, "v3_pd/k8s/v3-pd-decode.yaml"))
    assert "/dev/infiniband" not in paths
    assert security == {"capabilities": {"add": ["IPC_LOCK"]}}
    assert limits == {"nvidia.com/gpu": 8, "rdma/ib": 1}


def test_rdma_given_by_the_sites_runtime_adds_nothing(tmp_path: Path) -> None:
    source = EXAMPLES / "h200_sglang_deepseek_v3_pd.cc"
    edit = ('slurm_gres = "gpu"', 'slurm_gres = "gpu"\n    rdma_devices = runtime')
    paths, security, limits = _rdma_of(
        pod_of(emitted(variant(tmp_path, source, edit)), "v3_pd/k8s/v3-pd-prefill.yaml")
    )
    assert "/dev/infiniband" not in paths and security == {}
    assert limits == {"nvidia.com/gpu": 8}


def test_pods_that_use_no_host_rdma_nic_get_none(cm384: dict[str, bytes]) -> None:
    """A one-node instance keeps its collectives inside the node; Ascend's HCCL and
    vllm-ascend's Mooncake (protocol `ascend`) use the NPUs' own NICs."""
    for files, path in ((emitted(H200), "qwen3_chat/k8s/qwen3-chat.yaml"),
                        (cm384, "r1_pd/k8s/r1-pd-decode.yaml")):  # fmt: skip
        paths, security, _ = _rdma_of(pod_of(files, path))
        assert "/dev/infiniband" not in paths and "capabilities" not in security


def test_an_instance_over_nodes_gets_the_rdma_devices() -> None:
    files = emitted(EXAMPLES / "hgx_h100_llama405b_two_nodes.cc")
    paths, security, _ = _rdma_of(pod_of(files, "llama405b/k8s/llama405b.yaml"))
    assert "/dev/infiniband" in paths and security["capabilities"] == {"add": ["IPC_LOCK"]}

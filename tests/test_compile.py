"""`ccc compile`: every target of every example against its golden files, and the facts the
files must hold whatever the goldens say (device counts, world sizes, rank tables), schema
validity (Kubernetes, LeaderWorkerSet, plan.json), determinism and atomic writes.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from ccc.api import compile
from ccc.cli import main
from ccc.front.resolve import Options
from ccc.schemas import schema_json
from ccc.targets import load
from ccc.targets._base import Inventory, InventoryHost

from tests.conftest import ROOT, TESTS
from tests.test_targets import stated

EXAMPLES = sorted((ROOT / "examples").glob("*.cc"))
GOLDEN = TESTS / "golden" / "compile"
LWS_SCHEMA = TESTS / "data" / "lws" / "leaderworkerset-v1.schema.json"
KUBERNETES = (
    "1.37.0"  # the newest Kubernetes kubernetes-validate 1.37.0 knows (utils.latest_version)
)


def emitted(path: Path, **kwargs) -> dict[str, bytes]:
    result = compile([path], Options(cwd=ROOT), **kwargs)
    assert result.emitted is not None, [d.message for d in result.diagnostics]
    return result.emitted.files


@pytest.fixture(scope="module")
def compiled() -> dict[str, dict[str, bytes]]:
    return {path.stem: emitted(path) for path in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_target_matches_its_golden_files(path: Path, compiled, update_golden: bool) -> None:
    files = compiled[path.stem]
    folder = GOLDEN / path.stem
    if update_golden:
        for old in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
            old.unlink() if old.is_file() else old.rmdir()
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk == set(files)
    for name, data in files.items():
        assert (folder / name).read_bytes() == data, name


def manifests(files: dict[str, bytes]) -> list[dict]:
    return [
        document
        for name, data in sorted(files.items())
        if "/k8s/" in name
        for document in yaml.safe_load_all(data)
    ]


def test_every_kubernetes_object_validates_against_the_kubernetes_schemas(compiled) -> None:
    import kubernetes_validate
    from kubernetes_validate.utils import latest_version

    assert latest_version() == KUBERNETES  # the newest schemas the validator ships

    lws = json.loads(LWS_SCHEMA.read_text(encoding="utf-8"))
    kinds = set()
    for files in compiled.values():
        for document in manifests(files):
            kinds.add(document["kind"])
            if document["kind"] == "LeaderWorkerSet":
                jsonschema.validate(document, lws)
            else:
                kubernetes_validate.validate(document, KUBERNETES, strict=True)
    assert {"Deployment", "Service", "LeaderWorkerSet", "ConfigMap", "Role", "RoleBinding"} <= kinds


def _plan(files: dict[str, bytes]) -> dict:
    [name] = [n for n in files if n.endswith("plan/plan.json")]
    return json.loads(files[name])


def test_device_counts_and_world_sizes_follow_the_plan(compiled) -> None:
    for stem, files in compiled.items():
        plan = _plan(files)
        roles = {r["role"]: r for r in plan["plan"]["roles"]}
        for document in manifests(files):
            if document["kind"] not in ("Deployment", "LeaderWorkerSet"):
                continue
            component = document["metadata"]["labels"]["app.kubernetes.io/component"]
            if component == "router":  # one pod, no accelerators
                assert document["spec"]["replicas"] == 1
                assert "resources" not in document["spec"]["template"]["spec"]["containers"][0]
                continue
            role = roles[component]
            assert document["spec"]["replicas"] == role["replicas"], stem
            if document["kind"] == "Deployment":
                size, pods = 1, [document["spec"]["template"]["spec"]]
            else:
                template = document["spec"]["leaderWorkerTemplate"]
                size = template["size"]
                pods = [template["leaderTemplate"]["spec"], template["workerTemplate"]["spec"]]
            for pod in pods:
                [limit] = pod["containers"][0]["resources"]["limits"].values()
                assert limit * size == role["instance_devices"], stem
                assert limit <= _devices_per_node(plan, role)


def _devices_per_node(plan: dict, role: dict) -> int:
    return max(r["local"] for r in role["ranks"]) + 1


def test_engine_degrees_multiply_to_the_instance(compiled) -> None:
    """The degrees each engine's launch states, read by concept through the engine target's
    own flags (and the config files it reads), multiply to the plan's instance."""
    for stem, files in compiled.items():
        roles = {r["role"]: r for r in _plan(files)["plan"]["roles"]}
        for name, data in files.items():
            if not name.endswith("launch.json"):
                continue
            engine = load(name.split("/")[1])
            document = json.loads(data)
            concepts = engine.FLAGS[document["engine_version"]].flags
            for launch in document["launches"]:
                if launch["node"] != "leader":
                    continue
                read = [
                    json.loads(files[f"{name.rpartition('/')[0]}/{path}"])
                    for path in launch["files"]
                ]
                degrees = engine.degrees(stated(concepts, launch["argv"], read))
                world = degrees.get("tp", 1) * degrees.get("pp", 1) * degrees.get("dp", 1)
                assert world == roles[launch["role"]]["instance_devices"], (stem, name)


def _flags(argv: list[str]) -> dict[str, str | None]:
    flags: dict[str, str | None] = {}
    for i, word in enumerate(argv):
        if word.startswith("--"):
            following = argv[i + 1] if i + 1 < len(argv) else None
            flags[word] = None if following is None or following.startswith("--") else following
    return flags


MINDIE_TWO_SERVERS = """
import "std/ascend"
import "std/models/llama"
import "std/toolkits/mindie"

cluster cm {
  supernode = cloudmatrix384
  supernodes = 1
}

deployment big {
  model = llama3_1_405b
  cluster = cm
  toolkit = mindie
  weights = int8
  kv_cache = bf16
  image = "registry.example.com/mindie:2.1"
  devices = 32
  parallel {
    tp = 32
    dp = 1
    pp = 1
  }
}
"""


def _inventory(hosts: int, devices: int) -> Inventory:
    return Inventory(
        hosts=[
            InventoryHost(
                name=f"node{h}",
                address=f"10.0.0.{h + 1}",
                device_ips=[f"192.168.{h}.{d}" for d in range(devices)],
            )
            for h in range(hosts)
        ]
    )


def test_mindie_rank_table_covers_each_device_once(tmp_path: Path) -> None:
    contract = tmp_path / "big.cc"
    contract.write_text(MINDIE_TWO_SERVERS, encoding="utf-8")
    result = compile([contract], Options(cwd=tmp_path), inventory=_inventory(2, 16))
    assert result.emitted is not None
    placeholders = [d.message for d in result.diagnostics if d.code == "CC5003"]
    assert not [m for m in placeholders if "ranktable" in m], placeholders
    table = json.loads(result.emitted.files["big/mindie/ranktable-serve.json"])
    ranks = [int(d["rank_id"]) for s in table["server_list"] for d in s["device"]]
    assert sorted(ranks) == list(range(32))
    ips = [d["device_ip"] for s in table["server_list"] for d in s["device"]]
    assert len(set(ips)) == 32 and table["server_count"] == "2"
    config = json.loads(result.emitted.files["big/mindie/config-serve.json"])
    model = config["BackendConfig"]["ModelDeployConfig"]["ModelConfig"][0]
    assert model["worldSize"] == model["tp"] * model["dp"] == 32
    assert config["BackendConfig"]["multiNodesInferEnabled"] is True


def test_a_rank_table_without_inventory_names_its_placeholders(tmp_path: Path) -> None:
    contract = tmp_path / "big.cc"
    contract.write_text(MINDIE_TWO_SERVERS, encoding="utf-8")
    result = compile([contract], Options(cwd=tmp_path))
    [warning] = [d for d in result.diagnostics if d.code == "CC5003" and "ranktable" in d.message]
    assert "ranktable-serve.json" in warning.message and "--inventory" in (warning.help or "")
    table = result.emitted.files["big/mindie/ranktable-serve.json"].decode()
    assert "<device ip of node 1 device 15>" in table


def test_plan_json_validates_against_its_schema(compiled) -> None:
    schema = json.loads(schema_json("plan"))
    for files in compiled.values():
        jsonschema.validate(_plan(files), schema)


def test_launch_json_validates_against_its_schema(compiled) -> None:
    schema = json.loads(schema_json("launch"))
    for files in compiled.values():
        for name, data in files.items():
            if name.endswith("launch.json"):
                jsonschema.validate(json.loads(data), schema)


def test_bench_json_validates_and_carries_the_prediction(compiled) -> None:
    schema = json.loads(schema_json("bench"))
    for stem, files in compiled.items():
        [name] = [n for n in files if n.endswith("bench/bench.json")]
        document = json.loads(files[name])
        jsonschema.validate(document, schema)
        plan = _plan(files)["plan"]
        assert document["predicted"]["tpot_s"] == plan["performance"]["tpot_s"], stem
        flags = _flags(document["argv"])
        assert int(flags["--max-concurrency"]) == document["concurrency"]
        assert flags["--random-output-len"] == str(document["output_tokens"])


def test_slurm_scripts_ask_for_the_nodes_and_devices_of_one_instance(compiled) -> None:
    files = compiled["hgx_h100_llama405b_two_nodes"]
    script = files["llama405b/slurm/llama405b.sbatch"].decode()
    directives = [line for line in script.splitlines() if line.startswith("#SBATCH")]
    assert "#SBATCH --nodes=2" in directives and "#SBATCH --gres=gpu:8" in directives
    first_command = next(
        line for line in script.splitlines()[1:] if line and not line.startswith("#")
    )
    assert first_command == "set -euo pipefail"  # every directive precedes it
    assert "llama405b/slurm/serve-serve.sh" in files
    ernie = compiled["p800_fastdeploy_ernie"]["ernie_chat/slurm/ernie_chat.sbatch"].decode()
    assert "#SBATCH --array=0-1" in ernie  # two replicas, one array task each


def test_launch_json_says_where_mindie_answers_health_and_reads_its_config(compiled) -> None:
    files = compiled["ascend_910b_mindie_llama70b"]
    [leader] = json.loads(files["llama_chat/mindie/launch.json"])["launches"]
    config = json.loads(files["llama_chat/mindie/config-serve.json"])["ServerConfig"]
    assert leader["health_port"] == config["managementPort"] != leader["port"] == config["port"]
    # installed where MIES_CONFIG_JSON_PATH says, which is what the daemon reads
    assert leader["files"] == {"config-serve.json": "/etc/mindie/config.json"}
    assert leader["env"]["MIES_CONFIG_JSON_PATH"] == "/etc/mindie/config.json"
    assert "/usr/local/Ascend/ascend-toolkit/set_env.sh" in leader["sources"]
    [deployment] = [d for d in manifests(files) if d["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["port"] == leader["health_port"]
    # the management endpoint binds the pod's IP, where the kubelet's probe connects
    env = {e["name"]: e for e in container["env"]}
    assert env["MIES_CONTAINER_MANAGEMENT_IP"]["value"] == "$(CCC_NODE_ADDRESS)"
    assert env["CCC_NODE_ADDRESS"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    assert list(env).index("CCC_NODE_ADDRESS") < list(env).index("MIES_CONTAINER_MANAGEMENT_IP")
    [files_volume] = [v for v in pod["volumes"] if "configMap" in v]
    assert files_volume["configMap"]["defaultMode"] == 0o640
    assert "set_env.sh" in container["args"][0]
    # Slurm runs the same start script from its directory, beside the files it installs
    assert "llama_chat/slurm/config-serve.json" in files
    script = files["llama_chat/slurm/serve-serve.sh"].decode()
    assert '"${CCC_DIR}"/config-serve.json /etc/mindie/config.json' in script


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_compiling_twice_gives_identical_bytes(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "cloudmatrix384_deepseek_r1_pd.cc")
    assert run("compile", example, "-o", str(tmp_path / "a"))[0] == 0
    assert run("compile", example, "-o", str(tmp_path / "b"))[0] == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert run("compile", example, "-o", str(tmp_path / "a"))[0] == 0  # a rerun replaces it
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def _compile_failing(out: Path, monkeypatch: pytest.MonkeyPatch, where: str, at: int, example: str):
    """Compile the two-node example into `out`, failing the `at`-th call of `where` (a file
    write or a rename) with a full disk or, for the last, an interrupt (Ctrl-C)."""
    import ccc.emit

    calls = []
    target = Path if where == "write_bytes" else ccc.emit.os
    original = getattr(target, where)

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == at:
            raise KeyboardInterrupt if at % 2 else OSError(28, "No space left on device")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, where, failing)
    try:
        code, _, err = run("compile", example, "-o", str(out))
    except KeyboardInterrupt:
        code, err = 130, "interrupted"
    finally:
        monkeypatch.undo()
    return calls, code, err


def test_a_compile_interrupted_at_any_file_or_rename_leaves_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new output is written beside the old one and swapped in by renames; a failure at
    any write or rename leaves the previous output whole and no temporary behind."""
    out, work = tmp_path / "out", tmp_path / "work"
    work.mkdir()
    source = ROOT / "examples" / "hgx_h100_llama405b_two_nodes.cc"
    contract = work / source.name  # one contract, edited between the two compiles
    contract.write_text(source.read_text().replace('"inference"', '"staging"'))
    assert run("compile", str(contract), "-o", str(out))[0] == 0
    before = tree(out)
    contract.write_text(source.read_text())
    files = len(emitted(source)) + 1  # + marker
    failures = [("write_bytes", at) for at in range(1, files + 1)]
    failures += [("replace", at) for at in (1, 2)]  # old output aside, new output in
    for where, at in failures:
        calls, code, err = _compile_failing(out, monkeypatch, where, at, str(contract))
        assert len(calls) >= at and code in (2, 130), (where, at, err)
        assert "CC9001" not in err  # a full disk is not a bug in ccc
        assert tree(out) == before, (where, at)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "work"], (where, at)
    _, code, err = _compile_failing(out, monkeypatch, "write_bytes", 2, str(contract))
    assert (
        code == 2
        and err == f"ccc: error: cannot write {out}: No space left on device; {out} is as it was\n"
    )
    assert run("compile", str(contract), "-o", str(out))[0] == 0


def test_a_single_file_write_that_fails_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccc import writer

    path = tmp_path / "factors.json"
    writer.write_atomic(path, "old\n")
    path.chmod(0o640)

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", failing)
    with pytest.raises(OSError):
        writer.write_atomic(path, "new\n")
    monkeypatch.undo()
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == [path.name]
    writer.write_atomic(path, "new\n")
    assert path.read_text() == "new\n" and path.stat().st_mode & 0o777 == 0o640


def test_a_directory_ccc_did_not_write_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run("compile", str(ROOT / "examples" / "h200_qwen3_32b.cc"), "-o", str(tmp_path))
    assert code == 2 and "not written by ccc" in err
    assert tree(tmp_path) == {"notes.txt": b"mine"}


def test_an_engine_target_for_another_toolkit_is_cc5002_at_the_toolkit(tmp_path: Path) -> None:
    example = ROOT / "examples" / "h200_qwen3_32b.cc"
    result = compile([example], Options(cwd=ROOT), targets=["sglang"])
    [error] = [d for d in result.diagnostics if d.code == "CC5002"]
    line = example.read_text(encoding="utf-8").splitlines()[error.span.line - 1]
    assert line.strip().startswith("toolkit = vllm") and result.emitted is None
    code, _, _ = run("compile", str(example), "-o", str(tmp_path / "o"), "--target", "sglang")
    assert code == 1 and not (tmp_path / "o").exists()


def test_an_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(
        "compile",
        str(ROOT / "examples" / "h200_qwen3_32b.cc"),
        "-o",
        str(tmp_path / "o"),
        "--target",
        "k9s",
    )
    assert code == 2 and "k9s" in err and "k8s" in err


def test_targets_can_be_chosen(tmp_path: Path) -> None:
    example = ROOT / "examples" / "h200_qwen3_32b.cc"
    files = emitted(example, targets=["plan", "vllm"])
    assert sorted({name.split("/")[1] for name in files}) == ["plan", "vllm"]


def test_multi_node_vllm_pipelines_over_a_ray_cluster(compiled) -> None:
    files = compiled["hgx_h100_llama405b_two_nodes"]
    [lws] = [d for d in manifests(files) if d["kind"] == "LeaderWorkerSet"]
    template = lws["spec"]["leaderWorkerTemplate"]
    assert template["size"] == 2
    leader = template["leaderTemplate"]["spec"]["containers"][0]
    worker = template["workerTemplate"]["spec"]["containers"][0]
    assert (
        "ray start --head" in leader["args"][0]
        and "--distributed-executor-backend ray" in leader["args"][0]
    )
    assert (
        "${LWS_LEADER_ADDRESS}:6379" in " ".join(worker["args"])
        or "$(LWS_LEADER_ADDRESS):6379" in worker["args"]
    )
    assert "readinessProbe" in leader and "readinessProbe" not in worker


def test_disaggregated_roles_are_separate_workloads(compiled) -> None:
    files = compiled["cloudmatrix384_deepseek_r1_pd"]
    names = {d["metadata"]["name"] for d in manifests(files) if d["kind"] == "LeaderWorkerSet"}
    assert names == {"r1-pd-prefill", "r1-pd-decode"}
    for document in manifests(files):
        if document["kind"] == "LeaderWorkerSet":
            pod = document["spec"]["leaderWorkerTemplate"]["workerTemplate"]["spec"]
            [term] = pod["affinity"]["podAffinity"][
                "requiredDuringSchedulingIgnoredDuringExecution"
            ]
            assert term["matchLabelKeys"] == ["leaderworkerset.sigs.k8s.io/group-index"]


def test_the_contract_digest_ignores_keys_written_at_their_defaults(tmp_path: Path) -> None:
    from ccc.api import check
    from ccc.emit import contract_digest

    example = (ROOT / "examples" / "h200_qwen3_32b.cc").read_text(encoding="utf-8")
    variants = {
        "plain": example,
        # the defaults, written out: a newer ccc adding a key must not make manifests stale
        "explicit": example.replace("concurrency = 64", "concurrency = 64\n    queue = false"),
        "changed": example.replace("concurrency = 64", "concurrency = 65"),
    }
    digests = {}
    for name, text in variants.items():
        path = tmp_path / f"{name}.cc"
        path.write_text(text, encoding="utf-8")
        contract = check([path], Options(cwd=tmp_path)).contract
        digests[name] = contract_digest(contract, "qwen3_chat")
    assert digests["plain"] == digests["explicit"] != digests["changed"]


def test_a_stated_benchmark_run_is_the_load_test_that_is_emitted(tmp_path: Path) -> None:
    example = (ROOT / "examples" / "h200_qwen3_32b.cc").read_text(encoding="utf-8")
    contract = tmp_path / "run.cc"
    contract.write_text(
        example.replace("concurrency = 64", "concurrency = 64\n    requests = 1000"),
        encoding="utf-8",
    )
    result = compile([contract], Options(cwd=tmp_path), targets=["bench"])
    files = result.emitted.files
    bench = json.loads(files["qwen3_chat/bench/bench.json"])
    assert bench["prompts"] == 1000 and bench["concurrency"] == 64
    assert "--num-prompts 1000 \\" in files["qwen3_chat/bench/bench.sh"].decode()
    default = json.loads(
        emitted(ROOT / "examples" / "h200_qwen3_32b.cc")["qwen3_chat/bench/bench.json"]
    )
    assert default["prompts"] == 512  # 8 per slot without a stated run


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_warning_of_a_compile_is_reported_once(path: Path, tmp_path: Path) -> None:
    code, out, err = run("compile", str(path), "-o", str(tmp_path / "text"), "--color", "never")
    assert code == 0, err
    headlines = [line for line in (out + err).splitlines() if line.startswith("warning[")]
    # a headline and the location under it identify one warning
    text = (out + err).splitlines()
    shown = [(line, text[i + 1]) for i, line in enumerate(text) if line in headlines]
    assert len(shown) == len(set(shown)), sorted(w for w in shown if shown.count(w) > 1)
    code, out, err = run("compile", str(path), "-o", str(tmp_path / "json"), "--format", "json")
    assert code == 0, err
    found = [json.dumps(d, sort_keys=True) for d in json.loads(out)["diagnostics"]]
    assert len(found) == len(set(found)), sorted(d for d in found if found.count(d) > 1)
    assert len(found) == len(shown)  # the same findings in both formats


def test_a_toolkit_that_extends_vllm_is_launched_by_the_vllm_target(tmp_path: Path) -> None:
    """A site states its own flavour of an engine with `extends`; the engine target (and
    the runners that wrap it) must still launch it, not fall back to plan.json only."""
    source = (ROOT / "examples" / "h200_qwen3_32b.cc").read_text(encoding="utf-8")
    site = source.replace("toolkit = vllm\n", "toolkit = site_vllm\n").replace(
        'import "std/toolkits/vllm"\n',
        'import "std/toolkits/vllm"\n'
        "toolkit site_vllm extends vllm { accelerators = [nvidia_h200_sxm] }\n",
    )
    contract = tmp_path / "site.cc"
    contract.write_text(site, encoding="utf-8")
    code, _, err = run("compile", str(contract), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert "CC5001" not in err
    launched = tmp_path / "out" / "qwen3_chat"
    assert (launched / "vllm").is_dir()
    assert (launched / "k8s").is_dir()
    assert _commands(tree(launched / "vllm")) == _commands(_vllm_tree_of_the_example(tmp_path))


def _vllm_tree_of_the_example(tmp_path: Path) -> dict[str, bytes]:
    example = str(ROOT / "examples" / "h200_qwen3_32b.cc")
    assert run("compile", example, "-o", str(tmp_path / "plain"))[0] == 0
    return tree(tmp_path / "plain" / "qwen3_chat" / "vllm")


def _commands(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each file's lines but its comments (the header names the contract and its digest)."""
    return {
        name: [line for line in data.decode().splitlines() if not line.startswith("#")]
        for name, data in files.items()
        if name.endswith(".sh")
    }


_KIMI_ON_CM384 = """import "std/ascend"
import "std/models/kimi"
import "std/toolkits/vllm_ascend"
cluster cm { supernode = cloudmatrix384  supernodes = 1 }
deployment k2 {
  model = kimi_k2  cluster = cm  toolkit = vllm_ascend  weights = int8
  image = "quay.io/ascend/vllm-ascend:v0.11.0"
  workload { input_tokens = 2048  output_tokens = 512  concurrency = 2048 }
  parallel { tp = auto  dp = auto  ep = auto }
}
"""


def test_every_plan_for_kimi_k2_on_cloudmatrix384_is_one_vllm_ascend_can_run(
    tmp_path: Path,
) -> None:
    """The plans were ranked with tp 4 x dp 128 x ep 128 first, which vLLM cannot state
    (its EP spans tp x dp); now each EP is 1 or tp x dp, and compile takes plan 1."""
    contract = tmp_path / "kimi.cc"
    contract.write_text(_KIMI_ON_CM384, encoding="utf-8")
    code, out, err = run("plan", str(contract), "--format", "json")
    assert code == 0, err
    roles = [role for p in json.loads(out)["plans"] for role in p["roles"]]
    assert roles
    assert all(role["ep"] in (1, role["tp"] * role["dp"]) for role in roles)
    code, _, err = run("compile", str(contract), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert "CC5005" not in err


def _compiled(tmp_path: Path, deployment: str, source: str) -> tuple[dict, list[str]]:
    """Compile `source`: the one role of `deployment`'s plan, and its first launch's argv
    (empty where no engine target wrote launch.json)."""
    contract = tmp_path / "contract.cc"
    contract.write_text(source, encoding="utf-8")
    code, _, err = run("compile", str(contract), "-o", str(tmp_path / "out"))
    assert code == 0, err
    out = tmp_path / "out" / deployment
    (role,) = json.loads((out / "plan" / "plan.json").read_text())["plan"]["roles"]
    launches = [json.loads(p.read_text()) for p in sorted(out.glob("*/launch.json"))]
    return role, launches[0]["launches"][0]["argv"] if launches else []


def test_ep_72_over_256_experts_runs_on_sglang_with_32_redundant_slots(tmp_path: Path) -> None:
    """Large-EP decode as published: SGLang adds redundant experts until EP divides them
    (eplb/expert_location.py asserts it), stated as --ep-num-redundant-experts."""
    role, argv = _compiled(
        tmp_path,
        "v3",
        'import "std/nvidia"\nimport "std/models/deepseek"\nimport "std/toolkits/sglang"\n'
        "cluster c { server = hgx_h200  nodes = 9 }\n"
        "deployment v3 { model = deepseek_v3  cluster = c  toolkit = sglang  weights = fp8\n"
        '  image = "lmsysorg/sglang:v0.5.3"  checkpoint = "deepseek-ai/DeepSeek-V3"\n'
        "  workload { input_tokens = 2048  output_tokens = 512  concurrency = 256 }\n"
        "  parallel { tp = 8  dp = 9  ep = 72  pp = 1 } }\n",
    )
    assert (role["ep"], role["extra_experts"]) == (72, 32)
    assert argv[argv.index("--ep-num-redundant-experts") + 1] == "32"


def test_tp_16_over_two_hgx_h100_places_and_launches_on_sglang(tmp_path: Path) -> None:
    """SGLang's documented multi-node recipe (benchmark/deepseek_v3/README.md: --tp 16
    --nnodes 2): one TP group over both servers, priced on the scale-out network."""
    role, argv = _compiled(
        tmp_path,
        "r1",
        'import "std/nvidia"\nimport "std/models/deepseek"\nimport "std/toolkits/sglang"\n'
        "cluster two { server = hgx_h100  nodes = 2 }\n"
        "deployment r1 { model = deepseek_r1  cluster = two  toolkit = sglang\n"
        '  image = "lmsysorg/sglang:v0.5.3"  checkpoint = "deepseek-ai/DeepSeek-R1"\n'
        "  workload { input_tokens = 1024  output_tokens = 1024  concurrency = 1 }\n"
        "  parallel { tp = 16  dp = 1  pp = 1  ep = 1 } }\n",
    )
    assert (role["tp"], role["tp_tier"]) == (16, "scale_out")
    assert argv[argv.index("--tp-size") + 1] == "16" and argv[argv.index("--nnodes") + 1] == "2"


def test_mindie_runs_a_model_that_needs_two_servers_as_tp_over_the_whole_world(
    tmp_path: Path,
) -> None:
    """MindIE has no pipeline parallelism and spans servers only with TP over the whole
    world (atb_llm/utils/mapping.py); DeepSeek-V3 W8A8 needs two 8 x 64 GB Atlas 800T A2."""
    role, _ = _compiled(
        tmp_path,
        "v3",
        'import "std/ascend"\nimport "std/models/deepseek"\nimport "std/toolkits/mindie"\n'
        "cluster a2 { server = atlas_800t_a2  nodes = 2 }\n"
        "deployment v3 { model = deepseek_v3  cluster = a2  toolkit = mindie  weights = int8\n"
        "  replicas = 1  workload { input_tokens = 2 K  output_tokens = 512  concurrency = 16 } }\n",
    )
    assert (role["tp"], role["dp"], role["pp"]) == (16, 1, 1)


def test_a_directory_holding_another_contracts_output_is_refused_and_kept(tmp_path: Path) -> None:
    """Compiling a second contract into the same -o DIR deleted the first one's files."""
    first, second = (
        ROOT / "examples" / "h200_qwen3_32b.cc",
        ROOT / "examples" / "p800_fastdeploy_ernie.cc",
    )
    out = tmp_path / "out"
    assert run("compile", str(first), "-o", str(out))[0] == 0
    before = tree(out)
    code, _, err = run("compile", str(second), "-o", str(out))
    assert code == 2 and "holds the output of" in err and first.name in err
    assert tree(out) == before
    assert run("compile", str(first), "-o", str(out))[0] == 0  # its own contract may rewrite it


def test_compile_says_what_it_chose_for_each_deployment(tmp_path: Path) -> None:
    path = ROOT / "examples" / "h200_sglang_deepseek_v3_pd.cc"
    code, _, err = run("compile", str(path), "-o", str(tmp_path / "o"))
    assert code == 0
    # the prefill's expert layout is the model's choice (EP 8 or experts split over TP 8)
    assert re.search(
        r"v3_pd: prefill tp8(\.ep8)? x1 \+ decode tp1\.dp8\.ep8 x1, 16 devices on 2 "
        r"server\(s\), serving at http://v3-pd:30000",
        err,
    ), err


def test_compile_json_lists_files_and_degrees(tmp_path: Path) -> None:
    path = ROOT / "examples" / "h200_qwen3_32b.cc"
    code, out, _ = run("compile", str(path), "-o", str(tmp_path / "o"), "--format", "json")
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, json.loads(schema_json("compile")))
    [deployment] = report["deployments"]
    plan = json.loads((tmp_path / "o" / "qwen3_chat" / "plan" / "plan.json").read_text())
    [role] = plan["plan"]["roles"]
    assert (
        deployment["roles"][0]["tp"] == role["tp"]
        and deployment["roles"][0]["replicas"] == role["replicas"]
    )
    assert "qwen3_chat/k8s/qwen3-chat.yaml" in deployment["files"]
    assert all((tmp_path / "o" / f).is_file() for f in deployment["files"])

"""Placement: the plans it returns satisfy every constraint, and what it refuses it explains."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from ccc.api import load_catalog, plan
from ccc.front.resolve import Options
from ccc.hardware.topology import System, system_of
from ccc.ir import Deployment, build
from ccc.performance.report import rank_table
from ccc.placement.setting import Candidate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, budget


def planned(path: Path, cwd: Path = ROOT):
    return plan([path], Options(cwd=cwd))


def write(tmp: Path, text: str) -> Path:
    path = tmp / "contract.cc"
    path.write_text(text, encoding="utf-8")
    return path


def codes_of(result) -> list[str]:
    return [d.code for d in result.diagnostics if d.code.startswith("CC3")]


def best(result, deployment: str) -> list[Candidate]:
    return [role.candidates[0] for role in result.placements[deployment]]


def system(result, deployment: str) -> System:
    found = system_of(result.contract, result.contract.deployments[deployment].cluster)
    assert found is not None
    return found


def test_cloudmatrix384_decode_runs_ep320_over_320_dies_with_64_extra_slots() -> None:
    result = planned(ROOT / "examples" / "cloudmatrix384_deepseek_r1_pd.cc")
    assert codes_of(result) == []
    prefill, decode = best(result, "r1_pd")
    assert (decode.degrees.tp, decode.degrees.dp, decode.degrees.ep) == (1, 320, 320)
    assert decode.degrees.extra_experts == 64 and decode.devices == 320
    assert (256 + 64) // decode.degrees.ep == 1  # one expert slot per die
    assert prefill.devices == 192 and decode.first_device == 192  # decode on fresh servers
    assert decode.tp_tier == "scale_up"


def test_p800_four_card_groups_stay_on_cards_0_to_3_or_4_to_7() -> None:
    result = planned(ROOT / "examples" / "p800_fastdeploy_ernie.cc")
    assert codes_of(result) == []
    (candidate,) = best(result, "ernie_chat")
    assert candidate.degrees.tp == 4
    groups: dict[tuple[int, int, int], set[int]] = {}
    for entry in rank_table(candidate, system(result, "ernie_chat")):
        groups.setdefault((entry.instance, entry.pp, entry.dp), set()).add(entry.local)
    assert sorted(map(sorted, groups.values())) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_p800_rejects_a_four_card_group_across_the_halves(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'import "std/kunlunxin"\nimport "std/models/ernie"\nimport "std/toolkits/fastdeploy"\n'
        "server shifted extends p800x8 { allocation_groups = [[0, 1], [2, 3, 4, 5], [6, 7]] }\n"
        "cluster c { server = shifted  nodes = 1 }\n"
        "deployment d { model = ernie4_5_300b_a47b  cluster = c  toolkit = fastdeploy\n"
        "  weights = int4  parallel { tp = 4 } }\n",
    )
    result = planned(path, tmp_path)
    (diagnostic,) = [d for d in result.diagnostics if d.code == "CC3007"]
    assert (diagnostic.span.line, diagnostic.span.column) == (7, 30)
    assert "[0, 1, 2, 3]" in diagnostic.message and "tp = 1 or 2 or 8" in diagnostic.help


def test_multi_node_hgx_ranks_tp_inside_a_server_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'import "std/nvidia"\nimport "std/models/llama"\nimport "std/toolkits/vllm"\n'
        "cluster two { server = hgx_h100  nodes = 2 }\n"
        "deployment d { model = llama3_1_405b  cluster = two  toolkit = vllm  replicas = 1\n"
        "  workload { input_tokens = 4 K  output_tokens = 1 K  concurrency = 64 } }\n",
    )
    result = planned(path, tmp_path)
    assert codes_of(result) == []
    candidates = result.placements["d"][0].candidates
    # vLLM runs TP across nodes (Ray only warns): tp 16 over both servers is a candidate,
    # the only one on the scale-out network, and the predicted ranking puts it after tp 8
    spanning = [c for c in candidates if c.tp_tier != "scale_up"]
    assert [c.degrees.tp for c in spanning] == [16]
    assert all(c.degrees.tp <= 8 for c in candidates if c not in spanning)
    top = candidates[0]
    assert (
        top.degrees.devices == 16 and top.degrees.pp == 2
    )  # 405B bf16 needs both 8 x 80 GB servers


def test_deepseek_v3_bf16_on_one_atlas_800t_a2_is_rejected_with_a_computed_fix(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        'import "std/ascend"\nimport "std/models/deepseek"\nimport "std/toolkits/mindie"\n'
        "cluster a2 { server = atlas_800t_a2  nodes = 1 }\n"
        "deployment d { model = deepseek_v3  cluster = a2  toolkit = mindie\n"
        "  weights = bf16 }\n",
    )
    result = planned(path, tmp_path)
    (diagnostic,) = [d for d in result.diagnostics if d.code == "CC3001"]
    assert (diagnostic.span.line, diagnostic.span.column) == (6, 3)  # `weights = bf16`
    assert "routed experts" in diagnostic.message and "GiB" in diagnostic.message
    assert "servers (" in diagnostic.help and "GiB each" in diagnostic.help


P800_96G = (
    'import "std/kunlunxin"\nimport "std/models/deepseek"\nimport "std/toolkits/fastdeploy"\n'
    "# ASSUMPTION of this test, not a published figure: 96 GiB per P800 card\n"
    "accelerator p800_96g extends kunlunxin_p800 { memory = 96 GiB }\n"
    "server p800x8_96g extends p800x8 { accelerator = p800_96g }\n"
    "cluster box { server = p800x8_96g  nodes = 1 }\n"
    "deployment v3 { model = deepseek_v3  cluster = box  toolkit = fastdeploy  weights = int8\n"
    "  workload { input_tokens = 2048  output_tokens = 512  concurrency = CONCURRENCY } }\n"
)


def test_deepseek_v3_int8_on_p800_96g_holds_32_requests(tmp_path: Path) -> None:
    result = planned(write(tmp_path, P800_96G.replace("CONCURRENCY", "32")), tmp_path)
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    (candidate,) = best(result, "v3")
    assert candidate.memory.max_concurrency * candidate.replicas >= 32


def test_deepseek_v3_int8_on_p800_96g_refuses_256_requests_naming_the_kv_cache(
    tmp_path: Path,
) -> None:
    result = planned(write(tmp_path, P800_96G.replace("CONCURRENCY", "256")), tmp_path)
    (diagnostic,) = [d for d in result.diagnostics if d.severity.value == "error"]
    assert diagnostic.code == "CC3010"
    assert (diagnostic.span.line, diagnostic.span.column) == (9, 56)
    assert "KV cache" in diagnostic.message
    fits = int(diagnostic.help.split("at most ")[1].split()[0])
    assert 32 <= fits < 256


# --- properties over random clusters and models ---------------------------------------------

SERVERS = {
    "hgx_h200": "std/nvidia",
    "p800x8": "std/kunlunxin",
    "atlas_800_a3": "std/ascend",
    "atlas_800t_a2": "std/ascend",
}
MODELS = {
    "qwen3_8b": "std/models/qwen",
    "qwen3_32b": "std/models/qwen",
    "qwen3_30b_a3b": "std/models/qwen",
    "llama3_1_70b": "std/models/llama",
    "deepseek_v3": "std/models/deepseek",
}
DEGREE = st.sampled_from(["auto", "auto", 1, 2, 4, 8])


@st.composite
def contracts(draw) -> str:
    server = draw(st.sampled_from(sorted(SERVERS)))
    model = draw(st.sampled_from(sorted(MODELS)))
    nodes = draw(st.integers(1, 4))
    weights = draw(st.sampled_from(["bf16", "fp8", "int8", "int4"]))
    degrees = "  ".join(f"{k} = {draw(DEGREE)}" for k in ("tp", "dp", "pp", "ep"))
    concurrency = draw(st.sampled_from([1, 16, 256]))
    memory = (
        ""
        if server != "p800x8"
        else "accelerator p8 extends kunlunxin_p800 { memory = 96 GiB }\nserver s8 extends p800x8 { accelerator = p8 }\n"
    )
    server = "s8" if memory else server
    return (
        f'import "{SERVERS.get(server, "std/kunlunxin")}"\nimport "{MODELS[model]}"\n'
        'import "std/toolkits/vllm"\n'
        f"{memory}cluster c {{ server = {server}  nodes = {nodes} }}\n"
        f"deployment d {{ model = {model}  cluster = c  toolkit = vllm  weights = {weights}\n"
        f"  parallel {{ {degrees} }}\n"
        f"  workload {{ input_tokens = 1024  output_tokens = 256  concurrency = {concurrency} }} }}\n"
    )


def planned_or_refused(text: str):
    """The plan result when every role has plans; None when a coded diagnostic with a span
    says why not (anything else, an internal error included, fails the test)."""
    with tempfile.TemporaryDirectory() as tmp:
        result = planned(write(Path(tmp), text), Path(tmp))
    assert not [d for d in result.diagnostics if d.code.startswith("CC9")]
    roles = result.placements.get("d", [])
    if roles and all(r.candidates for r in roles):
        return result
    assert any(d.code.startswith("CC3") and d.span for d in result.diagnostics)
    return None


@settings(max_examples=budget(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts())
def test_every_plan_satisfies_every_constraint_or_a_coded_reason_is_given(text: str) -> None:
    result = planned_or_refused(text)
    if result is None:
        return
    roles = result.placements["d"]
    topology = system(result, "d")
    for role in roles:
        for candidate in role.candidates[:5]:
            assert_feasible(candidate, topology, result.contract.deployments["d"])


def assert_feasible(candidate: Candidate, topology: System, deployment) -> None:
    d = candidate.degrees
    memory = candidate.memory
    if memory.kv_budget is not None:
        assert memory.kv_budget >= memory.kv_bytes(1)
        if candidate.role != "prefill":  # requests in flight are held by decode (or serve)
            wanted = deployment.workload.concurrency
            assert memory.max_concurrency * candidate.replicas >= wanted
    assert d.tp * d.dp % d.ep == 0
    table = rank_table(candidate, topology)
    devices = [entry.device for entry in table]
    assert len(set(devices)) == len(devices) == candidate.devices  # each device once
    assert devices == list(
        range(candidate.first_device, candidate.first_device + candidate.devices)
    )
    groups: dict[tuple[int, int, int], list[int]] = {}
    for entry in table:
        groups.setdefault((entry.instance, entry.pp, entry.dp), []).append(entry.device)
    for members in groups.values():
        assert len(members) == d.tp  # TP ranks cover their group exactly
        tier = topology.tier_of_group(members)
        fastest = "scale_up" if d.tp <= topology.devices_per_server else "supernode"
        if d.tp <= topology.domain_size:
            assert tier.rank <= (0 if fastest == "scale_up" else 1)


# Supernode clusters, each with a toolkit that serves it (FastDeploy implements neither
# pipeline nor in-instance attention DP, so `auto` must not use them there).
SUPERNODES = {
    "gb200_nvl72": ("std/nvidia", "vllm"),
    "panjiu64": ("std/thead", "vllm"),
    "cloudmatrix384": ("std/ascend", "vllm_ascend"),
    "p800_supernode64": ("std/kunlunxin", "fastdeploy"),
}
ROLE_DEVICES = st.sampled_from(["", "devices = 16", "devices = 32", "devices = 64"])


@st.composite
def supernode_contracts(draw) -> str:
    supernode = draw(st.sampled_from(sorted(SUPERNODES)))
    library, toolkit = SUPERNODES[supernode]
    model = draw(st.sampled_from(["qwen3_30b_a3b", "llama3_1_70b", "deepseek_v3"]))
    weights = draw(st.sampled_from(["bf16", "int8", "int4"]))
    count = draw(st.integers(1, 2))
    if draw(st.booleans()):
        roles = "".join(
            f"  {role} {{ {draw(ROLE_DEVICES)}  parallel {{ tp = {draw(DEGREE)} }} }}\n"
            for role in ("prefill", "decode")
        )
    else:
        roles = f"  parallel {{ tp = {draw(DEGREE)}  ep = {draw(DEGREE)} }}\n"
    return (
        f'import "{library}"\nimport "{MODELS[model]}"\n'
        f'import "std/toolkits/{toolkit}"\n'
        f"cluster c {{ supernode = {supernode}  supernodes = {count} }}\n"
        f"deployment d {{ model = {model}  cluster = c  toolkit = {toolkit}  weights = {weights}\n"
        f"{roles}"
        "  workload { input_tokens = 2048  output_tokens = 512  concurrency = 64 } }\n"
    )


@settings(max_examples=budget(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supernode_contracts())
def test_supernode_and_disaggregated_plans_keep_groups_fast_and_roles_apart(text: str) -> None:
    result = planned_or_refused(text)
    if result is None:
        return
    roles = result.placements["d"]
    topology = system(result, "d")
    deployment = result.contract.deployments["d"]
    toolkit = result.contract.toolkits[deployment.toolkit]
    used: list[set[int]] = []
    for role in roles:
        devices: set[int] = set()
        for candidate in role.candidates[:5]:
            assert_feasible(candidate, topology, deployment)
            assert_toolkit_implements(candidate, toolkit.parallelism)
            devices |= set(
                range(candidate.first_device, candidate.first_device + candidate.devices)
            )
        assert all(not devices & other for other in used)  # a device serves one role
        used.append(devices)


def assert_toolkit_implements(candidate: Candidate, kinds: list[str]) -> None:
    d = candidate.degrees
    for kind, degree in (("tp", d.tp), ("pp", d.pp), ("ep", d.ep), ("attention_dp", d.dp)):
        assert degree == 1 or kind in kinds, (kind, degree)


def test_a_fixed_degree_the_toolkit_lacks_is_refused_at_that_degree(tmp_path: Path) -> None:
    result = planned(
        write(
            tmp_path,
            'import "std/kunlunxin"\nimport "std/models/ernie"\nimport "std/toolkits/fastdeploy"\n'
            "cluster c { server = p800x8  nodes = 2 }\n"
            "deployment d { model = ernie4_5_300b_a47b  cluster = c  toolkit = fastdeploy\n"
            "  parallel { tp = 8  pp = 2 } }\n",
        ),
        tmp_path,
    )
    [refusal] = [d for d in result.diagnostics if d.code == "CC3008"]
    assert (refusal.span.line, refusal.span.column) == (6, 22)
    assert "pipeline parallelism" in refusal.message
    assert "leave `parallel.pp` auto" in refusal.help
    assert result.placements == {}  # refused by the contract checks, so never placed


def test_plan_and_graph_json_match_their_published_schemas() -> None:
    import io
    import json

    import jsonschema
    from ccc.cli import main

    example = str(ROOT / "examples" / "cloudmatrix384_deepseek_r1_pd.cc")
    for command, schema_name in (
        (["plan", example, "--format", "json", "--ranks", "--top", "2"], "plans"),
        (["graph", example, "--format", "json"], "graph"),
    ):
        out, schema = io.StringIO(), io.StringIO()
        assert main(command, stdout=out, stderr=io.StringIO()) == 0
        assert main(["schema", schema_name], stdout=schema) == 0
        document = json.loads(out.getvalue())
        instances = [document] if schema_name == "plans" else list(document.values())
        for instance in instances:
            jsonschema.validate(instance, json.loads(schema.getvalue()))
        if schema_name == "plans":
            decode = document["plans"][0]["roles"][1]
            assert len(decode["ranks"]) == 320 and decode["ranks"][0]["device"] == 192


GOLDEN_PLANS = {
    "cloudmatrix384_deepseek_r1_pd": ["--top", "2"],
    "p800_fastdeploy_ernie": ["--top", "2", "--ranks"],
    "h200_qwen3_32b": ["--top", "4", "--ranks"],
    "hgx_h100_llama405b_two_nodes": ["--top", "2", "--ranks"],
    "thead_ppu_panjiu_qwen3_235b": ["--top", "3"],
}


@pytest.mark.parametrize("example", sorted(GOLDEN_PLANS))
def test_example_plans_match_their_golden_json(example: str, update_golden: bool) -> None:
    """`ccc plan --format json` of the examples, reviewed in diffs (`pytest --update-golden`)."""
    import io

    from ccc.cli import main

    out = io.StringIO()
    path = ROOT / "examples" / f"{example}.cc"
    main(
        ["plan", str(path), "--format", "json", *GOLDEN_PLANS[example]],
        stdout=out,
        stderr=io.StringIO(),
    )
    golden = ROOT / "tests" / "golden" / "plans" / f"{example}.json"
    if update_golden or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out.getvalue(), encoding="utf-8")
    assert out.getvalue() == golden.read_text(encoding="utf-8")


def test_the_readme_rank_table_is_what_ccc_plan_prints(tmp_path: Path) -> None:
    import io

    from ccc.cli import main

    contract = write(
        tmp_path,
        'import "std/nvidia"\nimport "std/models/qwen"\nimport "std/toolkits/sglang"\n'
        "cluster box { server = hgx_h200  nodes = 1 }\n"
        "deployment moe { model = qwen3_30b_a3b  cluster = box  toolkit = sglang\n"
        "  parallel { tp = 2  dp = 2  pp = 2  ep = 4 }\n"
        "  workload { input_tokens = 2048  output_tokens = 512  concurrency = 64 } }\n",
    )
    out = io.StringIO()
    assert main(["plan", str(contract), "--ranks"], stdout=out, stderr=io.StringIO()) == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("ranks of plan 1, serve:\n", 1)[1].split("```", 1)[0]
    assert "ranks of plan 1, serve:\n" + table in out.getvalue()


def test_decode_tp_groups_are_aligned_to_the_role_start_not_device_zero(tmp_path: Path) -> None:
    """Found by the property test: decode starts at device 16 of two 64-card supernodes, so
    its second 32-wide TP group (48-79) would straddle the two."""
    contract = (
        'import "std/kunlunxin"\nimport "std/models/qwen"\nimport "std/toolkits/fastdeploy"\n'
        "cluster c { supernode = p800_supernode64  supernodes = 2 }\n"
        "deployment d { model = qwen3_30b_a3b  cluster = c  toolkit = fastdeploy\n"
        "  prefill { devices = 16 }\n"
        "  decode { parallel { tp = TP } } }\n"
    )
    fixed = planned(write(tmp_path, contract.replace("TP", "32")), tmp_path)
    # FastDeploy spans servers (--ips): the group 48-79 takes whole 8-card servers of both
    # supernodes, so it places, priced on the network between them
    assert not [d for d in fixed.diagnostics if d.code == "CC3006"]
    decode = fixed.placements["d"][1].candidates
    assert any(c.tp_tier == "scale_out" and c.replicas == 3 for c in decode)
    free = planned(write(tmp_path, contract.replace("TP", "auto")), tmp_path)
    decode = free.placements["d"][1]
    # groups that cross the supernodes do so in whole 8-card servers
    assert decode.candidates
    assert all(c.degrees.tp % 8 == 0 for c in decode.candidates if c.tp_tier == "scale_out")


_SHARED = """import "std/nvidia"
import "std/models/qwen"
import "std/toolkits/vllm"
cluster c {{ server = hgx_h200  nodes = 1 }}
deployment chat {{ model = qwen3_32b  cluster = c  toolkit = vllm  {chat} }}
deployment batch {{ model = qwen3_32b  cluster = c  toolkit = vllm  devices = 4 }}
"""


@pytest.mark.parametrize(
    ("chat", "refused"), [("", True), ("devices = 4", False), ("devices = 5", True)]
)
def test_deployments_sharing_a_cluster_must_fit_together(
    tmp_path: Path, chat: str, refused: bool
) -> None:
    """The CC3012 help (state `devices` on the first) leads to a contract that fits."""
    from ccc.api import check
    from ccc.front.resolve import Options

    path = tmp_path / "shared.cc"
    path.write_text(_SHARED.format(chat=chat), encoding="utf-8")
    codes = [d.code for d in check([path], Options(cwd=tmp_path)).diagnostics]
    assert ("CC3012" in codes) is refused


def test_a_fixed_split_that_breaks_fp8_blocks_is_cc3013_with_a_fix_that_places(
    tmp_path: Path,
) -> None:
    # DeepSeek-V3's dense FFN (18,432) over tp 32 is 576 columns: 4.5 blocks of 128
    source = """import "std/ascend"
import "std/models/deepseek"
import "std/toolkits/sglang"
cluster cm { supernode = cloudmatrix384  supernodes = 1 }
deployment v3 { model = deepseek_v3  cluster = cm  toolkit = sglang  devices = 32
  parallel { tp = 32  dp = 1  ep = 32 } }
"""
    path = tmp_path / "v3.cc"
    path.write_text(source)
    result = plan([path], Options(cwd=tmp_path))
    [error] = [d for d in result.diagnostics if d.code == "CC3013"]
    assert "576 columns" in error.message and error.span and error.span.line == 6
    assert error.help == "use tp = 16 and dp or pp for the rest of the devices"
    path.write_text(source.replace("tp = 32  dp = 1", "tp = 16  dp = 2"))
    fixed = plan([path], Options(cwd=tmp_path))
    assert not [d for d in fixed.diagnostics if d.severity.value == "error"]


def test_published_fp4_experts_stay_fp4_when_weights_name_the_checkpoints_fp8() -> None:
    from ccc.hardware.memory import precisions

    contract = load_catalog(Options(cwd=ROOT)).contract
    model = contract.models["deepseek_v4_flash"]
    for weights in (None, "fp8"):
        deployment = build(Deployment, {"name": "d", "weights": weights})
        assert precisions(model, deployment).experts == "fp4"
    other = build(Deployment, {"name": "d", "weights": "int8"})  # another checkpoint
    assert precisions(model, other).experts == "int8"


def test_when_nothing_fits_the_help_says_so_and_names_what_might(tmp_path: Path) -> None:
    path = tmp_path / "tiny.cc"
    path.write_text(
        'import "std/nvidia"\nimport "std/models/llama"\nimport "std/toolkits/vllm"\n'
        "accelerator tiny extends nvidia_h100_sxm { memory = 0.5 GiB }\n"
        "server tiny8 extends hgx_h100 { accelerator = tiny }\n"
        "cluster c { server = tiny8  nodes = 1 }\n"
        "deployment d { model = llama3_1_70b  cluster = c  toolkit = vllm }\n"
    )
    [error] = [d for d in plan([path], Options(cwd=tmp_path)).diagnostics if d.code == "CC3001"]
    assert error.help == (
        "neither a smaller precision `vllm` serves on `tiny` nor a cluster of up to 4096 "
        "servers fits it: use a device with more memory, or another toolkit (`ccc catalog "
        "--kind toolkit --format json` lists the chips each toolkit runs)"
    )


def test_fastdeploy_dp_ranks_without_ep_are_refused_at_the_ep(tmp_path: Path) -> None:
    """FastDeploy's DP ranks share the experts only with --enable-expert-parallel (EP =
    DP x TP, config.py): ep = 1 with dp = 4 is not a layout it runs."""
    path = tmp_path / "fd.cc"
    path.write_text(
        'import "std/models/deepseek"\nimport "std/nvidia"\nimport "std/toolkits/fastdeploy"\n'
        "cluster c { server = hgx_h800  nodes = 2 }\n"
        "deployment d { model = deepseek_v4_pro  cluster = c  toolkit = fastdeploy\n"
        "  parallel { tp = 4  dp = 4  ep = 1 } }\n"
    )
    [error] = [d for d in plan([path], Options(cwd=tmp_path)).diagnostics if d.code == "CC3003"]
    assert (error.span.line, error.span.column) == (6, 30)
    assert error.help == "use ep = 16 (or dp = 1)"
    path.write_text(path.read_text().replace("ep = 1", "ep = 16"))
    assert not [d for d in plan([path], Options(cwd=tmp_path)).diagnostics if d.code == "CC3003"]

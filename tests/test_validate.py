"""`ccc validate`: checked-in manifests against their contract, compared as data.

Fresh output passes; each edit the contract owns fails with its code at the manifest line
and column of the changed key, flag or word; site edits (labels, annotations, environment,
flags the plan does not decide, extra directives) pass; edited degrees are re-placed and
fail with the memory figures when they no longer fit. Every CC6 code is exercised here.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from ccc.api import validate
from ccc.cli import main
from ccc.codes import REGISTRY
from ccc.front.resolve import Options
from ccc.span import Span
from ccc.validation.drift import compare_argv, same
from ccc.validation.manifests import Word, read_shell
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, TESTS, budget

EXAMPLES = sorted((ROOT / "examples").glob("*.cc"))
GOLDEN = TESTS / "golden" / "compile"
H200 = ROOT / "examples" / "h200_qwen3_32b.cc"
H100 = ROOT / "examples" / "hgx_h100_llama405b_two_nodes.cc"
MINDIE = ROOT / "examples" / "ascend_910b_mindie_llama70b.cc"


def checked_in(example: Path, tmp_path: Path) -> Path:
    """The example's compiled manifests (its golden files) as a repository holds them."""
    directory = tmp_path / "deploy"
    shutil.copytree(GOLDEN / example.stem, directory)
    return directory


def check(directory: Path, contract: Path = H200, **kwargs):
    return validate(directory, [contract], Options(cwd=ROOT), **kwargs)


def drift(result) -> list[tuple[str, str, int, int]]:
    """(code, file relative to the test directory, line, column) of each CC6 finding."""
    return [
        (d.code, Path(d.span.file).name if d.span else "", d.span.line if d.span else 0,
         d.span.column if d.span else 0)
        for d in result.diagnostics
        if d.code.startswith("CC6")
    ]  # fmt: skip


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path.name} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


PORT_WORDS = '--port "${CCC_PORT}"'  # as a start script states the port


def line_of(path: Path, needle: str) -> int:
    return at(path, needle)[0]


def at(path: Path, needle: str) -> tuple[int, int]:
    """The 1-based line and column where `needle` first occurs in the file."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path.name}")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_freshly_compiled_manifests_pass(example: Path, tmp_path: Path) -> None:
    result = check(checked_in(example, tmp_path), example)
    assert drift(result) == []
    assert all(d.severity.value != "error" for d in result.diagnostics)
    assert len(result.checked) == len(list((GOLDEN / example.stem).rglob("*.*")))


def test_a_changed_tp_size_is_cc6001_at_its_value(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    manifest = directory / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    edit(
        manifest,
        "- --tensor-parallel-size\n            - '4'",
        "- --tensor-parallel-size\n            - '8'",
    )
    result = check(directory)
    line = line_of(manifest, "- '8'")
    assert drift(result) == [("CC6001", "qwen3-chat.yaml", line, 15)]
    found = next(d for d in result.diagnostics if d.code == "CC6001")
    assert "`--tensor-parallel-size` 8 does not match the contract" in found.message
    assert "the plan's serve instance has tp = 4" in found.message


def test_a_removed_resource_limit_is_cc6003_at_its_mapping(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    manifest = directory / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    edit(manifest, "limits:\n              nvidia.com/gpu: 4\n", "limits:\n              cpu: 8\n")
    result = check(directory)
    assert drift(result) == [("CC6003", "qwen3-chat.yaml", line_of(manifest, "limits:"), 13)]
    assert "the instance uses 4 devices of each node" in result.diagnostics[-1].message


def test_a_changed_engine_flag_in_the_start_script_is_cc6001(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    script = directory / "qwen3_chat" / "vllm" / "serve-serve.sh"
    edit(script, "--kv-cache-dtype auto", "--kv-cache-dtype fp8")
    result = check(directory)
    assert drift(result) == [("CC6001", "serve-serve.sh", *at(script, "fp8"))]
    assert "the contract's kv_cache = bf16" in result.diagnostics[-1].message


def test_a_deleted_file_is_cc6002_at_the_deployment(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    (directory / "qwen3_chat" / "slurm" / "qwen3_chat.sbatch").unlink()
    result = check(directory)
    deployment = line_of(H200, "deployment qwen3_chat")
    assert drift(result) == [("CC6002", H200.name, deployment, 1)]
    assert "qwen3_chat.sbatch is missing" in result.diagnostics[-1].message


def test_site_owned_edits_pass(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    manifest = directory / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    text = manifest.read_text()
    text = text.replace(
        "  annotations:\n    ccc.dev/version: 0.1.0\n",
        "  annotations:\n    team.example.com/owner: infra\n    ccc.dev/version: 0.0.9\n",
    )
    text = text.replace(
        "app.kubernetes.io/managed-by: ccc\n",
        "app.kubernetes.io/managed-by: ccc\n    tier: gold\n",
        1,
    )
    text = text.replace(  # the site's own variable, beside ccc's
        "          env:\n",
        "          env:\n            - name: SITE_PROXY\n              value: http://proxy:3128\n",
        1,
    )
    text = text.replace("            failureThreshold: 3\n", "            failureThreshold: 5\n")
    manifest.write_text(text)
    script = directory / "qwen3_chat" / "vllm" / "serve-serve.sh"
    edit(script, "--max-num-seqs 32", "--max-num-seqs 32 --enforce-eager --port=8000")
    edit(script, "--gpu-memory-utilization 0.90", "--gpu-memory-utilization 0.9")
    sbatch = directory / "qwen3_chat" / "slurm" / "qwen3_chat.sbatch"
    edit(sbatch, "#SBATCH --array=0-1\n", "#SBATCH --array=0-1\n#SBATCH --partition=gpu\n")
    (directory / "qwen3_chat" / "k8s" / "kustomization.yaml").write_text("resources: []\n")
    assert drift(check(directory)) == []


def test_a_flag_the_plan_decides_cannot_be_added(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    script = directory / "qwen3_chat" / "vllm" / "serve-serve.sh"
    edit(script, "--max-num-seqs 32", "--max-num-seqs 32 \\\n    --data-parallel-size 2")
    result = check(directory)
    assert drift(result) == [("CC6001", "serve-serve.sh", line_of(script, "--data-parallel"), 5)]
    assert "the plan leaves it to the engine's default" in result.diagnostics[-1].message


def test_a_removed_flag_and_a_removed_object_are_cc6003(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    script = directory / "qwen3_chat" / "vllm" / "serve-serve.sh"
    edit(script, "    --max-model-len 2561 \\\n", "")
    manifest = directory / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    text = manifest.read_text()
    manifest.write_text(text[: text.rindex("---\napiVersion: v1\nkind: Service")])
    found = drift(check(directory))
    assert ("CC6003", "qwen3-chat.yaml", 1, 1) in found
    assert ("CC6003", "serve-serve.sh", line_of(script, "exec vllm"), 1) in found
    assert len(found) == 2


def test_edited_degrees_that_no_longer_fit_are_cc6004_with_the_memory_figures(
    tmp_path: Path,
) -> None:
    directory = checked_in(H100, tmp_path)
    script = directory / "llama405b" / "vllm" / "serve-serve.sh"
    edit(script, "--tensor-parallel-size 8", "--tensor-parallel-size 2")
    result = check(directory, H100)
    line, column = at(script, "--tensor-parallel-size 2")
    column += len("--tensor-parallel-size ")
    assert drift(result) == [
        ("CC6001", "serve-serve.sh", line, column),
        ("CC6004", "serve-serve.sh", line, column),
    ]
    infeasible = next(d for d in result.diagnostics if d.code == "CC6004")
    assert "(tp = 2, pp = 2, dp = 1, ep = 1) do not fit" in infeasible.message
    assert "GiB per device" in infeasible.message and "usable of 80.0 GiB" in infeasible.message


def test_degrees_that_still_fit_are_drift_only(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    script = directory / "qwen3_chat" / "vllm" / "serve-serve.sh"
    edit(script, "--tensor-parallel-size 4", "--tensor-parallel-size 2")
    assert [code for code, *_ in drift(check(directory))] == ["CC6001"]


def test_mindie_config_degrees_are_compared_and_re_placed(tmp_path: Path) -> None:
    directory = checked_in(MINDIE, tmp_path)
    config = directory / "llama_chat" / "mindie" / "config-serve.json"
    edit(config, '"tp": 8,', '"tp": 1,')
    result = check(directory, MINDIE)
    line = line_of(config, '"tp": 1')
    assert drift(result) == [
        ("CC6001", "config-serve.json", line, 11),
        ("CC6004", "config-serve.json", line, 11),
    ]


def test_predictions_in_reports_are_not_drift(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    plan = directory / "qwen3_chat" / "plan" / "plan.json"
    data = json.loads(plan.read_text())
    data["plan"]["performance"]["ttft_s"] = 9.0
    data["ccc_version"] = "0.0.1"
    data["plan"]["roles"][0]["memory"]["kv_free"] = 1.0
    plan.write_text(json.dumps(data))
    assert drift(check(directory)) == []
    data["plan"]["roles"][0]["dp"] = 2
    plan.write_text(json.dumps(data, indent=1))
    assert [code for code, *_ in drift(check(directory))] == ["CC6001"]


def test_an_image_placeholder_accepts_the_sites_image(tmp_path: Path) -> None:
    contract = tmp_path / "c.cc"
    lines = H200.read_text().splitlines(keepends=True)
    text = "".join(line for line in lines if not line.strip().startswith("image ="))
    assert text != H200.read_text()
    contract.write_text(text)
    assert (
        main(
            ["compile", str(contract), "-o", str(tmp_path / "out")],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        == 0
    )
    manifest = tmp_path / "out" / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    text = manifest.read_text()
    placeholder = text[text.index("image: ") + 7 : text.index("\n", text.index("image: "))]
    assert placeholder.startswith("'<image of vllm")
    manifest.write_text(text.replace(placeholder, "registry.example.com/vllm:0.11.0"))
    assert drift(validate(tmp_path / "out", [contract], Options(cwd=tmp_path))) == []


def test_a_malformed_manifest_is_cc6005_at_the_problem(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    manifest = directory / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    edit(manifest, "      containers:\n", "      containers: [\n")
    script = directory / "qwen3_chat" / "vllm" / "serve-serve.sh"
    edit(script, PORT_WORDS, "--port '8000")
    launch = directory / "qwen3_chat" / "vllm" / "launch.json"
    launch.write_bytes(b"\xff\xfe{}")
    found = {(code, name) for code, name, *_ in drift(check(directory))}
    assert found == {
        ("CC6005", "qwen3-chat.yaml"),
        ("CC6005", "serve-serve.sh"),
        ("CC6005", "launch.json"),
    }


def test_a_number_of_more_digits_than_python_reads_is_cc6005_at_it(tmp_path: Path) -> None:
    # YAML's int constructor raises a bare ValueError past 4,300 digits (found by fuzzing)
    directory = checked_in(H200, tmp_path)
    manifest = directory / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    edit(manifest, "spec:\n  replicas: 2\n", "spec:\n  replicas: " + "9" * 5000 + "\n")
    plan = directory / "qwen3_chat" / "plan" / "plan.json"
    edit(plan, '"devices": 8,\n  "endpoint"', '"devices": ' + "9" * 5000 + ',\n  "endpoint"')
    found = drift(check(directory))
    assert ("CC6005", "qwen3-chat.yaml", *at(manifest, "9" * 5000)) in found
    assert ("CC6005", "plan.json", *at(plan, "9" * 5000)) in found


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    manifest = directory / "qwen3_chat" / "k8s" / "qwen3-chat.yaml"
    edit(
        manifest,
        "spec:\n  replicas: 2\n",
        "spec:\n  replicas: &n 2\n  x: *n\n",
    )
    found = drift(check(directory))
    assert found == [("CC6005", "qwen3-chat.yaml", *at(manifest, "&n 2"))]  # at the anchor


def test_a_directory_without_manifests_is_one_cc6002(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    found = drift(check(tmp_path / "empty"))
    assert found == [("CC6002", H200.name, line_of(H200, "deployment qwen3_chat"), 1)]


def test_named_targets_must_be_present(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    shutil.rmtree(directory / "qwen3_chat" / "bench")
    assert drift(check(directory)) == []  # a target not checked in is not required
    found = drift(check(directory, targets=["vllm", "bench"]))
    assert [code for code, *_ in found] == ["CC6002", "CC6002"]


def test_every_cc6_code_is_exercised_here() -> None:
    source = Path(__file__).read_text()
    for code in (c for c in REGISTRY if c.startswith("CC6")):
        assert f'"{code}"' in source, code


# --- the command -----------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_exits_0_on_fresh_output_and_1_on_drift(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    code, _, err = run("validate", str(directory), "--contract", str(H200))
    assert code == 0 and "8 file(s)" in err and "match the contract" in err
    edit(directory / "qwen3_chat" / "vllm" / "serve-serve.sh", PORT_WORDS, "--port 9000")
    code, _, err = run("validate", str(directory), "--contract", str(H200))
    assert code == 1
    assert "error[CC6001]: `--port` 9000 does not match the contract: the contract's port" in err
    assert "serve-serve.sh:11:12" in err  # after the rank, leader and port defaults


def test_sarif_output_locates_drift_in_the_manifest(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    edit(directory / "qwen3_chat" / "vllm" / "serve-serve.sh", PORT_WORDS, "--port 9000")
    code, out, _ = run("validate", str(directory), "--contract", str(H200), "--format", "sarif")
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    [result] = [r for r in results if r["ruleId"] == "CC6001"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("qwen3_chat/vllm/serve-serve.sh")
    assert location["region"]["startLine"] == 11


def test_json_output_lists_the_drift(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    edit(directory / "qwen3_chat" / "vllm" / "serve-serve.sh", PORT_WORDS, "--port 9000")
    code, out, _ = run("validate", str(directory), "--contract", str(H200), "--format", "json")
    assert code == 1
    codes = [d["code"] for d in json.loads(out)["diagnostics"]]
    assert "CC6001" in codes


def test_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope"), "--contract", str(H200))
    assert code == 2 and "not a directory" in err


# --- comparison semantics ------------------------------------------------------------------------


def test_values_compare_as_data() -> None:
    assert same("8000", 8000) and same("0.90", 0.9) and same(True, "true")
    assert same('{"a": 1, "b": 2}', '{"b":2,"a":1}')
    assert same("<image of vLLM: set `image`>", "any/image:tag")
    assert not same("4", "8") and not same("auto", "fp8") and not same("<x>", ["a"])


SPAN = Span("f", 1, 1, 1, 1)
FLAG_PAIRS = st.lists(
    st.tuples(
        st.from_regex(r"--[a-z]{1,8}(-[a-z]{1,6})?", fullmatch=True),
        st.from_regex(r"[a-z0-9.]{1,6}", fullmatch=True),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda pair: pair[0],
)


def words(texts: list[str]) -> list[Word]:
    return [Word(text, SPAN) for text in texts]


@settings(max_examples=budget(100))
@given(FLAG_PAIRS, st.randoms())
def test_flag_order_and_equals_form_are_not_drift(pairs, random) -> None:
    expected = ["prog", "run"] + [w for pair in pairs for w in pair]
    shuffled = list(pairs)
    random.shuffle(shuffled)
    actual = ["prog", "run"]
    for flag, value in shuffled:
        actual += [f"{flag}={value}"] if random.random() < 0.5 else [flag, value]
    assert compare_argv(expected, words(actual), SPAN, frozenset())[0] == []


@settings(max_examples=budget(100))
@given(FLAG_PAIRS, st.data())
def test_one_changed_value_is_exactly_one_drift_on_its_flag(pairs, data) -> None:
    index = data.draw(st.integers(0, len(pairs) - 1))
    expected = ["prog"] + [w for pair in pairs for w in pair]
    changed = [(f, v + "x") if i == index else (f, v) for i, (f, v) in enumerate(pairs)]
    actual = ["prog"] + [w for pair in changed for w in pair]
    found, _ = compare_argv(expected, words(actual), SPAN, frozenset())
    assert [(d.kind, d.key) for d in found] == [("changed", pairs[index][0])]


@settings(max_examples=budget(100))
@given(st.lists(st.from_regex(r"[a-z0-9=._/-]{1,10}", fullmatch=True), min_size=1, max_size=12))
def test_a_script_line_splits_back_into_its_words(texts) -> None:
    import shlex

    line = "exec " + " ".join(shlex.quote(t) for t in texts)
    [statement] = read_shell(line + "\n", "f")
    assert [w.text for w in statement.words] == ["exec", *texts]


def test_the_pre_commit_hooks_run_real_commands(capsys) -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"ccc-check", "ccc-fmt", "ccc-validate"}
    for hook in hooks:
        program, *words = hook["entry"].split()
        assert program == "ccc"
        with pytest.raises(SystemExit) as done:  # argparse exits 0 after --help
            main([*words, "--help"])
        assert done.value.code == 0
        assert f"usage: ccc {words[0]}" in capsys.readouterr().out


def test_an_engine_flag_inside_a_shell_script_arg_is_compared_as_a_flag(tmp_path: Path) -> None:
    """Multi-node vLLM runs `ray start ... && exec vllm serve ...` through `/bin/sh -c`."""
    directory = checked_in(H100, tmp_path)
    manifest = directory / "llama405b" / "k8s" / "llama405b.yaml"
    text = manifest.read_text(encoding="utf-8")  # the folded scalar may wrap between them
    text, edits = re.subn(r"--tensor-parallel-size\s+8\b", "--tensor-parallel-size 2", text)
    assert edits == 1
    manifest.write_text(text, encoding="utf-8")
    found = drift(check(directory, H100))
    line, column = at(manifest, "- ray start --head")
    column += len("- ")
    assert found == [
        ("CC6001", "llama405b.yaml", line, column),
        ("CC6004", "llama405b.yaml", line, column),
    ]


def test_a_manifest_that_is_not_utf8_is_cc6005_at_its_first_bad_byte(tmp_path: Path) -> None:
    directory = checked_in(H200, tmp_path)
    script = directory / "qwen3_chat" / "vllm" / "serve-serve.sh"
    lines = script.read_bytes().split(b"\n")
    lines[2] = b"# caf\xe9 " + lines[2]
    script.write_bytes(b"\n".join(lines))
    assert ("CC6005", "serve-serve.sh", 3, 6) in drift(check(directory))

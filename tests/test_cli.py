"""The command line: exit codes, formats, help with examples, and no traceback, ever."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from ccc import cli

from tests.conftest import TESTS

CASES = TESTS / "cases"
GOOD = """accelerator card {
  memory = 64 GiB
}
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_clean_file_exits_0(tmp_path: Path) -> None:
    (tmp_path / "ok.cc").write_text(GOOD)
    code, _, err = run("check", str(tmp_path / "ok.cc"))
    assert code == 0 and "no problems" in err


def test_check_errors_exit_1_with_rendered_location() -> None:
    code, _, err = run("check", str(CASES / "units" / "wrong_dimension.cc"))
    assert code == 1
    assert "error[CC2001]" in err and "wrong_dimension.cc:2:12" in err


def test_warnings_pass_unless_strict() -> None:
    case = str(CASES / "values" / "unknown_figure.cc")
    assert run("check", case)[0] == 0
    code, _, err = run("check", "--strict", case)
    assert code == 1 and "error[CC2101]" in err


def test_check_lists_which_unknown_blocks_which_check() -> None:
    _, _, err = run("check", str(CASES / "values" / "unknown_figure.cc"))
    assert "unmeasured.memory" in err and "memory fit" in err
    _, out, _ = run("check", "--format", "json", str(CASES / "values" / "unknown_figure.cc"))
    assert json.loads(out)["unknown_figures"][0]["figure"] == "unmeasured.memory"


def test_check_sarif_on_stdout() -> None:
    code, out, _ = run("check", "--format", "sarif", str(CASES / "units" / "unknown_unit.cc"))
    assert code == 1 and json.loads(out)["runs"][0]["results"][0]["ruleId"] == "CC2003"


def test_missing_file_is_a_usage_error_exit_2() -> None:
    code, _, err = run("check", "no/such/file.cc")
    assert code == 2 and "no such file" in err


@pytest.fixture
def buggy_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A contract whose check hits a bug in ccc (a RuntimeError of two lines)."""
    (tmp_path / "ok.cc").write_text(GOOD)

    def explode(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("ccc.api.check", explode)
    return str(tmp_path / "ok.cc")


def test_internal_error_is_one_line_and_exit_2(buggy_check: str) -> None:
    code, _, err = run("check", buggy_check)
    assert code == 2 and "Traceback" not in err
    first, help, *rest = err.splitlines()
    assert first == "error[CC9001]: internal error: RuntimeError: boom" and rest == []
    assert "bug in ccc" in help and "report it" in help and "--debug" in help


def test_debug_shows_the_traceback_and_still_exits_2(buggy_check: str) -> None:
    for argv in (["--debug", "check", buggy_check], ["check", buggy_check, "--debug"]):
        code, _, err = run(*argv)
        assert code == 2 and err.startswith("Traceback (most recent call last):"), argv
        assert 'raise RuntimeError("boom' in err and "in explode" in err
        assert "error[CC9001]: internal error: RuntimeError: boom\n" in err


def test_fmt_check_prints_a_diff_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "a.cc"
    path.write_text("accelerator card { memory = 64 GiB }\n")
    code, out, _ = run("fmt", "--check", str(path))
    assert code == 1 and "+  memory = 64 GiB" in out
    assert run("fmt", str(path))[0] == 0
    assert path.read_text() == GOOD
    assert run("fmt", "--check", str(path)) == (0, "", "")


def test_explain_prints_the_long_explanation() -> None:
    code, out, _ = run("explain", "CC2001")
    assert code == 0 and "Bad:" in out and "wrong-dimension" in out
    assert run("explain", "cc2001")[1] == out
    code, _, err = run("explain", "CC2999")
    assert code == 2 and "CC2999" in err


def test_schema_prints_valid_json_schemas() -> None:
    for name in ("accelerator", "deployment", "contract", "report"):
        code, out, _ = run("schema", name)
        assert code == 0
        jsonschema.Draft202012Validator.check_schema(json.loads(out))
    assert run("schema", "nonsense")[0] == 2


def test_every_command_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("check", "fmt", "catalog", "explain", "schema"):
        with pytest.raises(SystemExit) as exit_info:
            cli.main([command, "--help"])
        assert exit_info.value.code == 0
        help_text = capsys.readouterr().out.rstrip().splitlines()
        assert help_text[-2].strip() == "example:"
        assert help_text[-1].strip().startswith(f"ccc {command}")


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ccc.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("ccc ")


@pytest.mark.parametrize(
    "garbage",
    [
        b"\xff\xfe\x00bad",
        b"accelerator a { memory = 1e999999 GiB }",
        b"{" * 5000,
        b'model m from "/etc/passwd"',
        b'import "/etc/passwd"',
        b"a b c d e f g",
    ],
)
def test_no_input_gives_a_traceback(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "x.cc"
    path.write_bytes(garbage)
    code, out, err = run("check", str(path))
    assert code in (0, 1) and "Traceback" not in out + err


def test_internal_error_is_a_cc9001_diagnostic_in_the_format_asked_for(buggy_check: str) -> None:
    code, out, err = run("check", buggy_check, "--format", "json")
    report = json.loads(out)
    assert code == 2 and "Traceback" not in err
    [diagnostic] = report["diagnostics"]
    assert diagnostic["code"] == "CC9001" and "RuntimeError: boom" in diagnostic["message"]
    assert "bug in ccc" in diagnostic["help"]
    code, out, _ = run("check", buggy_check, "--format", "sarif")
    [result] = json.loads(out)["runs"][0]["results"]
    assert code == 2 and result["ruleId"] == "CC9001" and result["level"] == "error"


def _codes_and_places(report: str) -> list[tuple[str, str, int, int]]:
    return sorted(
        (d["code"], d["span"]["file"], d["span"]["line"], d["span"]["column"])
        for d in json.loads(report)["diagnostics"]
        if d["severity"] == "error"
    )


def test_check_resolves_the_files_it_is_given_together_as_plan_does(tmp_path: Path) -> None:
    # Two files that each define `card`: one contract, so the second definition is CC1005.
    (tmp_path / "a.cc").write_text(GOOD)
    (tmp_path / "b.cc").write_text(GOOD)
    code, out, _ = run("check", str(tmp_path), "--format", "json")
    errors = _codes_and_places(out)
    assert code == 1 and [e[0] for e in errors] == ["CC1005"]
    assert errors[0][1].endswith("b.cc") and errors[0][2:] == (1, 13)
    code, _, err = run("plan", str(tmp_path))
    assert code == 1 and err.count("error[CC1005]") == 1 and "b.cc:1:13" in err


def test_check_and_plan_of_the_examples_directory_agree_on_duplicate_names() -> None:
    examples = str(TESTS.parent / "examples")
    check_code, check_out, _ = run("check", examples, "--format", "json")
    plan_code, _, plan_err = run("plan", examples)
    duplicates = [e for e in _codes_and_places(check_out) if e[0] == "CC1005"]
    assert duplicates and check_code == plan_code == 1
    assert plan_err.count("error[CC1005]") == len(duplicates)
    for _, file, line, column in duplicates:
        assert f"{file}:{line}:{column}" in plan_err


def test_graph_between_prints_the_routes_and_their_slowest_link() -> None:
    example = str(TESTS.parent / "examples" / "hgx_h100_llama405b_two_nodes.cc")
    code, out, _ = run("graph", example, "--between", "0,3,9")
    assert code == 0
    assert "d0 to d3: d0 -> s0/up -> d3" in out
    assert "d0 to d9: d0 -> s0/up -> leaf0 -> spine -> leaf1 -> s1/up -> d9" in out
    assert "slowest link: scale_out (ib_ndr_400g, 50 GB/s" in out
    code, out, _ = run("graph", example, "--between", "0,3", "--format", "json")
    view = json.loads(out)
    assert code == 0 and view["slowest"]["name"] == "scale_up"
    jsonschema.validate(view, json.loads(run("schema", "route")[1]))


def test_graph_between_refuses_devices_outside_the_cluster() -> None:
    example = str(TESTS.parent / "examples" / "hgx_h100_llama405b_two_nodes.cc")
    for between, why in (
        ("0,16", "device 16 is not in 0..15"),
        ("3", "two or more"),
        ("0,x", "device indices"),
        ("2,2", "two or more different"),
    ):
        code, _, err = run("graph", example, "--between", between)
        assert code == 2 and why in err, between


def test_a_command_parses_alike_with_only_its_own_subparser_built() -> None:
    full = cli._parser()
    for command in cli._commands():
        alone = cli._parser(command.name)
        assert cli._command_named(["--color", "never", command.name, "x"]) == command.name
        sub_full = full._subparsers._group_actions[0].choices[command.name]  # type: ignore[union-attr]
        sub_alone = alone._subparsers._group_actions[0].choices[command.name]  # type: ignore[union-attr]
        assert sub_alone.format_help() == sub_full.format_help(), command.name
    assert cli._command_named(["--debug", "chekc"]) is None  # argparse then names the choices
    assert cli._command_named(["--version"]) is None


def test_commands_leave_the_cycle_collector_as_they_found_it() -> None:
    import gc

    assert gc.isenabled()
    assert (
        cli.main(
            ["check", str(TESTS.parent / "examples" / "h200_qwen3_32b.cc")], stdout=io.StringIO()
        )
        == 0
    )
    assert gc.isenabled()
    gc.disable()
    try:
        cli.main(
            ["check", str(TESTS.parent / "examples" / "h200_qwen3_32b.cc")], stdout=io.StringIO()
        )
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("servers", [8, 1024])
def test_a_plan_makes_almost_no_reference_cycles(tmp_path: Path, servers: int) -> None:
    """`ccc` runs with the cycle collector off (see cli._without_cycle_collector): that is
    safe only while what a command leaves for it stays small and does not grow with the
    cluster (648 objects for a 32,768-device plan when measured)."""
    import gc

    path = tmp_path / "big.cc"
    path.write_text(
        'import "std/nvidia"\nimport "std/models/deepseek"\nimport "std/toolkits/sglang"\n'
        f"cluster c {{ server = hgx_h200  nodes = {servers} }}\n"
        "deployment d { model = deepseek_v3  cluster = c  toolkit = sglang  weights = fp8\n"
        "  workload { input_tokens = 2048  output_tokens = 512  concurrency = 64 } }\n",
        encoding="utf-8",
    )
    args = ["plan", str(path), "--format", "json", "--ranks", "--top", "1"]
    gc.collect()
    gc.disable()
    try:
        assert cli.main(args, stdout=io.StringIO()) == 0
        left = gc.collect()
    finally:
        gc.enable()
    assert left < 2_000


def test_catalog_of_a_kind_it_has_none_of_says_so() -> None:
    code, out, _ = run("catalog", "--kind", "cluster")
    assert code == 0
    assert out.startswith("no clusters in the catalog")


def test_schema_of_a_block_gives_every_key_its_meaning() -> None:
    code, out, _ = run("schema", "deployment")
    schema = json.loads(out)
    assert code == 0
    assert schema["properties"]["devices"]["description"].startswith("devices used")
    workload = schema["$defs"]["Workload"]["properties"]
    assert all(p.get("description") for p in workload.values())

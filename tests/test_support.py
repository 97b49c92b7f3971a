"""Toolkit support is a contract check: `ccc check` refuses what the toolkit cannot run, once."""

from __future__ import annotations

from ccc.api import check, compile, plan
from ccc.front.resolve import Options

from tests.conftest import TESTS

MINDIE_ON_H200 = TESTS / "cases" / "placement" / "toolkit_unsupported.cc"


def _found(diagnostics) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in diagnostics if d.span is not None]


def test_check_refuses_mindie_on_h200_at_the_toolkit_key() -> None:
    result = check([MINDIE_ON_H200], Options(cwd=MINDIE_ON_H200.parent))
    assert _found(result.diagnostics) == [("CC3008", 5, 48)]
    assert "does not support `nvidia_h200_sxm`" in result.diagnostics[0].message


def test_plan_and_compile_report_it_once_and_place_nothing() -> None:
    options = Options(cwd=MINDIE_ON_H200.parent)
    planned = plan([MINDIE_ON_H200], options)
    assert _found(planned.diagnostics) == [("CC3008", 5, 48)]
    assert not any(role.candidates for roles in planned.placements.values() for role in roles)
    compiled = compile([MINDIE_ON_H200], options)
    assert _found(compiled.diagnostics) == [("CC3008", 5, 48)] and compiled.emitted is None


def test_placement_alone_declines_a_deployment_its_toolkit_cannot_run() -> None:
    from ccc.placement.place import place

    contract = check([MINDIE_ON_H200], Options(cwd=MINDIE_ON_H200.parent)).contract
    placements, diagnostics = place(contract)
    assert [r.candidates for r in placements["d"]] == [[]]
    assert not any(d.code == "CC3008" for d in diagnostics)


def test_an_unverified_claim_warns_once_and_still_plans() -> None:
    path = TESTS / "cases" / "placement" / "toolkit_unverified.cc"
    planned = plan([path], Options(cwd=path.parent))
    assert [d.code for d in planned.diagnostics].count("CC3009") == 1
    assert any(role.candidates for roles in planned.placements.values() for role in roles)


_V4_FLASH = """import "std/ascend"
import "std/models/deepseek"
import "std/toolkits/vllm_ascend"
cluster box {{ server = {server}  nodes = 1 }}
deployment v4 {{ model = deepseek_v4_flash  cluster = box  toolkit = vllm_ascend  weights = fp8
  workload {{ input_tokens = 2 K  output_tokens = 1 K  concurrency = 8 }} }}
"""


def test_deepseek_v4_flash_fp8_places_and_compiles_on_one_8_card_950pr_server(tmp_path) -> None:
    """vllm-ascend serves FP8 (DeepSeek-V4's own checkpoint, W8A8FP8) only on Ascend 950."""
    path = tmp_path / "v4.cc"
    path.write_text(_V4_FLASH.format(server="ascend_950pr_x8"))
    result = compile([path], Options(cwd=tmp_path))
    assert result.emitted is not None, [d.message for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code == "CC3008"]


def test_the_same_fp8_on_a_910b_is_refused_with_what_that_chip_serves(tmp_path) -> None:
    path = tmp_path / "v4.cc"
    path.write_text(_V4_FLASH.format(server="atlas_800t_a2"))
    result = check([path], Options(cwd=tmp_path))
    [refused] = [d for d in result.diagnostics if d.code == "CC3008"]
    assert refused.message == "`vllm_ascend` does not serve fp8 weights"
    assert refused.help == "it serves: bf16, int8, int4" and refused.span.line == 5


def test_a_per_chip_list_names_accelerators_and_dtypes(tmp_path) -> None:
    path = tmp_path / "site.cc"
    path.write_text(
        'import "std/ascend"\n'
        "toolkit mine {\n"
        "  chip_weights { ascend_951 = [bf16]  ascend_950dt = [bf17] }\n"
        "}\n"
    )
    found = _found(check([path], Options(cwd=tmp_path)).diagnostics)
    assert found == [("CC1001", 3, 18), ("CC2006", 3, 55)]  # no chip `ascend_951`, no `bf17`

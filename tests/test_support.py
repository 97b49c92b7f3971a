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

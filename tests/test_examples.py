"""Every bundled example checks clean (exit 0); warnings are for unknown or unverified facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from ccc.api import check
from ccc.dsl.formatter import format_text
from ccc.resolve import Options

from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.cc"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_checks_without_errors(path: Path) -> None:
    result = check([path], Options(cwd=ROOT))
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    assert {d.code for d in result.diagnostics} <= {"CC2101"}
    assert result.contract.deployments, "an example deploys something"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, path.name)[0] == text


def test_the_nvidia_reference_has_every_figure_it_needs() -> None:
    [path] = [p for p in EXAMPLES if "h200" in p.name]
    assert check([path], Options(cwd=ROOT)).diagnostics == []


@pytest.mark.parametrize(
    "system",
    [
        "p800x8",
        "p800_supernode64",
        "atlas_800t_a2",
        "cloudmatrix384",
        "atlas_950_superpod",
        "mlu590x8",
        "panjiu128",
        "scalex40",
        "hgx_h200",
    ],
)
def test_each_seed_system_has_an_example(system: str) -> None:
    assert any(system in p.read_text(encoding="utf-8") for p in EXAMPLES)


def test_disaggregated_example_has_both_roles() -> None:
    [path] = [p for p in EXAMPLES if "cloudmatrix" in p.name]
    deployment = next(iter(check([path], Options(cwd=ROOT)).contract.deployments.values()))
    assert deployment.prefill is not None and deployment.decode is not None
    assert deployment.decode.parallel.ep == 320 and deployment.decode.parallel.extra_experts == 64

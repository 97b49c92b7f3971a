"""Every bundled example checks clean (exit 0); warnings are for unknown or unverified facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from ccc.api import check
from ccc.dsl.formatter import format_text
from ccc.front.resolve import Options
from ccc.ir import KINDS

from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.cc"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_checks_without_errors(path: Path) -> None:
    result = check([path], Options(cwd=ROOT))
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    assert {d.code for d in result.diagnostics} <= {"CC2101", "CC3009"}  # unknown, unverified
    assert result.contract.deployments, "an example deploys something"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, path.name)[0] == text


def test_the_nvidia_reference_has_every_figure_it_needs() -> None:
    [path] = [p for p in EXAMPLES if "h200_qwen3" in p.name]
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


def reflowed(text: str) -> str:
    """The same contract on as few lines as the language allows: comments dropped, every
    line joined to the previous one (imports and blocks still start on their own line)."""
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    out: list[str] = []
    for line in filter(None, lines):
        starts_block = line.startswith("import") or (
            line.endswith("{") and line.split()[0] in KINDS
        )
        out.append(("\n" if starts_block else "  ") + line)
    return "".join(out) + "\n"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_formatting_a_reflowed_example_gives_the_same_ir(path: Path, tmp_path: Path) -> None:
    original = check([path], Options(cwd=ROOT)).contract
    squashed = tmp_path / path.name
    squashed.write_text(reflowed(path.read_text(encoding="utf-8")), encoding="utf-8")
    formatted, errors = format_text(squashed.read_text(encoding="utf-8"), path.name)
    assert errors == [] and formatted is not None
    squashed.write_text(formatted, encoding="utf-8")
    again = check([squashed], Options(cwd=ROOT)).contract
    assert strip_spans(again.deployments) == strip_spans(original.deployments)
    assert strip_spans(again.clusters) == strip_spans(original.clusters)


def strip_spans(table: dict) -> dict:
    return {name: block.model_dump(exclude={"span", "spans"}) for name, block in table.items()}

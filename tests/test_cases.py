"""Every diagnostic, from a `.cc` case file that marks where it must fire.

A comment `# error[CC2001]@12` on a line says: a CC2001 error starts on this line, at
column 12. The rendered text of each case is kept beside it as a golden `.txt`
(`pytest --update-golden` rewrites them; review the diff).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ccc.api import compile, plan
from ccc.codes import REGISTRY
from ccc.front.resolve import Options
from ccc.render import text

from tests.conftest import TESTS

CASES = TESTS / "cases"
EXPECT = re.compile(r"#\s*(error|warning|note)\[(CC\d{4})\]@(\d+)")
CASE_FILES = sorted(p for p in CASES.rglob("*.cc") if not p.name.startswith("_"))
# Codes that no contract text can raise on purpose have their own tests.
SPECIAL = {
    "CC7002": "test_limits.py",
    "CC7006": "test_limits.py",  # its Bad: example would be 16,385 numbers long
    # measurement files of `ccc calibrate`, not contracts: tests/test_measurements.py
    "CC4003": "test_measurements.py",
    "CC4004": "test_measurements.py",
    "CC4006": "test_scoring.py",  # a factor table file (--factors FILE)
    "CC9001": "test_cli.py",
    "CC5002": "test_compile.py",
    "CC5005": "test_targets.py",  # placement refuses such a plan first (CC3003)
    # `ccc validate` findings are about manifests, not contracts: tests/test_validate.py
    **{code: "test_validate.py" for code in REGISTRY if code.startswith("CC6")},
}


def expectations(sources: dict[str, str]) -> set[tuple[str, str, str, int, int]]:
    found = set()
    for name, source in sources.items():
        for number, line in enumerate(source.splitlines(), start=1):
            for severity, code, column in EXPECT.findall(line):
                found.add((severity, code, name, number, int(column)))
    return found


def run_case(path: Path):
    """Checked, placed and predicted as `ccc plan` does (placement's CC3xxx and the search's
    CC4xxx codes are cases too); the targets' cases are also emitted, as `ccc compile` does."""
    run = compile if path.parent.name == "targets" else plan
    return run([path], Options(cwd=path.parent))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.relative_to(CASES).as_posix())
def test_case_fires_where_marked(path: Path, update_golden: bool) -> None:
    result = run_case(path)
    actual = {
        (d.severity.value, d.code, d.span.file, d.span.line, d.span.column)
        for d in result.diagnostics
        if d.span is not None
    }
    assert actual == expectations(result.sources)
    golden = path.with_suffix(".txt")
    rendered = text.render(result.diagnostics, result.sources)
    if update_golden or not golden.exists():
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_every_code_has_a_case() -> None:
    marked = set()
    for path in CASES.rglob("*.cc"):
        marked |= {code for _, code, _ in EXPECT.findall(path.read_text(encoding="utf-8"))}
    missing = set(REGISTRY) - marked - set(SPECIAL)
    assert not missing, f"codes without a case file: {sorted(missing)}"


def bad_example(explain: str) -> str:
    match = re.search(r"^Bad:\n(.*?)^Good:", explain, re.MULTILINE | re.DOTALL)
    assert match, "every explanation has a Bad: and a Good: example"
    return "\n".join(line[2:] for line in match.group(1).splitlines()) + "\n"


@pytest.mark.parametrize("code", sorted(set(REGISTRY) - set(SPECIAL)))
def test_explanations_bad_example_fires_its_code(code: str, tmp_path: Path) -> None:
    project = tmp_path / "a" / "b" / "project"
    project.mkdir(parents=True)
    contract = project / "bad.cc"
    contract.write_text(bad_example(REGISTRY[code].explain), encoding="utf-8")
    run = compile if code.startswith("CC5") else plan
    result = run([contract], Options(cwd=project))
    assert code in {d.code for d in result.diagnostics}

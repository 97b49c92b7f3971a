"""The tree reads as the pipeline: each module's first docstring line names its stage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Where a module sits says its stage; its docstring's first line must open with that name.
STAGES = {
    "dsl": "Language",
    "compiler/front": "Front end",
    "compiler/hardware": "Hardware",
    "compiler/placement": "Placement",
    "compiler/performance": "Performance",
    "compiler/calibration": "Calibration",
    "compiler/validation": "Validation",
    "compiler/render": "Render",
    "targets": "Targets",
}
# The top level of compiler/: the values every stage shares, and what drives the stages.
TOP_LEVEL = {"api.py": "Driver", "cli.py": "CLI", "emit.py": "Back end"}
PIPELINE = ["front", "hardware", "placement", "performance", "calibration", "validation"]


def _modules() -> list[Path]:
    return sorted(
        p
        for folder in ("compiler", "dsl", "targets")
        for p in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in p.parts
    )


def _stage_of(path: Path) -> str | None:
    relative = path.relative_to(ROOT)
    if relative == Path("compiler/__init__.py"):
        return None  # the package `ccc` itself: its public API
    if relative.parent == Path("compiler"):
        return TOP_LEVEL.get(relative.name, "Core")
    return next(stage for folder, stage in STAGES.items() if relative.is_relative_to(Path(folder)))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_says_its_stage_first(path: Path) -> None:
    stage = _stage_of(path)
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path.relative_to(ROOT)} has no docstring"
    first = docstring.splitlines()[0]
    assert stage is None or first.startswith((f"{stage}:", f"{stage},")), first


def test_compiler_is_grouped_by_stage_not_flat() -> None:
    packages = sorted(p.name for p in (ROOT / "compiler").iterdir() if (p / "__init__.py").exists())
    assert [p for p in PIPELINE if p in packages] == PIPELINE
    flat = sorted(p.name for p in (ROOT / "compiler").glob("*.py"))
    assert len(flat) <= 14, flat  # the shared values and the drivers, no stage's modules

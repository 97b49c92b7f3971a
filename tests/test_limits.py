"""Limits: oversized files and too many imports are refused, not read."""

from __future__ import annotations

from pathlib import Path

from ccc.api import check
from ccc.loader import MAX_FILE_BYTES, MAX_FILES
from ccc.resolve import Options


def codes_of(path: Path) -> list[tuple[str, int, int]]:
    result = check([path], Options(cwd=path.parent))
    return [
        (d.code, d.span.line if d.span else 0, d.span.column if d.span else 0)
        for d in result.diagnostics
    ]


def test_an_oversized_import_is_refused_at_the_import(tmp_path: Path) -> None:
    (tmp_path / "big.cc").write_text("#" * (MAX_FILE_BYTES + 1))
    (tmp_path / "main.cc").write_text('import "big"\n')
    assert codes_of(tmp_path / "main.cc") == [("CC7002", 1, 8)]


def test_too_many_files_are_refused(tmp_path: Path) -> None:
    for i in range(MAX_FILES + 2):
        (tmp_path / f"f{i}.cc").write_text(f'import "f{i + 1}"\n')
    found = codes_of(tmp_path / "f0.cc")
    assert found and {code for code, _, _ in found} == {"CC7002"}

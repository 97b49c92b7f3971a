"""Limits: oversized files, too many or too deeply chained imports and overlong lists are
refused with a located diagnostic, not read."""

from __future__ import annotations

from pathlib import Path

from ccc.api import check
from ccc.dsl.parser import parse
from ccc.front.resolve import Options
from ccc.limits import MAX_FILE_BYTES, MAX_FILES, MAX_IMPORT_DEPTH, MAX_LIST_ITEMS


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
        (tmp_path / f"f{i}.cc").write_text(f"# file {i}\n")
    imports = "".join(f'import "f{i}"\n' for i in range(MAX_FILES + 2))
    (tmp_path / "main.cc").write_text(imports)
    found = codes_of(tmp_path / "main.cc")
    assert found and {code for code, _, _ in found} == {"CC7002"}


def test_a_chain_of_imports_too_deep_is_cc7003_at_the_import(tmp_path: Path) -> None:
    for i in range(MAX_IMPORT_DEPTH + 3):
        (tmp_path / f"f{i}.cc").write_text(f'# level {i}\nimport "f{i + 1}"\n')
    (tmp_path / f"f{MAX_IMPORT_DEPTH + 3}.cc").write_text("")
    # f0 .. f31 are the 32 files of the chain; f31's import of f32 is one too many
    result = check([tmp_path / "f0.cc"], Options(cwd=tmp_path))
    [error] = result.diagnostics
    assert (error.code, error.span.file, error.span.line, error.span.column) == (
        "CC7003",
        f"f{MAX_IMPORT_DEPTH - 1}.cc",
        2,
        8,
    )


def test_a_chain_at_the_depth_limit_loads(tmp_path: Path) -> None:
    for i in range(MAX_IMPORT_DEPTH - 1):
        (tmp_path / f"f{i}.cc").write_text(f'import "f{i + 1}"\n')
    (tmp_path / f"f{MAX_IMPORT_DEPTH - 1}.cc").write_text("")
    assert codes_of(tmp_path / "f0.cc") == []


def _list_of(items: int) -> str:
    numbers = ", ".join(str(i % 8) for i in range(items))
    return f"server s {{\n  allocation_groups = [[{numbers}]]\n}}\n"


def test_a_list_too_long_is_cc7006_where_it_passes_the_limit(tmp_path: Path) -> None:
    text = _list_of(MAX_LIST_ITEMS + 5)
    (tmp_path / "long.cc").write_text(text)
    found = codes_of(tmp_path / "long.cc")
    line = text.splitlines()[1]
    column = [i for i, c in enumerate(line, start=1) if c == ","][MAX_LIST_ITEMS]
    assert found == [("CC7006", 2, column)]


def test_a_list_at_the_limit_and_commas_in_strings_or_comments_are_not_counted() -> None:
    _, diagnostics = parse(_list_of(MAX_LIST_ITEMS), "ok.cc")
    assert diagnostics == []
    strings = ", ".join(['"a,b,c"'] * 8)
    comment = "# " + "," * (MAX_LIST_ITEMS + 1)
    _, diagnostics = parse(f"toolkit t {{ notes = [{strings}\n{comment}\n] }}\n", "ok.cc")
    assert [d.code for d in diagnostics] == []

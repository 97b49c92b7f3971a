"""Confinement: a contract reads only its project directory (the given file's directory, or
`--root`), `--catalog` directories, the standard catalog and the Hugging Face cache. No
spelling of a path — `..`, an absolute path, a symlink to a file or to a directory — reads
anything else, and nothing else in the environment changes what ccc reads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ccc.api import check
from ccc.cli import main
from ccc.front.resolve import Options

SECRET = "accelerator secret { memory = 1 GB }\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def located(path: Path, **options) -> list[tuple[str, str, int, int]]:
    result = check([path], Options(cwd=path.parent, **options))
    assert "secret" not in result.contract.accelerators  # nothing outside was read
    return [
        (d.code, d.span.file, d.span.line, d.span.column) if d.span else (d.code, "", 0, 0)
        for d in result.diagnostics
    ]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the project, which no import may reach."""
    return write(tmp_path / "elsewhere" / "secret.cc", SECRET)


def project_file(tmp_path: Path, text: str) -> Path:
    return write(tmp_path / "project" / "main.cc", text)


def test_dot_dot_climbing_out_is_cc7001_at_the_path(tmp_path: Path, outside: Path) -> None:
    main_cc = project_file(tmp_path, 'import "../elsewhere/secret"\n')
    assert located(main_cc) == [("CC7001", "main.cc", 1, 8)]


def test_an_absolute_path_out_is_cc7001(tmp_path: Path, outside: Path) -> None:
    main_cc = project_file(tmp_path, f'import "{outside.with_suffix("")}"\n')
    assert located(main_cc) == [("CC7001", "main.cc", 1, 8)]


def test_a_symlinked_file_pointing_out_is_cc7001(tmp_path: Path, outside: Path) -> None:
    main_cc = project_file(tmp_path, '# a link inside the project\nimport "link"\n')
    os.symlink(outside, main_cc.parent / "link.cc")
    assert located(main_cc) == [("CC7001", "main.cc", 2, 8)]


def test_a_symlinked_directory_pointing_out_is_cc7001(tmp_path: Path, outside: Path) -> None:
    main_cc = project_file(tmp_path, 'import "shared/secret"\n')
    os.symlink(outside.parent, main_cc.parent / "shared", target_is_directory=True)
    assert located(main_cc) == [("CC7001", "main.cc", 1, 8)]


def test_a_model_config_symlinked_out_is_cc7001(tmp_path: Path) -> None:
    config = write(tmp_path / "elsewhere" / "config.json", "{}")
    main_cc = project_file(tmp_path, '\nmodel m from "config.json"\n')
    os.symlink(config, main_cc.parent / "config.json")
    assert located(main_cc) == [("CC7001", "main.cc", 2, 14)]


def test_a_symlink_that_stays_inside_is_followed(tmp_path: Path) -> None:
    write(tmp_path / "project" / "lib" / "real.cc", "accelerator inside { memory = 1 GB }\n")
    main_cc = project_file(tmp_path, 'import "alias"\n')
    os.symlink(main_cc.parent / "lib" / "real.cc", main_cc.parent / "alias.cc")
    result = check([main_cc], Options(cwd=main_cc.parent))
    assert result.diagnostics == [] and "inside" in result.contract.accelerators


def test_an_imported_file_cannot_climb_out_of_the_project_either(
    tmp_path: Path, outside: Path
) -> None:
    write(tmp_path / "project" / "lib" / "a.cc", '\n\nimport "../../elsewhere/secret"\n')
    main_cc = project_file(tmp_path, 'import "lib/a"\n')
    assert located(main_cc) == [("CC7001", "lib/a.cc", 3, 8)]


def test_root_widens_the_project_to_a_parent_directory(tmp_path: Path) -> None:
    """A team's contracts in `deploy/` importing `shared/` beside it: legal with --root."""
    write(tmp_path / "repo" / "shared" / "site.cc", "accelerator site_card { memory = 1 GB }\n")
    contract = write(tmp_path / "repo" / "deploy" / "main.cc", 'import "../shared/site"\n')
    assert located(contract) == [("CC7001", "main.cc", 1, 8)]  # the default root is deploy/
    result = check([contract], Options(cwd=contract.parent, root=tmp_path / "repo"))
    assert result.diagnostics == [] and "site_card" in result.contract.accelerators


def test_root_still_confines(tmp_path: Path, outside: Path) -> None:
    contract = write(tmp_path / "repo" / "deploy" / "main.cc", 'import "../../elsewhere/secret"\n')
    assert located(contract, root=tmp_path / "repo") == [("CC7001", "main.cc", 1, 8)]


def test_a_file_given_outside_root_is_refused(
    tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "repo").mkdir()
    assert located(outside, root=tmp_path / "repo") == [("CC7001", "", 0, 0)]
    code = main(["check", str(outside), "--root", str(tmp_path / "repo")])
    assert code == 2 and "is outside --root" in capsys.readouterr().err


def test_root_must_be_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = project_file(tmp_path, "")
    code = main(["check", str(contract), "--root", str(tmp_path / "missing")])
    assert code == 2 and "--root" in capsys.readouterr().err


def test_a_std_import_is_never_read_from_the_project(tmp_path: Path) -> None:
    """`std/...` means the standard catalog (or a --catalog): a project file that shadows it
    by name is not read, so a checkout cannot swap the catalog under a contract."""
    write(tmp_path / "project" / "std" / "nvidia.cc", SECRET)
    main_cc = project_file(tmp_path, 'import "std/nvidia"\n')
    result = check([main_cc], Options(cwd=main_cc.parent))
    assert result.diagnostics == [] and "secret" not in result.contract.accelerators


def test_the_environment_does_not_change_what_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the CLI reads the environment, and only for the Hugging Face cache and colour:
    a library call with hostile variables set reads the same files."""
    main_cc = project_file(tmp_path, 'import "std/nvidia"\n')
    before = check([main_cc], Options(cwd=main_cc.parent))
    write(tmp_path / "evil" / "std" / "nvidia.cc", SECRET)
    for variable in ("CCC_CATALOG", "CCC_ROOT", "PYTHONPATH", "HF_HOME", "HOME"):
        monkeypatch.setenv(variable, str(tmp_path / "evil"))
    after = check([main_cc], Options(cwd=main_cc.parent))
    assert after.contract == before.contract and after.sources == before.sources

"""Type-check `dsl compiler targets` with mypy, as the one package `ccc` they install as.

pyproject maps the three folders into `ccc` with setuptools' package-dir, which mypy cannot
follow (it finds modules by directory name, and an editable install is an import hook). So
this lays a tree of symlinks, `build/typecheck/ccc/` (compiler's entries, `dsl`, `targets`),
runs mypy on it with pyproject's `[tool.mypy]` settings, and prints each finding at its path
in the repository. Exit status is mypy's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "build" / "typecheck"
# Longest first, so `ccc/dsl/` maps to dsl/ before `ccc/` maps to compiler/.
PLACES = (("ccc/dsl/", "dsl/"), ("ccc/targets/", "targets/"), ("ccc/", "compiler/"))


def lay_tree() -> None:
    package = TREE / "ccc"
    shutil.rmtree(TREE, ignore_errors=True)
    package.mkdir(parents=True)
    for entry in sorted((ROOT / "compiler").iterdir()):
        if entry.name != "__pycache__":
            os.symlink(entry, package / entry.name)
    os.symlink(ROOT / "dsl", package / "dsl")
    os.symlink(ROOT / "targets", package / "targets")


def repository_path(line: str) -> str:
    for ours, theirs in PLACES:
        if line.startswith(ours):
            return theirs + line[len(ours) :]
    return line


def main() -> int:
    from mypy import api

    lay_tree()
    os.chdir(TREE)
    config = str(ROOT / "pyproject.toml")
    cache = str(ROOT / ".mypy_cache")
    out, err, status = api.run(["--config-file", config, "--cache-dir", cache, "-p", "ccc"])
    sys.stdout.write("".join(repository_path(line) for line in out.splitlines(keepends=True)))
    sys.stderr.write(err)
    return status


if __name__ == "__main__":
    sys.exit(main())

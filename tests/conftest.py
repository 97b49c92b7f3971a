"""Shared test set-up: the `--update-golden` flag and paths."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so CI's verdict depends on the code
# alone. `CCC_EXPLORE=1 pytest` draws fresh ones, ten times as many: run it before a stop
# and turn what it finds into a plain regression test.
EXPLORE = bool(os.environ.get("CCC_EXPLORE"))
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("explore" if EXPLORE else "ci")


def budget(examples: int) -> int:
    """A property test's example count: as written in CI, ten times that when exploring."""
    return examples * 10 if EXPLORE else examples


ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from the current output (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    from ccc.targets import engine_toolkits

    """One build per deployment of every bundled example; an engine no example runs gets
    the first example whose chip its toolkit serves, with its toolkit in."""
    found = {}
    for path in sorted((ROOT / "examples").glob("*.cc")):
        found.update(_builds(path))
    used = {b.deployment.toolkit for b in found.values()}
    for toolkit in (t for t in engine_toolkits() if t not in used):
        for path in sorted((ROOT / "examples").glob("*.cc")):
            text = re.sub(r"toolkit = \w+", f"toolkit = {toolkit}", path.read_text("utf-8"))
            text = re.sub(r'"std/toolkits/\w+"', f'"std/toolkits/{toolkit}"', text)
            variant = tmp_path_factory.mktemp(toolkit) / path.name
            variant.write_text(text, encoding="utf-8")
            if more := _builds(variant):
                found.update(more)
                break
    return list(found.values())


def _builds(path: Path) -> dict[tuple[str, str, str], Any]:
    from ccc.api import compile
    from ccc.front.resolve import Options

    result = compile([path], Options(cwd=ROOT), targets=["plan"])
    origins = result.emitted.origins.values() if result.emitted else ()
    return {
        (path.stem, origin.build.name, origin.build.deployment.toolkit or ""): origin.build
        for origin in origins
    }


@pytest.fixture(scope="session")
def catalog():
    """The standard catalog's contract (calibration rows resolve against it)."""
    from ccc.api import load_catalog
    from ccc.front.resolve import Options

    return load_catalog(Options(cwd=ROOT)).contract

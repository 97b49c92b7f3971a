"""Shared test set-up: the `--update-golden` flag and paths."""

from __future__ import annotations

import os
from pathlib import Path

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

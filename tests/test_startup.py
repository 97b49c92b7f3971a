"""`ccc check` must not pay for the libraries later stages use."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import TESTS

HEAVY = ("networkx", "numpy", "jsonschema", "yaml")
SCRIPT = f"""
import sys
from ccc import cli
code = cli.main(["check", {str(TESTS / "cases" / "values" / "unknown_figure.cc")!r}])
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(code, ",".join(loaded))
"""


def test_check_loads_no_heavy_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    code, _, loaded = result.stdout.strip().partition(" ")
    assert (code, loaded) == ("0", "")

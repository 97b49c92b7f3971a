"""Determinism: every example compiles to the same bytes whatever the hash seed, the working
directory, the spelling of the path, the locale, the time zone and the home directory — and
to the bytes of its golden files (which the in-process tests check target by target)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, TESTS

EXAMPLES = sorted((ROOT / "examples").glob("*.cc"))
GOLDEN = TESTS / "golden" / "compile"
MARKER = ".ccc-output"

# The real CLI entry point, once per example, in one interpreter per setting (an interpreter
# start per example would cost more than the compiles).
SCRIPT = """
import sys
from pathlib import Path
from ccc.cli import main
out = Path(sys.argv[1])
codes = [main(["compile", name, "-o", str(out / Path(name).stem)]) for name in sys.argv[2:]]
sys.exit(max(codes))
"""

SETTINGS = [
    # hash seed, working directory, how the examples are named, extra environment
    ("0", "empty", "absolute", {"LC_ALL": "C", "TZ": "UTC"}),
    ("4242", "examples", "relative", {"LC_ALL": "C.UTF-8", "TZ": "Asia/Shanghai"}),
]


def tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def start(tmp_path: Path, seed: str, where: str, naming: str, extra: dict[str, str]):
    out = tmp_path / f"out-{seed}"
    cwd = ROOT / "examples" if where == "examples" else tmp_path / f"cwd-{seed}"
    cwd.mkdir(exist_ok=True)
    names = [str(p) if naming == "absolute" else p.name for p in EXAMPLES]
    home = tmp_path / f"home-{seed}"
    home.mkdir()
    env = {
        **os.environ,
        "PYTHONHASHSEED": seed,
        "HOME": str(home),
        "HF_HOME": str(home / "hf"),
        **extra,
    }
    command = [sys.executable, "-c", SCRIPT, str(out), *names]
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    return process, out


def test_every_example_compiles_to_the_same_bytes_in_every_setting(tmp_path: Path) -> None:
    runs = [start(tmp_path, *setting) for setting in SETTINGS]
    outputs = []
    for process, out in runs:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        outputs.append(out)
    for example in EXAMPLES:
        first, *others = (tree(out / example.stem) for out in outputs)
        assert first, example.stem
        for other in others:
            assert other == first, example.stem
        assert first == tree(GOLDEN / example.stem), example.stem

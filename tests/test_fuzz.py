"""No input crashes ccc: mutants of the examples and contracts drawn from the grammar and the
catalog, through the entry point the `ccc` command uses (in-process) and the real process;
mutated manifests through `ccc validate`, mutated measurement files through `ccc calibrate`. Every case ends with exit 0, or exit 1 with a
coded, located error (tests/fuzzing.py says how that is judged). `python bench/fuzz.py`
runs as many cases as asked.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ccc.api import load_catalog
from ccc.front.resolve import Options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, TESTS, budget
from tests.fuzzing import corpus, judge, measurement_corpus, mutate, mutate_json, run_case

IN_PROCESS_CASES = 2000
PROCESS_CASES = 100


def test_mutated_examples_never_crash_in_process(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    seeds = corpus(ROOT)
    path = tmp_path / "contract.cc"
    problems = []
    for case in range(IN_PROCESS_CASES):
        name, data = rng.choice(seeds)
        path.write_bytes(mutate(data, rng))
        argv = ["check", str(path), "--format", "json"] if case % 2 else ["plan", str(path)]
        problem = run_case(argv)
        if problem:
            problems.append((case, name, argv[0], problem))
    assert problems == []


def _process_case(path: Path) -> str | None:
    command = [sys.executable, "-m", "ccc.cli", "check", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    return judge(done.returncode, done.stdout, done.stderr)


def test_mutated_examples_never_crash_the_real_process(tmp_path: Path) -> None:
    rng = random.Random(7)
    seeds = corpus(ROOT)
    paths = []
    for case in range(PROCESS_CASES):
        path = tmp_path / f"case{case}.cc"
        path.write_bytes(mutate(rng.choice(seeds)[1], rng))
        paths.append(path)
    with ThreadPoolExecutor(max_workers=4) as pool:
        problems = [
            (p.name, r) for p, r in zip(paths, pool.map(_process_case, paths), strict=True) if r
        ]
    assert problems == []


# --- contracts drawn from the grammar and the catalog ----------------------------------------

_CATALOG = load_catalog(Options(cwd=ROOT)).contract
_IMPORTS = [
    f'import "std/{p.relative_to(ROOT / "dsl" / "std").with_suffix("").as_posix()}"'
    for p in sorted((ROOT / "dsl" / "std").rglob("*.cc"))
]
_DEGREES = st.one_of(st.just("auto"), st.integers(0, 4096).map(str), st.sampled_from(["-1", "1.5"]))
_COUNTS = st.one_of(st.integers(0, 10**6).map(str), st.sampled_from(["1e15", "0.5", "unknown"]))
_TIMES = st.tuples(st.integers(0, 10**5), st.sampled_from(["ms", "s", "us", "GiB", ""])).map(
    lambda t: f"{t[0]} {t[1]}".strip()
)
_DTYPES = st.sampled_from(["bf16", "fp16", "fp8", "int8", "int4", "fp4", "mxfp4", "fp64"])


@st.composite
def contracts(draw) -> str:
    """A contract over the standard catalog: a cluster of a catalog server, a deployment of a
    catalog model and toolkit, each key drawn from values of the right shape and wrong ones."""
    server = draw(st.sampled_from(sorted(_CATALOG.servers)))
    model = draw(st.sampled_from(sorted(_CATALOG.models)))
    toolkit = draw(st.sampled_from(sorted(_CATALOG.toolkits)))
    lines = [*_IMPORTS, f"cluster c {{ server = {server}  nodes = {draw(_COUNTS)} }}"]
    body = [f"model = {model}", "cluster = c", f"toolkit = {toolkit}"]
    optional = {
        "weights": _DTYPES,
        "kv_cache": _DTYPES,
        "devices": _COUNTS,
        "parallel": st.tuples(_DEGREES, _DEGREES, _DEGREES, _DEGREES).map(
            lambda d: f"{{ tp = {d[0]}  dp = {d[1]}  pp = {d[2]}  ep = {d[3]} }}"
        ),
        "workload": st.tuples(_COUNTS, _COUNTS, _COUNTS).map(
            lambda w: f"{{ input_tokens = {w[0]}  output_tokens = {w[1]}  concurrency = {w[2]} }}"
        ),
        "slo": st.tuples(_TIMES, _TIMES).map(lambda s: f"{{ ttft <= {s[0]}  tpot <= {s[1]} }}"),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            separator = " " if key in ("parallel", "workload", "slo") else " = "
            body.append(f"{key}{separator}{draw(values)}")
    lines.append("deployment d {\n  " + "\n  ".join(body) + "\n}")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=budget(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(contracts())
def test_contracts_drawn_from_the_catalog_plan_or_say_why(tmp_path: Path, text: str) -> None:
    path = tmp_path / "drawn.cc"
    path.write_text(text, encoding="utf-8")
    assert run_case(["plan", str(path)]) is None


# --- manifests ---------------------------------------------------------------------------------


def test_mutated_manifests_never_crash_validate(tmp_path: Path) -> None:
    example = ROOT / "examples" / "hgx_h100_llama405b_two_nodes.cc"
    golden = TESTS / "golden" / "compile" / example.stem
    files = sorted(p.relative_to(golden) for p in golden.rglob("*") if p.is_file())
    rng = random.Random(11)
    problems = []
    for case in range(150):
        directory = tmp_path / f"case{case}"
        shutil.copytree(golden, directory)
        for relative in rng.sample(files, rng.choice([1, 1, 2])):
            target = directory / relative
            target.write_bytes(mutate(target.read_bytes(), rng))
        problem = run_case(["validate", str(directory), "--contract", str(example)])
        if problem:
            problems.append((case, problem))
        shutil.rmtree(directory)
    assert problems == []


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.cc")), ids=lambda p: p.stem)
def test_examples_with_tp_left_to_auto_plan_or_say_why(example: Path, tmp_path: Path) -> None:
    """Found by bench/fuzz.py: with tp left open, placement tried TP groups past the last
    device of a small cluster (IndexError) before the check that the instance fits."""
    lines = example.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / example.name
    kept = [line for line in lines if not line.strip().startswith("tp =")]
    path.write_text("".join(kept), encoding="utf-8")
    assert run_case(["plan", str(path)]) is None


def test_the_judge_refuses_crashes_and_unlocated_errors() -> None:
    located = "error[CC2003]: unknown unit `x`\n --> c.cc:3:7\n  |\n"
    assert judge(0, "", "") is None
    assert judge(1, "", located) is None
    assert judge(1, "", "error[CC2003]: unknown unit `x`\n") is not None
    assert judge(2, "", "error[CC9001]: internal error: boom\n") is not None
    assert judge(1, "", located + "Traceback (most recent call last):\n") is not None
    assert judge(1, '{"diagnostics": [{"code": "CC1003", "span": null}]}', "") is not None


# --- measurement files --------------------------------------------------------------------


def test_mutated_measurement_files_never_crash_calibrate(tmp_path: Path) -> None:
    rng = random.Random(5)
    seeds = measurement_corpus(ROOT)
    problems = []
    for case in range(150):
        name, data = rng.choice(seeds)
        path = tmp_path / f"case{case}-{name}"
        path.write_bytes(mutate_json(data, rng))
        argv = ["calibrate", str(path)] + (["--format", "json"] if case % 2 else [])
        problem = run_case(argv)
        if problem:
            problems.append((case, problem))
    assert problems == []

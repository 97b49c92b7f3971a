"""Fuzz ccc for as long as asked: mutants of the examples through `ccc check` and `ccc plan`
(in-process, the entry point of the `ccc` command), mutated manifests through
`ccc validate` and mutated measurement files through `ccc calibrate`. Prints the cases run and each distinct problem (a crash, exit 2, or exit 1
without a located error) with the file that caused it, saved under --keep.
Run: python bench/fuzz.py [--cases N] [--seed S] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import (  # noqa: E402
    corpus,
    measurement_corpus,
    mutate,
    mutate_json,
    run_case,
)

GOLDEN = ROOT / "tests" / "golden" / "compile"


def contract_case(rng: random.Random, seeds, scratch: Path, case: int) -> tuple[str | None, Path]:
    path = scratch / "contract.cc"
    path.write_bytes(mutate(rng.choice(seeds)[1], rng))
    argv = ["check", str(path), "--format", "json"] if case % 2 else ["plan", str(path)]
    return run_case(argv), path


def manifest_case(rng: random.Random, scratch: Path) -> tuple[str | None, Path]:
    example = rng.choice(sorted((ROOT / "examples").glob("*.cc")))
    directory = scratch / "manifests"
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(GOLDEN / example.stem, directory)
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    target = rng.choice(files)
    target.write_bytes(mutate(target.read_bytes(), rng))
    return run_case(["validate", str(directory), "--contract", str(example)]), target


def measurement_case(rng: random.Random, scratch: Path) -> tuple[str | None, Path]:
    name, data = rng.choice(measurement_corpus(ROOT, rows=rng.choice([1, 3, 10])))
    path = scratch / name
    path.write_bytes(mutate_json(data, rng))
    return run_case(["calibrate", str(path), "--format", rng.choice(["text", "json"])]), path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", default="fuzz-problems", help="where problem inputs go")
    args = parser.parse_args()
    rng, seeds, seen = random.Random(args.seed), corpus(ROOT), {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        for case in range(args.cases):
            if case % 5 == 4:
                problem, path = manifest_case(rng, Path(scratch))
            elif case % 5 == 3:
                problem, path = measurement_case(rng, Path(scratch))
            else:
                problem, path = contract_case(rng, seeds, Path(scratch), case)
            key = problem.splitlines()[0][:120] if problem else None
            if key and key not in seen:
                keep = Path(args.keep) / f"problem{len(seen)}{path.suffix}"
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, keep)
                seen[key] = keep
                print(f"case {case}: {problem[:300]} (input: {keep})")
    elapsed = time.perf_counter() - start
    print(f"{args.cases} cases in {elapsed:.0f} s, {len(seen)} distinct problems")


if __name__ == "__main__":
    main()

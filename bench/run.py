"""ccc's speed and memory in one run: every example through `ccc check`, `ccc plan` and
`ccc compile`, then the scaling series 64 -> 384 -> 8,192 -> 32,768 devices.

Each figure is a fresh `ccc` process per run, as a user or a CI job runs it: the median wall
time of --runs runs (min and max beside it) and the highest peak resident memory of the
process itself. The scaling series are the generated contracts of bench/plan_scaling.py
(DeepSeek-V3 with every degree `auto` on HGX H200 servers, and on Ascend: 4 Atlas 800 A3,
a CloudMatrix384, Atlas 950 SuperPoDs); `plan` there asks for the full rank table
(`--ranks --top 1`), `compile` writes plan.json with a rank for every device.
Prints a table and writes JSON (--json).
Run: python bench/run.py [--runs N] [--examples NAME,...] [--sizes N,...] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import Figures, ccc_command, machine, positive_int, runs  # noqa: E402
from bench.plan_scaling import SIZES, ascend, hgx  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.cc"))
COMMANDS = ("check", "plan", "compile")
SERIES = {"hgx": hgx, "ascend": ascend}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=positive_int, default=5, help="process runs per figure")
    parser.add_argument(
        "--examples",
        type=_names,
        default=[p.stem for p in EXAMPLES],
        metavar="NAME,...",
        help="examples to run (default: all; `none` for the scaling series only)",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(SIZES),
        metavar="N,...",
        help=f"devices of the scaling series (default: {','.join(map(str, SIZES))}; `none`)",
    )
    parser.add_argument("--json", metavar="FILE", help="write the figures here as JSON")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.examples) - {p.stem for p in EXAMPLES})
    if unknown:
        parser.error(f"--examples: no example {', '.join(unknown)}")
    return args


def _names(text: str) -> list[str]:
    return [] if text == "none" else [n.strip().removesuffix(".cc") for n in text.split(",")]


def _sizes(text: str) -> list[int]:
    if text == "none":
        return []
    sizes = [int(n) for n in text.split(",")]
    if any(n not in (64, 384) and (n <= 0 or n % 8192) for n in sizes):  # what both series build
        raise argparse.ArgumentTypeError("sizes are 64, 384 or multiples of 8,192")
    return sizes


def measure_contract(path: Path, count: int, scratch: Path, ranks: bool) -> dict[str, Figures]:
    """check, plan and compile of one contract, `count` process runs each."""
    ccc = ccc_command()
    out = scratch / "out"
    plan_flags = ["--format", "json", "--ranks", "--top", "1"] if ranks else ["--format", "json"]
    return {
        "check": runs([*ccc, "check", str(path)], count),
        "plan": runs([*ccc, "plan", str(path), *plan_flags], count),
        "compile": runs(
            [*ccc, "compile", str(path), "-o", str(out)],
            count,
            before=lambda: shutil.rmtree(out, ignore_errors=True),
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result: dict = {"machine": machine(), "runs": args.runs, "examples": {}, "scaling": []}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        if args.examples:
            _header("example")
        for name in args.examples:
            figures = measure_contract(ROOT / "examples" / f"{name}.cc", args.runs, scratch, False)
            result["examples"][name] = {k: f.as_dict() for k, f in figures.items()}
            _row(name, figures)
        if args.sizes:
            _header("scaling series (devices)")
        for series, make in SERIES.items():
            for devices in args.sizes:
                path = scratch / f"{series}_{devices}.cc"
                path.write_text(make(devices), encoding="utf-8")
                figures = measure_contract(path, args.runs, scratch, True)
                result["scaling"].append(
                    {"series": series, "devices": devices}
                    | {k: f.as_dict() for k, f in figures.items()}
                )
                _row(f"{series} {devices}", figures)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(result, indent=2, sort_keys=True) + "\n"
        Path(args.json).write_text(text, encoding="utf-8")
    return 0


def _header(first: str) -> None:
    columns = "".join(f"{c + ' s':>10}{c + ' MiB':>13}" for c in COMMANDS)
    print(f"\n{first:38}{columns}", flush=True)


def _row(name: str, figures: dict[str, Figures]) -> None:
    cells = "".join(f"{f.median_s:10.3f}{f.peak_mib:13.1f}" for f in figures.values())
    failed = [c for c, f in figures.items() if f.exit_code not in (0, 1)]
    print(f"{name:38}{cells}" + (f"  (exit 2: {', '.join(failed)})" if failed else ""), flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""The `ccc` command line: parse arguments, call the library, render, return 0/1/2.

The logic lives in the library; each command here is a thin shell around it. This is the
only module that reads the environment (colour, the Hugging Face cache) and the only one
that writes to the terminal. `main()` turns any unexpected exception into one line and
exit code 2; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path
from typing import TextIO

from ccc import __version__

__all__ = ["main"]

EXAMPLE = "examples/h200_qwen3_32b.cc"


class UsageError(Exception):
    """A mistake in how ccc was invoked (exit 2), not in a contract."""


class Output:
    """Where results go: data on stdout, diagnostics in text on stderr, colour on a tty."""

    def __init__(self, colour: str, out: TextIO | None = None, err: TextIO | None = None):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        tty = hasattr(self.err, "isatty") and self.err.isatty()
        self.colour = colour == "always" or (
            colour == "auto" and tty and not os.environ.get("NO_COLOR")
        )

    def data(self, text: str) -> None:
        self.out.write(text)

    def text(self, text: str) -> None:
        self.err.write(text)


def _options(args: argparse.Namespace):
    from ccc.dsl.hfconfig import cache_dir
    from ccc.resolve import Options

    catalogs = tuple(Path(c) for c in getattr(args, "catalog", None) or ())
    for catalog in catalogs:
        if not catalog.is_dir():
            raise UsageError(f"--catalog {catalog}: not a directory")
    return Options(
        cwd=Path.cwd(), catalogs=catalogs, hf_cache=cache_dir(dict(os.environ), Path.home())
    )


def _existing_files(names: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            files += sorted(path.rglob("*.cc"))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"cannot read {name}: no such file")
    if not files:
        raise UsageError("no .cc files given")
    return files


def cmd_check(args: argparse.Namespace, out: Output) -> int:
    """ccc check FILE...: parse, resolve, validate each contract; print diagnostics."""
    from ccc.api import check
    from ccc.diagnostics import exit_code
    from ccc.render import text

    options = _options(args)
    diagnostics, sources, unknowns = [], {}, []
    files = _existing_files(args.files)
    for path in files:
        result = check([path], options, strict=args.strict)
        diagnostics += [d for d in result.diagnostics if d not in diagnostics]
        sources.update(result.sources)
        unknowns += result.unknowns
    if args.format == "json":
        from ccc.render import json as render_json  # pydantic's report: only when asked

        out.data(render_json.render(diagnostics, unknowns))
    elif args.format == "sarif":
        from ccc.render import sarif

        out.data(sarif.render(diagnostics))
    else:
        out.text(text.render(diagnostics, sources, colour=out.colour))
        out.text(_unknown_table(unknowns))
        out.text(f"checked {len(files)} file(s): {text.summary(diagnostics)}\n")
    return exit_code(diagnostics, strict=args.strict)


def cmd_plan(args: argparse.Namespace, out: Output) -> int:
    """ccc plan FILE: the feasible plans of each deployment, best first."""
    from ccc.api import plan
    from ccc.diagnostics import exit_code
    from ccc.plans import build_report
    from ccc.render import dumps, text
    from ccc.render.plan import render_plans
    from ccc.topology import system_of

    files = _existing_files(args.files)
    result = plan(files, _options(args), strict=args.strict)
    systems = {
        name: system_of(result.contract, d.cluster or "")
        for name, d in result.contract.deployments.items()
        if name in result.placements
    }
    report = build_report(result.placements, systems, top=args.top, ranks=args.ranks)
    out.text(text.render(result.diagnostics, result.sources, colour=out.colour))
    if args.format == "json":
        out.data(dumps(report.model_dump(mode="json")))
    else:
        out.data(render_plans(report, result.contract, systems))
    return exit_code(result.diagnostics, strict=args.strict)


def cmd_calibrate(args: argparse.Namespace, out: Output) -> int:
    """ccc calibrate DATA.json: predict every measured metric of every row, and score it."""
    from ccc.api import load_catalog
    from ccc.calibration import load_rows, report
    from ccc.render import dumps
    from ccc.render.calibration import render_calibration

    path = Path(args.data)
    if not path.is_file():
        raise UsageError(f"{args.data}: no such file")
    try:
        rows = load_rows(path)
    except ValueError as error:  # malformed JSON or a row outside the format
        raise UsageError(f"{args.data}: {error}") from error
    catalog = load_catalog(_options(args))
    result = report(rows, catalog.contract, leave_one_out=args.leave_one_out)
    if args.format == "json":
        out.data(dumps(result.model_dump(mode="json")))
    else:
        out.data(render_calibration(result))
    return 1 if result.failed_rows else 0


def cmd_graph(args: argparse.Namespace, out: Output) -> int:
    """ccc graph FILE: draw each cluster's topology, repeated servers collapsed."""
    from ccc.api import check
    from ccc.diagnostics import exit_code
    from ccc.graphview import to_dot, to_json, to_mermaid
    from ccc.render import dumps, text
    from ccc.topology import system_of

    result = check(_existing_files(args.files), _options(args), strict=args.strict)
    out.text(text.render(result.diagnostics, result.sources, colour=out.colour))
    status = exit_code(result.diagnostics, strict=args.strict)
    systems = {name: system_of(result.contract, name) for name in sorted(result.contract.clusters)}
    drawn = {name: system for name, system in systems.items() if system is not None}
    if args.format == "json":
        out.data(dumps({name: to_json(system) for name, system in drawn.items()}))
    else:
        render = to_dot if args.format == "dot" else to_mermaid
        out.data("".join(render(system) for system in drawn.values()))
    return status


def _unknown_table(unknowns) -> str:
    if not unknowns:
        return ""
    lines = ["unknown figures, and the checks they leave unproven:"]
    width = max(len(u.figure) for u in unknowns)
    lines += [f"  {u.deployment}: {u.figure.ljust(width)}  ->  {u.blocks}" for u in unknowns]
    return "\n".join(lines) + "\n"


def cmd_fmt(args: argparse.Namespace, out: Output) -> int:
    """ccc fmt [--check] FILE...: rewrite files in the canonical layout."""
    from ccc.dsl.formatter import format_text
    from ccc.render import text
    from ccc.writer import write_atomic

    if args.files == ["-"]:
        formatted, diagnostics = format_text(sys.stdin.read(), "<stdin>")
        if formatted is None:
            out.text(text.render(diagnostics, {}, colour=out.colour))
            return 1
        out.data(formatted)
        return 0
    status = 0
    for path in _existing_files(args.files):
        original = path.read_text(encoding="utf-8")
        formatted, diagnostics = format_text(original, path.as_posix())
        if formatted is None:
            out.text(text.render(diagnostics, {path.as_posix(): original}, colour=out.colour))
            status = 1
        elif formatted != original:
            if args.check:
                out.data(
                    "".join(
                        difflib.unified_diff(
                            original.splitlines(keepends=True),
                            formatted.splitlines(keepends=True),
                            f"a/{path.as_posix()}",
                            f"b/{path.as_posix()}",
                        )
                    )
                )
                status = 1
            else:
                write_atomic(path, formatted)
                out.text(f"formatted {path.as_posix()}\n")
    return status


def cmd_catalog(args: argparse.Namespace, out: Output) -> int:
    """ccc catalog [--kind K]: list what the standard (and site) catalogs define."""
    from ccc.api import load_catalog
    from ccc.catalog_view import catalog_json, catalog_text
    from ccc.render import text

    result = load_catalog(_options(args))
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    if errors:
        out.text(text.render(errors, result.sources, colour=out.colour))
        return 1
    if args.format == "json":
        out.data(catalog_json(result.contract, args.kind))
    else:
        out.data(catalog_text(result.contract, args.kind))
    return 0


def cmd_explain(args: argparse.Namespace, out: Output) -> int:
    """ccc explain CODE: the long explanation of a diagnostic code."""
    from ccc.codes import REGISTRY, lookup

    if args.code is None:
        out.data("".join(f"{c.code}  {c.slug:<28} {c.summary}\n" for c in REGISTRY.values()))
        return 0
    entry = lookup(args.code)
    if entry is None:
        close = difflib.get_close_matches(args.code.upper(), list(REGISTRY), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; `ccc explain` lists them"
        raise UsageError(f"no diagnostic code {args.code}{hint}")
    out.data(
        f"{entry.code} ({entry.slug}, {entry.severity.value}): {entry.summary}\n\n{entry.explain}\n"
    )
    return 0


def cmd_schema(args: argparse.Namespace, out: Output) -> int:
    """ccc schema [NAME]: the JSON Schema of an IR block or an emitted document."""
    from ccc.schemas import SCHEMAS, schema_json

    if args.name is not None and args.name not in SCHEMAS:
        raise UsageError(f"no schema {args.name!r}; choose from: {', '.join(sorted(SCHEMAS))}")
    out.data(schema_json(args.name or "contract"))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ccc",
        description="ccc, the cluster-contract compiler: prove a cluster contract "
        "holds and emit what runs it.",
        epilog=f"example: ccc check {EXAMPLE}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ccc {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour diagnostics (default: on a terminal, unless NO_COLOR)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add(
        commands,
        "check",
        cmd_check,
        "check contracts: syntax, names, units, figures",
        f"ccc check {EXAMPLE} --format sarif > ccc.sarif",
        contract=True,
        formats=("text", "json", "sarif"),
    )
    plan = _add(
        commands,
        "plan",
        cmd_plan,
        "place each deployment: feasible degrees, rank layout, memory per device",
        f"ccc plan {EXAMPLE} --top 3 --format json --ranks",
        contract=True,
        formats=("text", "json"),
    )
    plan.add_argument("--top", type=int, default=5, metavar="N", help="plans per deployment")
    plan.add_argument(
        "--ranks",
        action="store_true",
        help="include each device's node, local index and group ranks",
    )
    calibrate = _add(
        commands,
        "calibrate",
        cmd_calibrate,
        "predict every row of a measurement file and score the performance model",
        "ccc calibrate measurements.json --leave-one-out --format json",
        formats=("text", "json"),
    )
    calibrate.add_argument("data", metavar="DATA.json", help="rows in the calibration format")
    calibrate.add_argument(
        "--leave-one-out",
        action="store_true",
        help="predict each row with factors fitted without it",
    )
    calibrate.add_argument(
        "--catalog", action="append", default=[], metavar="DIR", help="a site catalog directory"
    )
    _add(
        commands,
        "graph",
        cmd_graph,
        "draw each cluster's topology (repeated servers collapsed)",
        "ccc graph examples/cloudmatrix384_deepseek_r1_pd.cc --format mermaid",
        contract=True,
        formats=("dot", "mermaid", "json"),
    )
    fmt = _add(
        commands,
        "fmt",
        cmd_fmt,
        "format contracts in the canonical layout",
        "ccc fmt --check examples/*.cc",
    )
    fmt.add_argument(
        "--check",
        action="store_true",
        help="change nothing; print a diff and exit 1 if a file is not formatted",
    )
    fmt.add_argument("files", nargs="+", metavar="FILE", help=".cc files, a directory, or -")
    catalog = _add(
        commands,
        "catalog",
        cmd_catalog,
        "list the standard catalog",
        "ccc catalog --kind accelerator",
        formats=("text", "json"),
    )
    catalog.add_argument(
        "--kind",
        choices=(
            "accelerator",
            "interconnect",
            "server",
            "supernode",
            "cluster",
            "model",
            "toolkit",
        ),
    )
    catalog.add_argument(
        "--catalog",
        action="append",
        metavar="DIR",
        help="a site catalog directory, listed with the standard one",
    )
    explain = _add(
        commands, "explain", cmd_explain, "explain a diagnostic code", "ccc explain CC2001"
    )
    explain.add_argument("code", nargs="?", metavar="CODE", help="e.g. CC2001; none lists all")
    schema = _add(commands, "schema", cmd_schema, "print a JSON Schema", "ccc schema deployment")
    schema.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="a block kind, contract, report, plan or graph (default: contract)",
    )
    return parser


def _add(
    commands,
    name: str,
    handler,
    summary: str,
    example: str,
    *,
    contract: bool = False,
    formats: tuple[str, ...] = (),
) -> argparse.ArgumentParser:
    sub = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(handler=handler)
    if formats:
        sub.add_argument(
            "--format", choices=formats, default="text", help="output format (default: text)"
        )
    if contract:
        sub.add_argument("files", nargs="+", metavar="FILE", help=".cc files or directories")
        sub.add_argument(
            "--strict",
            action="store_true",
            help="treat warnings (unknown or unverified figures) as errors",
        )
        sub.add_argument(
            "--catalog",
            action="append",
            metavar="DIR",
            help="a site catalog directory, searched before the standard one",
        )
    return sub


def main(
    argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run one command; `stdout`/`stderr` default to the process's (tests pass buffers)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    out = Output(args.color, stdout, stderr)
    try:
        return args.handler(args, out)
    except UsageError as error:
        out.text(f"ccc: error: {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            raise
        out.text(
            f"error[CC9001]: internal error: {error.__class__.__name__}: {error}\n"
            "  = help: run again with --debug for a traceback, and report it\n"
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())

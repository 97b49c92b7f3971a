"""CLI: the `ccc` command line, parse arguments, call the library, render, return 0/1/2.

The logic lives in the library; each command here is a thin shell around it. This is the
only module that reads the environment (colour, the Hugging Face cache) and the only one
that writes to the terminal. `main()` turns any unexpected exception into one line and
exit code 2; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from ccc import __version__

if TYPE_CHECKING:  # each command imports what it runs when it runs
    from ccc.calibration.fit import Scoring
    from ccc.diagnostics import Diagnostic
    from ccc.front.checks import Blocker
    from ccc.front.resolve import Options
    from ccc.ir import Contract
    from ccc.performance.factors import FactorTable
    from ccc.performance.recommend import Answer, Ask
    from ccc.plans import PlanReport
    from ccc.targets._base import Inventory

__all__ = ["main"]

EXAMPLE = "examples/h200_qwen3_32b.cc"


class UsageError(Exception):
    """A mistake in how ccc was invoked, or a system that refuses a read or write (exit 2):
    not a finding in a contract, and not a bug in ccc."""


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


@contextmanager
def _system_refuses(doing: str, path: str | Path, after: str = "") -> Iterator[None]:
    """A read or write the system refuses (full disk, no permission, a directory) is one
    line and exit 2, not an internal error."""
    try:
        yield
    except OSError as error:
        raise UsageError(f"cannot {doing} {path}: {error.strerror or error}{after}") from None


def _writing(path: str | Path) -> AbstractContextManager[None]:
    """Writes are atomic, so a refused one leaves the previous file or directory whole."""
    return _system_refuses("write", path, f"; {path} is as it was")


def _reading(path: str | Path) -> AbstractContextManager[None]:
    return _system_refuses("read", path)


def _options(args: argparse.Namespace) -> Options:
    from ccc.dsl.hfconfig import cache_dir
    from ccc.front.resolve import Options

    catalogs = tuple(Path(c) for c in getattr(args, "catalog", None) or ())
    for catalog in catalogs:
        if not catalog.is_dir():
            raise UsageError(f"--catalog {catalog}: not a directory")
    root = getattr(args, "root", None)
    if root is not None and not Path(root).is_dir():
        raise UsageError(f"--root {root}: not a directory")
    return Options(
        cwd=Path.cwd(),
        catalogs=catalogs,
        hf_cache=cache_dir(dict(os.environ), Path.home()),
        root=Path(root) if root is not None else None,
    )


def _existing_files(names: list[str], root: str | None = None) -> list[Path]:
    """The .cc files named (a directory: every .cc under it), each inside `--root` if given."""
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
    if root is not None:
        bound = Path(root).resolve()
        for path in files:
            if not path.resolve().is_relative_to(bound):
                raise UsageError(f"{path} is outside --root {root}")
    return files


def cmd_check(args: argparse.Namespace, out: Output) -> int:
    """ccc check FILE...: parse, resolve and check the files together; print diagnostics."""
    from ccc.api import check
    from ccc.diagnostics import exit_code
    from ccc.render import text

    files = _existing_files(args.files, args.root)
    result = check(files, _options(args), strict=args.strict)
    _diagnostics(out, result.diagnostics, result.sources, args.format, result.unknowns)
    if args.format == "text":
        out.text(_unknown_table(result.unknowns))
        out.text(f"checked {len(files)} file(s): {text.summary(result.diagnostics)}\n")
    return exit_code(result.diagnostics, strict=args.strict)


def cmd_plan(args: argparse.Namespace, out: Output) -> int:
    """ccc plan FILE: the feasible plans of each deployment, best first."""
    from ccc.api import plan, plan_report
    from ccc.diagnostics import exit_code
    from ccc.render import dumps, text
    from ccc.render.plan import render_plans

    files = _existing_files(args.files, args.root)
    progress = _progress(out) if args.format == "text" else None
    given = _given_factors(args, out)
    if given is None:
        return 1
    result = plan(files, _options(args), strict=args.strict, progress=progress, factors=given[0])
    report = plan_report(result, top=args.top, ranks=args.ranks)
    out.text(text.render(result.diagnostics, result.sources, colour=out.colour))
    if args.format == "json":
        out.data(dumps(report.model_dump(mode="json")))
    else:
        out.data(render_plans(report, result.contract, result.systems or {}, explain=args.explain))
    if args.plot:
        _plot(report, Path(args.plot))
    return exit_code(result.diagnostics, strict=args.strict)


def cmd_compile(args: argparse.Namespace, out: Output) -> int:
    """ccc compile FILE... -o DIR: plan, then write every target's files, all or nothing."""
    from ccc.api import compile
    from ccc.diagnostics import exit_code
    from ccc.emit import NotOurs, summaries, write_tree

    targets = _target_names(args.target)
    inventory = _inventory(args.inventory) if args.inventory else None
    files = _existing_files(args.files, args.root)
    given = _given_factors(args, out)
    if given is None:
        return 1
    result = compile(
        files,
        _options(args),
        targets=targets,
        inventory=inventory,
        strict=args.strict,
        factors=given[0],
    )
    if args.format != "json":
        _diagnostics(out, result.diagnostics, result.sources, args.format)
    if result.emitted is None:
        if args.format == "json":
            out.data(_compile_report(result.diagnostics, [], None))
        return exit_code(result.diagnostics, strict=args.strict)
    try:
        with _writing(args.output):
            contracts = [Path(f).as_posix() for f in args.files]
            write_tree(Path(args.output), result.emitted.files, contracts)
    except NotOurs as error:
        raise UsageError(
            f"{error}; choose an empty or new directory for -o (nothing was changed)"
        ) from None
    done = summaries(result.emitted)
    if args.format == "json":
        out.data(_compile_report(result.diagnostics, done, args.output))
    elif args.format == "text":
        for deployment in done:
            out.text(_summary_line(deployment) + "\n")
        count = len(result.emitted.files)
        out.text(f"wrote {count} file(s) to {args.output}\n")
    return exit_code(result.diagnostics, strict=args.strict)


def _summary_line(d: Any) -> str:
    """`v3_pd: prefill tp8 x1 + decode tp1.dp8.ep8 x1, 16 devices on 2 servers, 14 files`"""
    parts = []
    for r in d.roles:
        degrees = ".".join(
            f"{k}{v}"
            for k, v in (("tp", r.tp), ("dp", r.dp), ("pp", r.pp), ("ep", r.ep))
            if v > 1 or k == "tp"
        )
        parts.append(f"{'' if r.role == 'serve' else r.role + ' '}{degrees} x{r.replicas}")
    where = f", serving at {d.endpoint}" if d.endpoint else ""
    return (
        f"{d.deployment}: {' + '.join(parts)}, {d.devices} devices on {d.servers} server(s)"
        f"{where}, {len(d.files)} files"
    )


def _compile_report(diagnostics: list[Diagnostic], done: list[Any], output: str | None) -> str:
    from ccc.diagnostics import Severity
    from ccc.render import dumps
    from ccc.render.json import CompileReport

    report = CompileReport(
        errors=sum(d.severity is Severity.ERROR for d in diagnostics),
        warnings=sum(d.severity is Severity.WARNING for d in diagnostics),
        diagnostics=diagnostics,
        output=output,
        deployments=done,
    )
    return dumps(report.model_dump(mode="json"))


def cmd_validate(args: argparse.Namespace, out: Output) -> int:
    """ccc validate DIR --contract FILE: compile in memory, compare DIR's manifests with it."""
    from ccc.api import validate
    from ccc.diagnostics import exit_code

    directory = Path(args.directory)
    if not directory.is_dir():
        raise UsageError(f"{args.directory}: not a directory")
    result = validate(
        directory,
        _existing_files(args.contract, args.root),
        _options(args),
        targets=_target_names(args.target),
        inventory=_inventory(args.inventory) if args.inventory else None,
        strict=args.strict,
    )
    _diagnostics(out, result.diagnostics, result.sources, args.format)
    code = exit_code(result.diagnostics, strict=args.strict)
    if args.format == "text" and result.checked:
        verdict = "match the contract" if code == 0 else "drift from the contract"
        out.text(f"{len(result.checked)} file(s) in {args.directory} {verdict}\n")
    return code


def _target_names(text: str | None) -> list[str] | None:
    from ccc.targets import names

    if not text:
        return None
    wanted = [t.strip() for t in text.split(",") if t.strip()]
    for name in wanted:
        if name not in names():
            from ccc.dsl.lower import did_you_mean

            hint = did_you_mean(name, names())
            known = ", ".join(names())
            raise UsageError(
                f"--target {name}: no such target"
                + (f" ({hint})" if hint else f"; targets: {known}")
            )
    return list(dict.fromkeys(wanted))


def _inventory(path_text: str) -> Inventory:
    """`--inventory FILE` (JSON or YAML) as the pydantic model targets read."""
    import yaml
    from ccc.targets._base import Inventory
    from pydantic import ValidationError

    path = Path(path_text)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Inventory.model_validate(data)
    except OSError as error:
        raise UsageError(f"--inventory {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise UsageError(f"--inventory {path}: not YAML or JSON: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise UsageError(f"--inventory {path}: {where}: {first['msg']}") from None


def _diagnostics(
    out: Output,
    diagnostics: list[Diagnostic],
    sources: dict[str, str],
    fmt: str,
    unknowns: Iterable[Blocker] = (),
) -> None:
    """Diagnostics as the command's output format asks: text on stderr, or JSON / SARIF."""
    from ccc.render import text

    if fmt == "json":
        from ccc.render import json as render_json  # pydantic's report: only when asked

        out.data(render_json.render(diagnostics, list(unknowns)))
    elif fmt == "sarif":
        from ccc.render import sarif

        out.data(sarif.render(diagnostics))
    else:
        out.text(text.render(diagnostics, sources, colour=out.colour))


def _plot(report: PlanReport, path: Path) -> None:
    try:
        from ccc.render.plot import plot_front
    except ImportError as error:
        raise UsageError(
            "--plot needs matplotlib: pip install 'cluster-contract-compiler[plot]'"
        ) from error
    with _writing(path):
        plot_front(report, path)


def _ask(args: argparse.Namespace) -> Ask:
    from ccc.performance.recommend import Ask

    return Ask(
        model=args.model,
        system=args.system,
        toolkit=args.toolkit,
        weights=args.weights,
        kv_cache=args.kv_cache,
        input_tokens=args.isl,
        output_tokens=args.osl,
        concurrency=getattr(args, "concurrency", None),
        requests=getattr(args, "requests", None),
        ttft=getattr(args, "ttft", None),
        tpot=getattr(args, "tpot", None),
    )


def _catalog_contract(args: argparse.Namespace, ask: Ask) -> Contract:
    """The catalog, with every name the question uses checked against it."""
    from ccc.api import load_catalog

    contract = load_catalog(_options(args)).contract
    questions = (
        ("model", ask.model, tuple(contract.models)),
        ("toolkit", ask.toolkit, tuple(contract.toolkits)),
        ("system", ask.system, (*contract.servers, *contract.supernodes)),
    )
    for option, name, names in questions:
        if name is not None and name not in names:
            _unknown_name(option, name, names)
    return contract


def _unknown_name(option: str, name: str, names: tuple[str, ...]) -> None:
    from ccc.dsl.lower import did_you_mean

    what = "server or supernode" if option == "system" else option
    hint = did_you_mean(name, names)
    raise UsageError(
        f"--{option} {name}: the catalog has no {what} `{name}`" + (f" ({hint})" if hint else "")
    )


def _show_answer(
    answer: Answer, contract: Contract, out: Output, fmt: str, extra: dict | None = None
) -> None:
    from ccc.render import dumps, text
    from ccc.render.plan import render_plans

    out.text(text.render(answer.diagnostics, {}, colour=out.colour))
    if fmt == "json":
        out.data(dumps({**(extra or {}), **answer.report.model_dump(mode="json")}))
    else:
        systems = {"estimate": answer.system}
        out.data(render_plans(answer.report, contract, systems, explain=True))


def cmd_estimate(args: argparse.Namespace, out: Output) -> int:
    """ccc estimate: one prediction from catalog names, no contract file."""
    from ccc.diagnostics import exit_code
    from ccc.performance.recommend import estimate

    ask = _ask(args)
    contract = _catalog_contract(args, ask)
    degrees = {"tp": args.tp, "ep": args.ep, "pp": args.pp, "dp": args.dp}
    given = _given_factors(args, out)
    if given is None:
        return 1
    answer = estimate(contract, ask, args.devices, degrees, factors=given[0])
    _show_answer(answer, contract, out, args.format)
    if not answer.report.plans:
        return 1
    return exit_code(answer.diagnostics)


def cmd_recommend(args: argparse.Namespace, out: Output) -> int:
    """ccc recommend: the fewest devices that serve an output rate under the SLO."""
    from ccc.performance.recommend import recommend
    from ccc.render import dumps

    ask = _ask(args)
    contract = _catalog_contract(args, ask)
    given = _given_factors(args, out)
    if given is None:
        return 1
    found = recommend(contract, ask, args.rate, max_devices=args.max_devices, factors=given[0])
    tried = [
        {"devices": d, "layout": layout, "output_tokens_per_s": t, "meets_slo": meets}
        for d, layout, t, meets in found.tried
    ]
    under = " under the SLO" if ask.ttft is not None or ask.tpot is not None else ""
    if found.answer is None:
        from ccc.render import text

        blocking = sorted({d.code for d in found.blocked})
        if args.format == "json":
            out.data(dumps({"devices": None, "tried": tried, "blocked_by": blocking}))
        out.text(text.render(found.blocked, {}, colour=out.colour))
        why = f": {', '.join(blocking)} above" if blocking else ""
        out.text(
            f"ccc: no deployment of up to {args.max_devices} devices serves {args.rate:g} "
            f"output tokens/s{under} (tried {_layouts(len(tried))}){why}\n"
        )
        return 1
    devices = found.answer.devices
    if args.format == "text":
        out.data(
            f"{devices} devices of {ask.system} serve {args.rate:g} output tokens/s{under} "
            f"(tried {_layouts(len(tried))}, fewest devices first):\n"
        )
    _show_answer(found.answer, contract, out, args.format, {"devices": devices, "tried": tried})
    return 0


def _layouts(count: int) -> str:
    return f"{count} layout" + ("" if count == 1 else "s")


def _progress(out: Output) -> Callable[[str, int, int], None] | None:
    """A one-line counter on a terminal for long searches; None elsewhere (CI, pipes)."""
    if not (hasattr(out.err, "isatty") and out.err.isatty()) or os.environ.get("CI"):
        return None

    def show(deployment: str, done: int, total: int) -> None:
        if total >= 20:  # short searches finish before a counter helps
            end = "\n" if done == total else ""
            out.text(f"\rpredicting {deployment}: {done}/{total} plans{end}")

    return show


def cmd_calibrate(args: argparse.Namespace, out: Output) -> int:
    """ccc calibrate DATA.json: predict every measured metric of every row, and score it."""
    from ccc.api import load_catalog
    from ccc.calibration.fit import report
    from ccc.calibration.measurements import not_modelled, read_measurements
    from ccc.limits import MAX_LEAVE_ONE_OUT_ROWS
    from ccc.render import dumps
    from ccc.render.calibration import render_calibration

    if args.bench or args.contract:
        return _calibrate_bench(args, out)
    if not args.data:
        raise UsageError("name a measurement file (DATA.json), or --bench RESULT --contract FILE")
    path, name = _named_file(args.data)
    with _reading(args.data):
        found = read_measurements(path, name)
    if found.diagnostics:
        _diagnostics(out, found.diagnostics, {name: found.text}, args.format)
        return 1
    scoring = _scoring(args)
    given = _given_factors(args, out)
    if given is None:
        return 1
    catalog = load_catalog(_options(args))
    if scoring.startswith("leave") and len(found.rows) > MAX_LEAVE_ONE_OUT_ROWS:
        raise UsageError(
            f"--{scoring.replace('_', '-')} fits once per row or source, on the other rows: at "
            f"most {MAX_LEAVE_ONE_OUT_ROWS} rows (about 5 minutes), and {args.data} has "
            f"{len(found.rows)}; run without it, or on a part of the file"
        )
    table, given_from = given
    result = report(found.rows, catalog.contract, scoring, table, given_from)
    failed = [m for m in result.rows if m.error]
    _diagnostics(out, not_modelled(found, name, failed), {name: found.text}, "text")
    if args.write_factors:
        from ccc.writer import write_atomic

        with _writing(args.write_factors):
            write_atomic(Path(args.write_factors), dumps(result.factors.model_dump(mode="json")))
    if args.format == "json":
        out.data(dumps(result.model_dump(mode="json")))
    else:
        out.data(render_calibration(result))
    return 1 if result.failed_rows else 0


def _scoring(args: argparse.Namespace) -> Scoring:
    if args.factors and (args.leave_one_out or args.leave_source_out or args.write_factors):
        raise UsageError(
            "--factors scores with a given table and fits nothing: drop --leave-one-out, "
            "--leave-source-out and --write-factors, or drop --factors to fit"
        )
    if args.leave_one_out and args.leave_source_out:
        raise UsageError("choose one of --leave-one-out and --leave-source-out")
    if args.factors:
        return "given"
    if args.leave_source_out:
        return "leave_source_out"
    return "leave_one_out" if args.leave_one_out else "in_sample"


def _named_file(argument: str, alternative: str = "") -> tuple[Path, str]:
    """The file a command-line argument names, and the name diagnostics show it by."""
    from ccc.front.loader import display_name

    path = Path(argument)
    if not path.is_file():
        raise UsageError(f"{argument}: no such file{alternative}")
    return path, display_name(path.resolve(), Path.cwd().resolve())


def _calibrate_bench(args: argparse.Namespace, out: Output) -> int:
    """ccc calibrate --bench RESULT --contract FILE.cc: the run as rows of the contract's plan,
    a site layer fitted on them over the shipped table, scored and written."""
    from ccc import codes
    from ccc.calibration.bench import fit_site, read_results, rows_of
    from ccc.calibration.fit import prepare, report
    from ccc.calibration.measurements import MeasurementFile, read_text
    from ccc.render import dumps
    from ccc.render.calibration import render_calibration

    if not (args.bench and args.contract) or args.data:
        raise UsageError("--bench RESULT needs --contract FILE.cc and no DATA.json")
    if args.leave_one_out or args.leave_source_out:
        raise UsageError("--bench fits a site layer: drop --leave-one-out and --leave-source-out")
    result_path, name = _named_file(args.bench)
    with _reading(args.bench):
        text, problem = read_text(result_path, name, codes.MEASUREMENTS_INVALID)
    if problem is not None:
        _diagnostics(out, [problem], {}, args.format)
        return 1
    results = read_results(text, name)
    if results.diagnostics:
        _diagnostics(out, results.diagnostics, {name: text}, args.format)
        return 1
    planned = _planned_run(args, out)
    if planned is None:
        return 1
    contract, run = planned
    given = _given_factors(args, out)
    if given is None:
        return 1
    from ccc.performance.factors import bundled_factors

    base = given[0] or bundled_factors()
    rows = MeasurementFile.model_validate(rows_of(results.runs, run, result_path.stem)).root
    site = fit_site([prepare(r, contract) for r in rows], base)
    scored = report(rows, contract, "given", site, f"site layer fitted on {name}")
    if args.write_factors:
        from ccc.writer import write_atomic

        with _writing(args.write_factors):
            write_atomic(Path(args.write_factors), dumps(site.model_dump(mode="json")))
    out.data(dumps(scored.model_dump(mode="json")) if args.format == "json" else
             render_calibration(scored))  # fmt: skip
    return 1 if scored.failed_rows else 0


def _planned_run(args: argparse.Namespace, out: Output) -> tuple[Any, Any] | None:
    """The contract's plan of the benchmarked deployment, as `calibration.bench` reads it."""
    from ccc.api import plan
    from ccc.calibration.bench import Planned
    from ccc.diagnostics import has_errors
    from ccc.hardware.memory import precisions

    planned = plan([Path(args.contract)], _options(args))
    if has_errors(planned.diagnostics):
        _diagnostics(out, planned.diagnostics, planned.sources, args.format)
        return None
    contract = planned.contract
    searches = planned.searches or {}
    names = sorted(searches)
    name = args.deployment or (names[0] if len(names) == 1 else "")
    if name not in searches:
        raise UsageError(f"--deployment: one of {', '.join(names)}")
    ranked = searches[name].ranked
    if not ranked or len(ranked[0].plan) != 1:
        raise UsageError(f"`{name}` has no predicted plan of one role to calibrate against")
    candidate = ranked[0].plan[0]
    deployment = contract.deployments[name]
    cluster = contract.clusters[deployment.cluster or ""]
    dtypes = precisions(contract.models[deployment.model or ""], deployment)
    d = candidate.degrees
    system = planned.systems[name] if planned.systems else None
    run = Planned(
        model=deployment.model or "",
        accelerator=system.accelerator.name if system else "",
        system=cluster.supernode or cluster.server or "",
        toolkit=deployment.toolkit or "",
        weights=dtypes.weights,
        kv_cache=dtypes.kv_cache,
        tp=d.tp,
        dp=d.dp,
        pp=d.pp,
        ep=d.ep,
        extra_experts=d.extra_experts,
        replicas=candidate.replicas,
    )
    return contract, run


def _given_factors(args: argparse.Namespace, out: Output) -> tuple[FactorTable | None, str] | None:
    """The table `--factors FILE|shipped` names ((None, "") without it); None after printing
    why a file cannot be read."""
    if not args.factors:
        return None, ""
    from ccc.performance.factors import bundled_factors

    if args.factors == "shipped":
        return bundled_factors(), "shipped"
    from ccc.calibration.measurements import read_factors

    path, name = _named_file(args.factors, " (or `shipped`, the table ccc ships)")
    with _reading(args.factors):
        found = read_factors(path, name)
    if found.table is None:
        _diagnostics(out, found.diagnostics, {name: found.text}, args.format)
        return None
    return found.table, name


def cmd_graph(args: argparse.Namespace, out: Output) -> int:
    """ccc graph FILE: draw each cluster's topology, repeated servers collapsed; with
    --between, the routes between devices of one cluster and their slowest link."""
    from ccc.api import check
    from ccc.diagnostics import exit_code
    from ccc.hardware.graph import to_dot, to_json, to_mermaid
    from ccc.hardware.topology import system_of
    from ccc.render import dumps, text

    result = check(_existing_files(args.files, args.root), _options(args), strict=args.strict)
    out.text(text.render(result.diagnostics, result.sources, colour=out.colour))
    status = exit_code(result.diagnostics, strict=args.strict)
    systems = {name: system_of(result.contract, name) for name in sorted(result.contract.clusters)}
    drawn = {name: system for name, system in systems.items() if system is not None}
    if args.between is not None:
        _show_routes(out, drawn, args)
    elif args.format == "json":
        out.data(dumps({name: to_json(system) for name, system in drawn.items()}))
    else:
        render = to_dot if args.format == "dot" else to_mermaid
        out.data("".join(render(system) for system in drawn.values()))
    return status


def _show_routes(out: Output, systems: dict, args: argparse.Namespace) -> None:
    from ccc.hardware.graph import route_text, route_view
    from ccc.render import dumps

    if args.cluster is None and len(systems) != 1:
        raise UsageError(
            f"--between: say which cluster with --cluster ({', '.join(systems) or 'none placed'})"
        )
    name = args.cluster or next(iter(systems))
    if name not in systems:
        raise UsageError(f"--cluster {name}: no such cluster with a complete chain of hardware")
    system = systems[name]
    devices = _device_list(args.between, system.devices)
    view = route_view(system, devices)
    out.data(dumps(view.model_dump(mode="json")) if args.format == "json" else route_text(view))


def _device_list(text: str, devices: int) -> list[int]:
    """`0,9,17`: two or more device indices of the cluster, each once."""
    try:
        chosen = [int(part) for part in text.split(",")]
    except ValueError:
        raise UsageError(f"--between {text}: give device indices, e.g. 0,9") from None
    if len(chosen) < 2 or len(set(chosen)) != len(chosen):
        raise UsageError(f"--between {text}: give two or more different devices")
    outside = [d for d in chosen if not 0 <= d < devices]
    if outside:
        raise UsageError(f"--between {text}: device {outside[0]} is not in 0..{devices - 1}")
    return chosen


def _unknown_table(unknowns: Sequence[Blocker]) -> str:
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
                import difflib

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
                with _writing(path):
                    write_atomic(path, formatted)
                out.text(f"formatted {path.as_posix()}\n")
    return status


def cmd_catalog(args: argparse.Namespace, out: Output) -> int:
    """ccc catalog [--kind K]: list what the standard (and site) catalogs define."""
    from ccc.api import load_catalog
    from ccc.render import text
    from ccc.render.catalog import catalog_json, catalog_text

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
        import difflib

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


class _Command(NamedTuple):
    """One subcommand: what it runs, its one-line summary, the example its help ends with,
    whether it reads contracts, its output formats and its own arguments."""

    name: str
    handler: Callable[[argparse.Namespace, Output], int]
    summary: str
    example: str
    contract: bool = False
    formats: tuple[str, ...] = ()
    arguments: Callable[[argparse.ArgumentParser], None] | None = None


def _commands() -> tuple[_Command, ...]:
    return (
        _Command(
            "check",
            cmd_check,
            "check contracts: syntax, names, units, figures",
            f"ccc check {EXAMPLE} --format sarif > ccc.sarif",
            contract=True,
            formats=("text", "json", "sarif"),
        ),
        _Command(
            "compile",
            cmd_compile,
            "compile contracts to manifests: engine launches, Kubernetes, Slurm, plan.json",
            f"ccc compile {EXAMPLE} -o out/ --target vllm,k8s",
            contract=True,
            formats=("text", "json", "sarif"),
            arguments=_compile_arguments,
        ),
        _Command(
            "validate",
            cmd_validate,
            "check that checked-in manifests still match their contract and still fit",
            f"ccc validate out/ --contract {EXAMPLE} --format sarif > ccc.sarif",
            formats=("text", "json", "sarif"),
            arguments=_validate_arguments,
        ),
        _Command(
            "plan",
            cmd_plan,
            "place each deployment: feasible degrees, rank layout, memory per device",
            f"ccc plan {EXAMPLE} --top 3 --format json --ranks",
            contract=True,
            formats=("text", "json"),
            arguments=_plan_arguments,
        ),
        _Command(
            "calibrate",
            cmd_calibrate,
            "predict every row of a measurement file and score the performance model",
            "ccc calibrate measurements.json --factors shipped --format json",
            formats=("text", "json"),
            arguments=_calibrate_arguments,
        ),
        _Command(
            "estimate",
            cmd_estimate,
            "predict one deployment from catalog names (no contract file)",
            "ccc estimate --model qwen3_32b --system hgx_h200 --devices 8 --tp 2 --isl 4000 "
            "--osl 500 --concurrency 64",
            formats=("text", "json"),
            arguments=_estimate_arguments,
        ),
        _Command(
            "recommend",
            cmd_recommend,
            "the fewest devices (whole servers) and the plan that serve an output rate under "
            "an SLO",
            "ccc recommend --model qwen3_32b --system hgx_h200 --isl 4000 --osl 500 --ttft 2 "
            "--tpot 0.05 --rate 20000",
            formats=("text", "json"),
            arguments=_recommend_arguments,
        ),
        _Command(
            "graph",
            cmd_graph,
            "draw each cluster's topology (repeated servers collapsed)",
            "ccc graph examples/cloudmatrix384_deepseek_r1_pd.cc --between 0,16,400",
            contract=True,
            formats=("dot", "mermaid", "json"),
            arguments=_graph_arguments,
        ),
        _Command(
            "fmt",
            cmd_fmt,
            "format contracts in the canonical layout",
            "ccc fmt --check examples/*.cc",
            arguments=_fmt_arguments,
        ),
        _Command(
            "catalog",
            cmd_catalog,
            "list the standard catalog",
            "ccc catalog --kind accelerator",
            formats=("text", "json"),
            arguments=_catalog_arguments,
        ),
        _Command(
            "explain",
            cmd_explain,
            "explain a diagnostic code",
            "ccc explain CC2001",
            arguments=_explain_arguments,
        ),
        _Command(
            "schema",
            cmd_schema,
            "print a JSON Schema",
            "ccc schema deployment",
            arguments=_schema_arguments,
        ),
    )


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` its one subcommand: building the other eleven
    would cost a `ccc check` of a small contract a fifth of its own work."""
    parser = argparse.ArgumentParser(
        prog="ccc",
        description="ccc, the cluster-contract compiler: prove a cluster contract "
        "holds and emit what runs it.",
        epilog=f"example: ccc check {EXAMPLE}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ccc {__version__}")
    _global_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _commands():
        if only is None or command.name == only:
            _add(commands, command)
    return parser


def _command_named(argv: list[str]) -> str | None:
    """The subcommand `argv` runs, if its first word that is not a global option names one
    (else None: the whole parser then lists them, or says which word is not one)."""
    names = {command.name for command in _commands()}
    words = iter(argv)
    for word in words:
        if word == "--color":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in names else None
    return None


def _compile_arguments(sub: argparse.ArgumentParser) -> None:
    _factors_option(sub)
    sub.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="output directory (replaced whole)"
    )
    _target_options(
        sub,
        "comma-separated targets (default: every one that applies to the toolkit)",
        "host facts (addresses, device IPs) as JSON or YAML",
    )


def _validate_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("directory", metavar="MANIFEST_DIR", help="what `ccc compile -o` wrote")
    sub.add_argument(
        "--contract",
        action="append",
        required=True,
        metavar="FILE",
        help="the contract the manifests were compiled from (repeat for several files)",
    )
    _contract_options(sub)
    _target_options(
        sub,
        "comma-separated targets to require (default: those with a directory in MANIFEST_DIR)",
        "the host facts the manifests were compiled with",
    )


def _plan_arguments(sub: argparse.ArgumentParser) -> None:
    _factors_option(sub)
    sub.add_argument("--top", type=int, default=5, metavar="N", help="plans per deployment")
    sub.add_argument(
        "--ranks",
        action="store_true",
        help="include each device's node, local index and group ranks",
    )
    sub.add_argument(
        "--explain",
        action="store_true",
        help="show how plan 1 was predicted: the decode step term by term and its factors",
    )
    sub.add_argument(
        "--plot",
        metavar="FILE.png",
        help="draw the Pareto front (tokens/s per device against per user) to a PNG "
        "(needs the `plot` extra: matplotlib)",
    )


def _factors_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--factors",
        metavar="FILE",
        help="predict with this factor table (a site layer `ccc calibrate --bench "
        "--write-factors` wrote), not the shipped one",
    )


def _calibrate_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("data", metavar="DATA.json", nargs="?", help="rows in the calibration format")
    sub.add_argument(
        "--bench",
        metavar="RESULT",
        help="a benchmark client's result file (vllm bench serve --save-result, SGLang's "
        "bench_serving): fit a site layer on it over the shipped table (or --factors)",
    )
    sub.add_argument(
        "--contract", metavar="FILE.cc", help="with --bench: the contract the run was made of"
    )
    sub.add_argument(
        "--deployment", metavar="NAME", help="with --bench: its deployment (when it has several)"
    )
    sub.add_argument(
        "--leave-one-out",
        action="store_true",
        help="predict each row with factors fitted without it",
    )
    sub.add_argument(
        "--leave-source-out",
        action="store_true",
        help="predict each row with factors fitted without every row of its source "
        "(the error to expect on a new site)",
    )
    sub.add_argument(
        "--factors",
        metavar="FILE|shipped",
        help="score with this factor table (`shipped`: the one ccc ships), fitting nothing",
    )
    sub.add_argument(
        "--write-factors",
        metavar="FILE",
        help="also write the fitted factor table (the one ccc ships: compiler/data/factors.json)",
    )
    sub.add_argument(
        "--catalog", action="append", default=[], metavar="DIR", help="a site catalog directory"
    )


def _estimate_arguments(sub: argparse.ArgumentParser) -> None:
    _factors_option(sub)
    _question_arguments(sub)
    sub.add_argument("--devices", type=_positive, required=True, metavar="N")
    for degree in ("tp", "ep", "pp", "dp"):
        sub.add_argument(
            f"--{degree}", type=_positive, metavar="N", help=f"{degree} degree (default: auto)"
        )
    sub.add_argument(
        "--concurrency",
        type=_positive,
        metavar="N",
        help="requests in flight; those the KV cache cannot hold wait (default: swept)",
    )
    sub.add_argument(
        "--requests",
        type=_positive,
        metavar="N",
        help="a benchmark run of N requests, the first --concurrency sent at once; TTFT "
        "averages the run (default: sustained load)",
    )


def _recommend_arguments(sub: argparse.ArgumentParser) -> None:
    _factors_option(sub)
    _question_arguments(sub)
    sub.add_argument(
        "--rate", type=float, required=True, metavar="TOKENS_PER_S", help="output tokens/s"
    )
    sub.add_argument(
        "--max-devices", type=_positive, default=65536, metavar="N", help="give up beyond this"
    )


def _graph_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--between",
        metavar="DEVICES",
        help="devices of one cluster, e.g. 0,9: the route from the first to each other one "
        "on the device graph, and the slowest link the group's traffic crosses",
    )
    sub.add_argument("--cluster", metavar="NAME", help="the cluster --between asks about")


def _fmt_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--check",
        action="store_true",
        help="change nothing; print a diff and exit 1 if a file is not formatted",
    )
    sub.add_argument("files", nargs="+", metavar="FILE", help=".cc files, a directory, or -")


def _catalog_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
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
    sub.add_argument(
        "--catalog",
        action="append",
        metavar="DIR",
        help="a site catalog directory, listed with the standard one",
    )


def _explain_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("code", nargs="?", metavar="CODE", help="e.g. CC2001; none lists all")


def _schema_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="a block kind, contract, report, plan or graph (default: contract)",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _seconds(text: str) -> float:
    """`2`, `2s`, `50ms` or `0.05` as seconds."""
    stripped = text.strip().lower()
    scale = 1.0
    for suffix, factor in (("ms", 1e-3), ("us", 1e-6), ("s", 1.0)):
        if stripped.endswith(suffix):
            stripped, scale = stripped[: -len(suffix)], factor
            break
    try:
        value = float(stripped) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time: {text!r} (e.g. 2s, 50ms)") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _question_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--model", required=True, help="catalog model name, e.g. qwen3_32b")
    sub.add_argument("--system", required=True, help="catalog server or supernode name")
    sub.add_argument("--toolkit", help="catalog toolkit (default: the first that runs the chip)")
    sub.add_argument("--weights", help="weight dtype (default: the model's)")
    sub.add_argument("--kv-cache", dest="kv_cache", help="KV-cache dtype (default: the model's)")
    sub.add_argument("--isl", type=_positive, required=True, metavar="TOKENS", help="input length")
    sub.add_argument("--osl", type=_positive, required=True, metavar="TOKENS", help="output length")
    sub.add_argument("--ttft", type=_seconds, metavar="TIME", help="TTFT bound, e.g. 2s")
    sub.add_argument("--tpot", type=_seconds, metavar="TIME", help="TPOT bound, e.g. 50ms")
    sub.add_argument("--catalog", action="append", metavar="DIR", help="a site catalog directory")


def _global_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """--debug and --color, before the command (`ccc --debug check`) or after it (`ccc check
    --debug`); a command's copy has no default, so it only overrides what came before."""
    debug, colour = (False, "auto") if top else (argparse.SUPPRESS, argparse.SUPPRESS)
    parser.add_argument(
        "--debug",
        action="store_true",
        default=debug,
        help="show the traceback of an internal error",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=colour,
        help="colour diagnostics (default: on a terminal, unless NO_COLOR)",
    )


def _add(commands: Any, command: _Command) -> argparse.ArgumentParser:
    sub: argparse.ArgumentParser = commands.add_parser(
        command.name,
        help=command.summary,
        description=command.summary,
        epilog=f"example:\n  {command.example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(handler=command.handler)
    _global_options(sub, top=False)
    if command.formats:
        sub.add_argument(
            "--format",
            choices=command.formats,
            default="text",
            help="output format (default: text)",
        )
    if command.contract:
        sub.add_argument("files", nargs="+", metavar="FILE", help=".cc files or directories")
        _contract_options(sub)
    if command.arguments is not None:
        command.arguments(sub)
    return sub


def _target_options(sub: argparse.ArgumentParser, targets: str, inventory: str) -> None:
    sub.add_argument("--target", metavar="NAMES", help=targets)
    sub.add_argument("--inventory", metavar="FILE", help=inventory)


def _contract_options(sub: argparse.ArgumentParser) -> None:
    """--strict and --catalog: how every command that reads a contract reads it."""
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
    sub.add_argument(
        "--root",
        metavar="DIR",
        help="the project directory: imports and model configs may not leave it "
        "(default: the directory of each file given)",
    )


def main(
    argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run one command; `stdout`/`stderr` default to the process's (tests pass buffers)."""
    with _without_cycle_collector():
        return _run(sys.argv[1:] if argv is None else argv, stdout, stderr)


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Run the command with Python's cycle collector off; reference counting still frees.

    A command allocates long-lived objects (modules, the grammar, catalog trees, the IR) and
    acyclic values, so the collector only rescans survivors: a tenth of a small `ccc check`.
    ccc makes almost no reference cycles: a 32,768-device `ccc plan --ranks` leaves 648
    unreachable objects with the collector off (tests/test_cli.py holds a bound). mypy pauses
    it the same way while it loads (python/mypy, mypy/build.py). The collector's state comes
    back after, for a caller that runs `main` in its own process.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def console() -> int:
    """The `ccc` executable: one command, then the process ends, so the cycle collector is
    off from the start and never turned back on (its first pass would scan everything the
    command made, ~4 % of a small `ccc check`, just before the process frees it all)."""
    import gc

    gc.disable()
    return main()


def _run(argv: list[str], stdout: TextIO | None, stderr: TextIO | None) -> int:
    parser = _parser(_command_named(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    out = Output(args.color, stdout, stderr)
    try:
        handler: Callable[[argparse.Namespace, Output], int] = args.handler
        return handler(args, out)
    except UsageError as error:
        out.text(f"ccc: error: {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        return _internal_error(error, out, debug=args.debug, fmt=getattr(args, "format", None))


def _internal_error(error: Exception, out: Output, debug: bool, fmt: str | None) -> int:
    """A bug in ccc: one CC9001 diagnostic (the traceback first with --debug) saying how to
    report it, in the format the command was asked for (a pipeline reading JSON or SARIF
    gets one it can parse), exit 2."""
    from ccc.codes import INTERNAL_ERROR
    from ccc.diagnostics import Diagnostic

    if debug:
        import traceback

        out.text("".join(traceback.format_exception(error)))
    first_line = str(error).splitlines()[0] if str(error) else ""
    diagnostic = Diagnostic.make(
        INTERNAL_ERROR,
        message=f"internal error: {error.__class__.__name__}: {first_line}",
        help=f"this is a bug in ccc {__version__}: please report it with the command and the "
        f"contract{'' if debug else '; --debug shows the traceback'}",
    )
    _diagnostics(out, [diagnostic], {}, fmt if fmt in ("json", "sarif") else "text")
    return 2


if __name__ == "__main__":
    sys.exit(console())

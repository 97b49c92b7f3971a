"""Validation: do checked-in manifests still say what their contract compiles to, and still fit?

In: a manifest directory and the contract compiled in memory (`ccc.emit.Emitted`). Out:
CC6xxx diagnostics at the key, flag or word of the manifest that differs, with the value
`ccc compile` writes and the plan decision behind it, and the manifests' texts to render them.
Each file is compared as what it is (`ccc.validation.drift`): YAML and JSON as data, scripts as argv.
Only what the contract owns is compared; the site may add labels, annotations, environment,
flags the plan does not decide and whole files. A manifest whose engine degrees were edited
is re-checked by placement: if they no longer fit, the error carries the memory figures.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ccc import codes
from ccc.diagnostics import Diagnostic, Label, sort_key
from ccc.emit import Emitted, Origin
from ccc.limits import MAX_MANIFEST_BYTES
from ccc.span import Span
from ccc.targets._launch import EngineOutput
from ccc.validation.drift import (
    Drift,
    Rules,
    ScriptHook,
    compare_argv,
    compare_script,
    compare_tree,
)
from ccc.validation.manifests import Malformed, Node, Statement, Word, plain, read_shell, read_tree

__all__ = ["Validation", "validate"]

_ARGV_KEYS = frozenset({"command", "args", "argv"})
# Concepts whose flags the plan decides: a site may not add one the plan left out.
_DECIDED = ("tp", "pp", "dp", "ep", "dp_attention", "quantization", "kv_cache", "context")
_DEGREES = ("tp", "pp", "dp", "ep", "dp_attention", "context")


class Validation(NamedTuple):
    diagnostics: list[Diagnostic]
    sources: dict[str, str]  # the manifests read, by the name diagnostics give them
    checked: list[str]  # files compared, relative to the directory


def validate(directory: Path, emitted: Emitted, targets: Sequence[str] | None) -> Validation:
    """Compare the manifests under `directory` with `emitted`: the files of every target
    present in the directory (or of `targets`), for every deployment."""
    wanted = _wanted(directory, emitted, targets)
    if not wanted:
        return Validation([_nothing_here(directory, emitted)], {}, [])
    sources: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for relative in wanted:
        origin = emitted.origins[relative]
        name = (directory / relative).as_posix()
        text = _read(directory / relative, name, origin, diagnostics)
        if text is None:
            continue
        sources[name] = text
        expected = emitted.files[relative].decode("utf-8")
        engine = emitted.engines.get(origin.build.name)
        diagnostics += _FileCheck(origin, name, engine).run(expected, text)
    return Validation(sorted(diagnostics, key=sort_key), sources, wanted)


def _wanted(directory: Path, emitted: Emitted, targets: Sequence[str] | None) -> list[str]:
    """The expected files to compare: those of the targets asked for, else of every target
    with a directory under some deployment (so a deleted file or deployment is caught)."""
    if targets is None:
        targets = sorted(
            {path.split("/")[1] for path in emitted.files if (directory / path).parent.is_dir()}
        )
    return sorted(path for path in emitted.files if path.split("/")[1] in targets)


def _nothing_here(directory: Path, emitted: Emitted) -> Diagnostic:
    origin = next(iter(emitted.origins.values()), None)
    span = origin.build.deployment.span if origin else None
    return Diagnostic.make(
        codes.MANIFEST_FILE_MISSING,
        message=f"{directory.as_posix()} holds no manifest ccc compiles from this contract",
        span=span,
        label="this contract's deployments",
        help="give the directory `ccc compile -o` wrote (it holds one directory per "
        "deployment), or `--target` to name the targets you check in",
    )


def _read(path: Path, name: str, origin: Origin, out: list[Diagnostic]) -> str | None:
    build = origin.build
    try:
        size = path.stat().st_size
        if size > MAX_MANIFEST_BYTES:
            out.append(_malformed(name, f"{size} bytes, more than a manifest's limit", 1, 1))
            return None
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        out.append(
            Diagnostic.make(
                codes.MANIFEST_FILE_MISSING,
                message=f"{name} is missing",
                span=build.deployment.span,
                label=f"deployment `{build.name}` compiles to it ({origin.target.NAME})",
                help=f"run `ccc compile` again to write it, or leave out `{origin.target.NAME}` "
                "with `--target`",
            )
        )
    except UnicodeDecodeError as error:
        at = Span.of_decode_error(name, error)
        out.append(_malformed(name, f"not UTF-8 text ({error.reason})", at.line, at.column))
    except OSError as error:
        out.append(_malformed(name, f"cannot be read: {error.strerror}", 1, 1))
    return None


def _malformed(name: str, problem: str, line: int, column: int) -> Diagnostic:
    return Diagnostic.make(
        codes.MANIFEST_MALFORMED,
        message=f"{name}: {_one_line(problem.splitlines()[0] if problem else problem)}",
        span=Span.point(name, line, column),
        label="here",
        help="restore the file from `ccc compile` output and make site changes as data "
        "(labels, annotations, extra keys)",
    )


class _FileCheck:
    """One manifest against what ccc writes for it."""

    def __init__(self, origin: Origin, name: str, output: EngineOutput | None) -> None:
        self.origin = origin
        self.name = name
        self.build = origin.build
        self.engine = _engine(origin)
        # The engine's flag (or config key) -> concept, for the version the build used.
        self.concepts = {} if output is None else {f: c for c, f in output.flags.flags.items()}
        self.findings: list[Diagnostic] = []
        self.checked: set[tuple] = set()  # degrees already re-checked

    def run(self, expected: str, actual: str) -> list[Diagnostic]:
        try:
            if self.origin.artifact.format == "shell":
                self._script(read_shell(expected, self.name), read_shell(actual, self.name))
            elif self.origin.artifact.format in ("yaml", "json"):
                self._documents(expected, read_tree(actual, self.name))
            elif expected != actual:
                top = Span(self.name, 1, 1, 1, 1)
                self._report(Drift("changed", "the file", "its text", "edited", top, ""))
        except Malformed as error:
            self.findings.append(_malformed(self.name, str(error), error.line, error.column))
        except RecursionError:  # a structure deeper than the checks above foresaw
            self.findings.append(_malformed(self.name, "nested too deeply to compare", 1, 1))
        return self.findings

    # --- documents ---------------------------------------------------------------------------

    def _documents(self, expected: str, actual: list[Node]) -> None:
        import yaml

        if self.origin.artifact.format == "json":
            documents = [json.loads(expected)]
        else:
            documents = list(yaml.safe_load_all(expected))
        found = {
            _identity(node.value if isinstance(node.value, dict) else {}): node for node in actual
        }
        for index, document in enumerate(documents):
            key = _identity(document)
            node = found.get(key) if key[0] else (actual[index] if index < len(actual) else None)
            if node is None:
                self._missing_document(document, key)
                continue
            rules = Rules(self._not_owned(), _ARGV_KEYS, self._argv_in_tree)
            drifts = compare_tree(document, node, rules)
            for drift in drifts:
                self._report(drift, _title(key))
            self._tree_degrees(node, drifts)

    def _not_owned(self) -> tuple[str, ...]:
        return tuple(getattr(self.origin.target, "NOT_OWNED", ()))

    def _missing_document(self, document: Any, key: tuple[str, str]) -> None:
        what = f"{key[0]} `{key[1]}`" if key[0] else "a document"
        self.findings.append(
            Diagnostic.make(
                codes.MANIFEST_VALUE_MISSING,
                message=f"{self.name}: {what} is missing",
                span=Span(self.name, 1, 1, 1, 1),
                label=f"ccc compile writes {what} in this file",
                help="restore it from `ccc compile` output",
            )
        )

    def _argv_in_tree(
        self, path: str, expected: Sequence[str], actual: Node, parent: dict
    ) -> list[Drift]:
        if not isinstance(actual.value, list):
            return [Drift("changed", path, list(expected), actual.value, actual.where, path)]
        words = [Word(str(item.value), item.span) for item in actual.value]
        role = parent.get("role") if isinstance(parent.get("role"), str) else None
        role = role or self.origin.artifact.role
        if path.endswith("args") and _is_shell(parent.get("command")):
            # `command: [/bin/sh, -c]`: the args are the script of its `-c`
            expected, words = ["-c", *expected], [Word("-c", actual.where), *words]
        drifts = self._argv(expected, words, actual.where, role)
        why = parent.get("why")  # launch.json keeps each launch's reasons beside its argv
        if isinstance(why, dict):
            drifts = [d._replace(reason=why.get(d.key)) for d in drifts]
        return drifts

    def _script(self, expected: list[Statement], actual: list[Statement]) -> None:
        role = self.origin.artifact.role
        top = actual[0].span if actual else Span(self.name, 1, 1, 1, 1)
        for drift in compare_script(expected, actual, self._command_of(role), top):
            self._report(drift)

    # --- argv and degrees ----------------------------------------------------------------------

    def _argv(
        self, expected: Sequence[str], words: Sequence[Word], anchor: Span, role: str | None
    ) -> list[Drift]:
        """One command line; an engine's whose degrees changed is re-checked by placement."""
        concepts = self.concepts
        engine = any(concepts.get(word) in _DEGREES for word in expected)
        decided = frozenset(f for f, c in concepts.items() if c in _DECIDED and engine)
        drifts, parts = compare_argv(expected, words, anchor, decided, self._command_of(role))
        changed = [d for d in drifts if concepts.get(d.key) in _DEGREES]
        if engine and changed:
            values = {concepts[f]: v[0][1] for f, v in parts.flags.items() if f in concepts}
            self._check_degrees(values, role, changed[0].span)
        return drifts

    def _command_of(self, role: str | None) -> ScriptHook:
        """How a command inside a script of `role` is compared: as `_argv`."""
        return lambda expected, found: self._argv(expected, found.words, found.span, role)

    def _tree_degrees(self, node: Node, drifts: list[Drift]) -> None:
        """A config file (MindIE's config.json) whose degree keys changed."""
        concepts = self.concepts
        changed = [d for d in drifts if concepts.get(d.key) in _DEGREES]
        if not changed:
            return
        values: dict[str, str | None] = {}
        for key, value in _scalars(node):
            if key in concepts and concepts[key] not in values:
                values[concepts[key]] = str(value)
        if values:
            self._check_degrees(values, self.origin.artifact.role, changed[0].span)

    def _check_degrees(self, values: dict[str, str | None], role: str | None, at: Span) -> None:
        from ccc.hardware.memory import Degrees
        from ccc.placement.place import evaluate

        plan = next((r for r in self.build.roles if r.role == role), None)
        if self.engine is None or plan is None:
            return
        try:
            stated = self.engine.degrees(values)
            context = int(values["context"] or 0) if "context" in values else None
        except ValueError:
            return  # not counts: the changed value itself is reported
        degrees = Degrees(
            tp=stated.get("tp", plan.tp),
            dp=stated.get("dp", plan.dp),
            pp=stated.get("pp", plan.pp),
            ep=stated.get("ep", plan.ep),
            extra_experts=plan.extra_experts,
        )
        key = (plan.role, degrees, context)
        if key in self.checked:
            return
        self.checked.add(key)
        _, failure = evaluate(self.build.contract, self.build.name, plan.role, degrees, context)
        if failure is not None:
            self.findings.append(_infeasible(plan, degrees, failure, at))

    # --- reporting -----------------------------------------------------------------------------

    def _report(self, drift: Drift, title: str = "") -> None:
        reason = drift.reason or self.origin.artifact.why.get(drift.key)
        self.findings.append(_drift_diagnostic(drift, reason, title))


def _engine(origin: Origin) -> Any:
    from ccc.targets import engine_for

    return engine_for(origin.build.toolkits)


def _is_shell(command: Any) -> bool:
    return isinstance(command, list) and len(command) == 2 and command[1] == "-c"


def _identity(document: Any) -> tuple[str, str]:
    """A Kubernetes object's kind and name (its identity in a multi-document file), from
    plain data or a manifest's Nodes alike."""
    kind, meta = _unwrap(_get(document, "kind")), _get(document, "metadata")
    name = _unwrap(_get(meta, "name"))
    if isinstance(kind, str) and isinstance(name, str):
        return kind, name
    return "", ""


def _unwrap(value: Any) -> Any:
    """One level of a Node's value (`plain` would convert the whole subtree)."""
    return value.value if isinstance(value, Node) else value


def _get(mapping: Any, key: str) -> Any:
    mapping = _unwrap(mapping)
    return mapping.get(key) if isinstance(mapping, dict) else None


def _title(key: tuple[str, str]) -> str:
    return f"{key[0]} `{key[1]}`: " if key[0] else ""


def _scalars(node: Node) -> Iterator[tuple[str, str | int | float | bool | None]]:
    """(key, value) of every scalar under a mapping key, depth first."""
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            if isinstance(child.value, dict | list):
                yield from _scalars(child)
            else:
                yield key, child.value
    elif isinstance(node.value, list):
        for item in node.value:
            yield from _scalars(item)


def _shown(value: Any, limit: int = 120) -> str:
    """A value on one line of a message, shortened: manifests can hold anything."""
    text = value if isinstance(value, str) else json.dumps(plain(value), sort_keys=True)
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(text: str) -> str:
    """Control characters escaped, so a message stays one printable line."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _drift_diagnostic(drift: Drift, reason: str | None, title: str) -> Diagnostic:
    because = reason or "ccc compile writes it from the contract"
    subject = f"{title}`{_shown(drift.path)}`"
    fix = "change the contract and run `ccc compile` again, not the manifest"
    if drift.kind == "missing":
        return Diagnostic.make(
            codes.MANIFEST_VALUE_MISSING,
            message=f"{subject} is missing: {because}",
            span=drift.span,
            label=f"ccc writes `{_shown(drift.expected)}` here",
            help=f"restore it; to drop it, {fix}",
        )
    if drift.kind == "unexpected":
        return Diagnostic.make(
            codes.MANIFEST_VALUE_CHANGED,
            message=f"{subject} {_shown(drift.actual)} is set here, but the plan leaves it "
            "to the engine's default",
            span=drift.span,
            label="the plan decides this flag",
            help=f"remove it; to set it, {fix}",
        )
    return Diagnostic.make(
        codes.MANIFEST_VALUE_CHANGED,
        message=f"{subject} {_shown(drift.actual)} does not match the contract: {because}",
        span=drift.span,
        label=f"ccc writes `{_shown(drift.expected)}`",
        help=f"set it back to `{_shown(drift.expected)}`; to change it, {fix}",
    )


def _degrees_text(d: Any) -> str:
    return f"tp = {d.tp}, pp = {d.pp}, dp = {d.dp}, ep = {d.ep}"


def _infeasible(plan: Any, degrees: Any, failure: Diagnostic, at: Span) -> Diagnostic:
    """Edited degrees that placement rejects: its finding, at the edit."""
    labels = [Label(failure.span, failure.label or "the contract")] if failure.span else []
    return Diagnostic.make(
        codes.MANIFEST_INFEASIBLE,
        message=f"the manifest's {plan.role} degrees ({_degrees_text(degrees)}) do not fit: "
        f"{failure.message}",
        span=at,
        label=f"{failure.code} at these degrees",
        labels=labels,
        help=f"the plan runs {_degrees_text(plan)}; for other degrees, set them in the "
        "contract's `parallel` block and compile again (`ccc plan` lists those that fit)",
    )

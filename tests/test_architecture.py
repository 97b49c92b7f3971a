"""The architecture as tests: targets load only the plan model, the IR and their own
helpers, and no module of ccc imports itself back through another (walked with `ast`)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a target may load of ccc: the package, the plan model, the IR (and the two leaves it
# rests on: spans and the dtype names) and the targets' own modules.
TARGET_MAY_LOAD = {"ccc", "ccc.plans", "ccc.ir", "ccc.span", "ccc.precision", "ccc.targets"}


def test_every_target_loads_only_the_plan_model_the_ir_and_the_targets() -> None:
    script = (
        "import json, sys, ccc.targets as t\n"
        "for name in t.names(): t.load(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'ccc' or m.startswith('ccc.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    loaded = set(json.loads(out))
    outside = {m for m in loaded if m not in TARGET_MAY_LOAD and not m.startswith("ccc.targets.")}
    assert not outside, f"targets load {sorted(outside)}"
    assert {"ccc.plans", "ccc.targets.vllm"} <= loaded  # the check ran on real imports


def test_no_module_imports_itself_back_at_import_time() -> None:
    assert _cycles(_graph(late=False)) == []


def test_imports_inside_functions_make_no_cycle_either() -> None:
    # They run late, so a cycle would not break at import time, but its modules could no
    # longer be read or tested apart.
    assert _cycles(_graph(late=True)) == []


# --- the import graph -----------------------------------------------------------------------


def _modules() -> dict[str, Path]:
    """Every module of the project by its import name, through pyproject's package-dir."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir = config["tool"]["setuptools"]["package-dir"]
    found = {}
    for package, directory in package_dir.items():
        for path in (ROOT / directory).rglob("*.py"):
            parts = path.relative_to(ROOT / directory).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            found[".".join((package, *parts))] = path
    return found


def _imports(tree: ast.Module, late: bool) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run when the module loads (and with `late`, inside functions
    too); `if TYPE_CHECKING:` blocks never run."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if late:
                    walk(node.body)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                walk(node.orelse)
            else:
                for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                    walk([n for n in getattr(node, field, []) if isinstance(n, ast.stmt)])
                for handler in getattr(node, "handlers", []):
                    walk(handler.body)
                for case in getattr(node, "cases", []):
                    walk(case.body)

    walk(tree.body)
    return found


def _graph(late: bool) -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), late):
            for target in _targets(node, package, modules):
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def _targets(node: ast.Import | ast.ImportFrom, package: str, modules: dict) -> list[str]:
    """The modules an import names: `from a import b` is module `a.b` if there is one."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        base = f"{anchor}.{base}" if base else anchor
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_a_build_holds_nothing_a_target_could_write_to() -> None:
    from ccc.targets._base import Build

    fields = {k: str(t) for k, t in Build.__annotations__.items()}
    assert {k: t for k, t in fields.items() if "list[" in t or "dict[" in t} == {}

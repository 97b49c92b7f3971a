"""A generated grid of contracts: every std model on every std system under every toolkit
with an engine target that runs the system's chip, degrees `auto`, cycling through three
workloads and two precisions. Whatever `ccc plan` accepts, `ccc compile` emits for every
target that applies; and a refusal whose help proposes a concrete change, once applied,
never yields a refusal whose help proposes the original back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from ccc.api import compile, load_catalog
from ccc.diagnostics import Diagnostic, Severity
from ccc.dsl.stdcache import defining_file
from ccc.front.resolve import Options
from ccc.ir import Contract, lineage
from ccc.targets import engine_for

from tests.conftest import ROOT

# (input, output, concurrency): chat, long prompts at load, a single long generation
WORKLOADS = ((2048, 512, 64), (8192, 1024, 256), (128, 4096, 1))
PRECISIONS = (None, "int8")  # the checkpoint's own, and a common quantized one


class Case(NamedTuple):
    model: str
    system: str
    toolkit: str
    values: dict[str, str]  # the contract's settable values, as written


def _catalog() -> Contract:
    return load_catalog(Options(cwd=ROOT)).contract


def _chip(contract: Contract, system: str) -> str:
    supernode = contract.supernodes.get(system)
    server = contract.servers[supernode.server if supernode else system]
    return server.accelerator or ""


def cases() -> Iterator[Case]:
    contract = _catalog()
    parts = {s.server for s in contract.supernodes.values()}
    systems = sorted(set(contract.servers) - parts) + sorted(contract.supernodes)
    index = 0
    for toolkit in sorted(contract.toolkits):
        if engine_for(lineage(contract.toolkits, toolkit)) is None:
            continue
        runs = set(contract.toolkits[toolkit].accelerators + contract.toolkits[toolkit].unverified)
        for system in systems:
            if not runs & set(lineage(contract.accelerators, _chip(contract, system))):
                continue
            for model in sorted(contract.models):
                prompt, output, concurrency = WORKLOADS[index % len(WORKLOADS)]
                weights = PRECISIONS[index // len(WORKLOADS) % len(PRECISIONS)]
                values = {
                    "input_tokens": str(prompt),
                    "output_tokens": str(output),
                    "concurrency": str(concurrency),
                    "size": "1" if system in contract.supernodes else "2",
                }
                if weights:
                    values["weights"] = weights
                index += 1
                yield Case(model, system, toolkit, values)


def source(case: Case, contract: Contract) -> str:
    kinds = (("model",), ("server", "supernode"), ("toolkit",))
    files = {defining_file(n, k) for n, k in zip(case[:3], kinds, strict=True)}
    imports = "".join(f'import "std/{f}"\n' for f in sorted(f for f in files if f))
    v = case.values
    if case.system in contract.supernodes:
        cluster = f"cluster c {{ supernode = {case.system}  supernodes = {v['size']} }}\n"
    else:
        cluster = f"cluster c {{ server = {case.system}  nodes = {v['size']} }}\n"
    extra = "".join(f"  {k} = {v[k]}\n" for k in ("weights", "kv_cache") if k in v)
    workload = " ".join(
        f"{k} = {v[k]}" for k in ("input_tokens", "output_tokens", "concurrency", "queue") if k in v
    )
    return (
        imports
        + cluster
        + f"deployment d {{ model = {case.model}  cluster = c  toolkit = {case.toolkit}\n"
        + extra
        + f"  workload {{ {workload} }} }}\n"
    )


# Concrete changes a help line proposes: (pattern, the value it sets).
_CHANGES = (
    (re.compile(r"serve (\w+) weights"), "weights"),
    (re.compile(r"use (\d+) servers"), "size"),
    (re.compile(r"`kv_cache = (\w+)`"), "kv_cache"),
    (re.compile(r"at most (\d+) requests fit"), "concurrency"),
    (re.compile(r"lower `output_tokens` to (\d+)"), "output_tokens"),
    (re.compile(r"`queue = (true)`"), "queue"),
)


def proposals(help: str | None) -> list[tuple[str, str]]:
    return [(key, m.group(1)) for pattern, key in _CHANGES for m in pattern.finditer(help or "")]


def _errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def _run(case: Case, contract: Contract, tmp_path: Path) -> tuple[bool, list[Diagnostic]]:
    path = tmp_path / "grid.cc"
    path.write_text(source(case, contract), encoding="utf-8")
    result = compile([path], Options(cwd=tmp_path))
    return result.emitted is not None, _errors(result.diagnostics)


ALL = list(cases())


@pytest.fixture(scope="module")
def contract() -> Contract:
    return _catalog()


def test_the_grid_covers_every_engine_toolkit_model_and_system(contract: Contract) -> None:
    assert {c.model for c in ALL} == set(contract.models)
    assert {c.toolkit for c in ALL} >= {"vllm", "vllm_ascend", "sglang", "fastdeploy", "mindie"}
    assert len({c.system for c in ALL}) >= 15 and len(ALL) >= 400


@pytest.mark.parametrize("toolkit", sorted({c.toolkit for c in ALL}))
def test_what_plan_accepts_compile_emits_and_help_never_leads_back(
    toolkit: str, contract: Contract, tmp_path: Path
) -> None:
    looped, failed = [], []
    for case in (c for c in ALL if c.toolkit == toolkit):
        emitted, errors = _run(case, contract, tmp_path)
        if not errors:
            if not emitted:
                failed.append(case)
            continue
        for key, value in {p for d in errors for p in proposals(d.help)}:
            if key == "size" and case.system in contract.supernodes:
                continue  # "use N servers" is not a count of supernodes
            original = case.values.get(key)
            applied = case._replace(values={**case.values, key: value})
            _, after = _run(applied, contract, tmp_path)
            back = [
                d for d in after if original is not None and (key, original) in proposals(d.help)
            ]
            if back:
                looped.append((case, key, value, back[0].code, back[0].help))
    assert not failed, failed[:5]
    assert not looped, looped[:5]

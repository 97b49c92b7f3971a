"""Every registered target against the target interface (`ccc.targets._types`): what it
exports, what its emit gives for a bundled example it applies to, and, for an engine, that
the degrees its files state read back through its own `degrees`."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from ccc import codes
from ccc.targets import engine_for, engine_toolkits, engines, load, names
from ccc.targets._types import conforms

from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.cc"))


@pytest.mark.parametrize("name", names())
def test_the_target_exports_what_its_kind_needs(name: str) -> None:
    target = load(name)
    assert conforms(target) is target
    assert name == target.NAME and target.DESCRIPTION
    assert all(isinstance(pattern, str) for pattern in target.NOT_OWNED)
    if target.KIND == "engine":
        engine = engine_for(target.TOOLKITS[:1])
        assert engine is target
        for version, flags in engine.FLAGS.items():
            assert flags.version == version and flags.source
            assert {"tp", "dp"} <= set(flags.flags), "degrees are stated by concept"
        assert set(engine.CAPABILITIES) == set(engine.FLAGS), "capabilities keyed like flags"
        for version, caps in engine.CAPABILITIES.items():
            assert caps.source
            # a redundant-slot concept is one this version has a flag for, and only then
            stated = engine.FLAGS[version].states("redundant_experts")
            assert (caps.redundant == "redundant_experts") == stated


@pytest.mark.parametrize("name", names())
def test_emit_on_a_bundled_example_gives_files_at_unique_relative_paths(
    name: str, builds: list[Any]
) -> None:
    target = load(name)
    applying = [b for b in builds if target.applies(b)]
    assert applying, f"no bundled example exercises {name}"
    for build in applying:
        engine = engine_for(build.toolkits)
        output = target.emit(build, engine.compute(build) if engine else None)
        paths = [a.path for a in output.artifacts]
        assert paths and len(paths) == len(set(paths)), paths
        for path in paths:
            assert not PurePosixPath(path).is_absolute() and ".." not in PurePosixPath(path).parts
        assert all(codes.lookup(n.code) for n in output.notices)


@pytest.mark.parametrize("name", [e.NAME for e in engines()])
def test_an_engine_reads_back_the_degrees_it_wrote(name: str, builds: list[Any]) -> None:
    engine = engine_for(load(name).TOOLKITS[:1])
    assert engine is not None
    applying = [b for b in builds if engine.applies(b)]
    assert applying
    for build in applying:
        output = engine.compute(build)
        assert all(codes.lookup(n.code) for n in output.notices)
        files = {a.path: a.data for a in output.artifacts}
        for launch in output.launches:
            if not launch.serves:
                continue
            role = next(r for r in build.roles if r.role == launch.role)
            values = stated(engine.FLAGS[output.flags.version].flags, launch.argv, [
                files[path] for path, _ in launch.files if isinstance(files[path], dict)
            ])  # fmt: skip
            degrees = engine.degrees(values)
            world = degrees.get("tp", 1) * degrees.get("pp", 1) * degrees.get("dp", 1)
            assert world == role.instance_devices, (build.name, role.role, degrees)
            assert degrees["dp"] == role.dp
            if "ep" in degrees and not any(n.code == "CC5005" for n in output.notices):
                assert degrees["ep"] == role.ep


def stated(
    concepts: Mapping[str, str], argv: list[Any], documents: list[Any]
) -> dict[str, str | None]:
    """The values of an engine's launch by concept: its flags (`--flag value`, or None for a
    bare switch) and the scalar keys of the config files it reads."""
    by_flag = {flag: concept for concept, flag in concepts.items()}
    values: dict[str, str | None] = {}
    words = [w if isinstance(w, str) else "" for w in argv]
    for i, word in enumerate(words):
        if word in by_flag:
            following = words[i + 1] if i + 1 < len(words) else ""
            values[by_flag[word]] = (
                None if following.startswith("-") or not following else following
            )
    for document in documents:
        for key, value in _scalars(document):
            if key in by_flag:
                values.setdefault(by_flag[key], str(value))
    return values


def _scalars(data: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list):
                yield from _scalars(value)
            else:
                yield key, value
    elif isinstance(data, list):
        for item in data:
            yield from _scalars(item)


def test_the_list_of_engines_in_cc5001s_explanation_is_the_registry() -> None:
    explained = " ".join(codes.NO_LAUNCHER.explain.split())
    assert f"a target ({', '.join(engine_toolkits())})" in explained


def test_mypy_checks_every_target_against_its_protocol() -> None:
    """`ccc.targets._types` assigns each module to its Protocol for mypy: every one of them."""
    tree = ast.parse(Path(conforms.__code__.co_filename).read_text(encoding="utf-8"))
    listed = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "ccc.targets"
        for alias in node.names
    }
    assert listed == set(names())


def test_toolkit_listing_follows_preference() -> None:
    assert engine_toolkits()[:2] == ("vllm", "vllm_ascend")
    assert json.dumps(sorted(engine_toolkits())) == json.dumps(
        sorted(t for e in engines() for t in e.TOOLKITS)
    )


def test_vllm_refuses_a_plan_whose_ep_it_cannot_state(builds: list[Any]) -> None:
    """CC5005 guards what placement already refuses (CC3003): a plan reaching the engine
    with an ep that is neither 1 nor tp x dp."""
    from ccc.targets import vllm

    build = next(b for b in builds if vllm.applies(b))
    role = build.plan.roles[0]
    odd = role.model_copy(update={"ep": role.tp * role.dp + 1})
    broken = build._replace(plan=build.plan.model_copy(update={"roles": [odd]}))
    assert [n.code for n in vllm.ep_notices(broken)] == ["CC5005"]
    assert vllm.ep_notices(build) == ()

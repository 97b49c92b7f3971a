"""Every argv ccc emits, parsed against the stored flag specification of its engine release.

The specifications (`tests/data/engine_flags/<engine>-<version>.json`) were extracted from
each release's own argument parser by `dev/engine_flags.py`. Every bundled example (and a
variant for each engine no example runs) is launched at every verified version of its
engine; each argv must name only flags that release has, in their current spelling, with a
value of the kind its type accepts and among its choices.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ccc.targets import engine_for, load
from ccc.targets._base import Address, Discovery, Endpoints, Ref
from ccc.targets._launch import text_word

from tests.conftest import TESTS

SPECS = TESTS / "data" / "engine_flags"
# A runner's reference, by what it is at start-up (a node rank is a count, an address text).
RUNTIME = {
    "CCC_HOSTS[0]": "node-a",
    "CCC_HOSTS[1]": "node-b",
    "CCC_HOSTS[2]": "node-c",
    "CCC_NODE_RANK": "1",
    "CCC_LEADER_ADDRESS": "10.0.0.1",
    "CCC_NODE_ADDRESS": "10.0.0.2",
    "CCC_NODE_ADDRESSES": "10.0.0.1,10.0.0.2",
    "CCC_PORT": "8001",
}
# Words an engine program starts with (the rest is parsed), by the first words of an argv.
PROGRAMS = (
    ("vllm", "serve"),
    ("vllm", "bench", "serve"),
    ("python3", "-m", "sglang.launch_server"),
    ("python3", "-m", "sglang.bench_serving"),
    ("python3", "-m", "sglang.benchmark.serving"),
    ("python3", "-m", "sglang_router.launch_router"),
    ("python", "-m", "fastdeploy.entrypoints.openai.api_server"),
    ("vllm-router",),
    (
        "python3",
        "/vllm-workspace/vllm-ascend/examples/disaggregated_prefill_v1/"
        "load_balance_proxy_server_example.py",
    ),
    ("ray", "start"),
)


def spec_of(engine: str, version: str) -> dict[str, Any]:
    path = SPECS / f"{engine}-{version}.json"
    assert path.is_file(), (
        f"no stored flag specification for {engine} {version}: run dev/engine_flags.py"
    )
    return json.loads(path.read_text("utf-8"))


def newest_vllm_bench() -> dict[str, Any]:
    """`vllm bench serve` of the newest vLLM ccc verified: the load test of engines that
    ship none (FastDeploy, MindIE) runs from a vLLM install."""
    from ccc.targets import vllm
    from ccc.targets._flags import version_key

    newest = max(vllm.FLAGS, key=version_key)
    return spec_of("vllm", newest)["programs"]["vllm bench serve"]


def ray_start() -> dict[str, Any]:
    """`ray start` of the Ray release ccc verified (vLLM joins its nodes with it)."""
    from ccc.targets import vllm

    return spec_of("ray", vllm.RAY_VERIFIED)["programs"]["ray start"]


def at_runtime(word: str) -> str:
    """`${CCC_NODE_RANK}` or `$((CCC_NODE_RANK * 16))` as the value the runner gives it."""
    for name, value in RUNTIME.items():
        word = re.sub(r"\$\(\(" + name + r" \* \d+\)\)", value, word)
        word = word.replace("${" + name + "}", value)
    return word


def kind(value: str) -> str:
    if re.fullmatch(r"-?\d+", value):
        return "int"
    if re.fullmatch(r"-?\d*\.\d+", value):
        return "float"
    if value.lstrip().startswith("{"):
        return "json"
    return "text"


def problems(argv: list[str], spec: dict[str, Any]) -> Iterator[str]:
    """What the release's parser would refuse in `argv` (its program words already gone)."""
    options, positionals = spec["options"], list(spec["positionals"])
    words = [at_runtime(w) for w in argv]
    at = 0
    while at < len(words):
        word = words[at]
        at += 1
        if not word.startswith("-"):
            if not positionals:
                yield f"unexpected word {word!r}"
            else:
                positionals.pop(0)
            continue
        flag, _, inline = word.partition("=")
        option = options.get(flag)
        if option is None:
            yield f"unknown flag {flag}"
            continue
        if option["deprecated"]:
            yield f"deprecated flag {flag}"
        if not option["takes_value"]:
            continue
        values = [inline] if inline else []
        many = option["nargs"] in ("+", "*")
        while at < len(words) and not words[at].startswith("--") and (many or not values):
            values.append(words[at])
            at += 1
        if not values and option["nargs"] not in ("?", "*"):
            yield f"{flag} needs a value"
        for value in values:
            yield from value_problems(flag, value, option)


def value_problems(flag: str, value: str, option: dict[str, Any]) -> Iterator[str]:
    allowed = option["choices"] or option.get("checked_values")
    if allowed is not None and value not in allowed:
        yield f"{flag} {value!r} is not one of {allowed}"
    found = kind(value)
    accepted = option["accepts"]
    if found == "int" and "int" not in accepted and "float" in accepted:
        found = "float"
    if found not in accepted and not (found != "json" and "text" in accepted):
        yield f"{flag} {value!r}: its type ({option['type']}) accepts {accepted}, not {found}"
    if found == "json" and option.get("json_fields") is not None:
        unknown = set(json.loads(value)) - set(option["json_fields"])
        if unknown:
            yield f"{flag}: keys {sorted(unknown)} are not fields of its config"


def program_of(argv: list[str]) -> tuple[str, list[str]] | None:
    for words in PROGRAMS:
        if tuple(argv[: len(words)]) == words:
            return " ".join(words), argv[len(words) :]
    return None


def launched(build: Any, version: str) -> Iterator[list[str]]:
    """Every argv of `build` with its engine at `version`: the launches' and the load test's."""
    target = engine_for(build.toolkits)
    deployment = build.deployment.model_copy(update={"engine_version": version})
    build = build._replace(deployment=deployment)
    output = target.compute(build)
    launches = list(output.launches)
    # the router as each runner starts it: Kubernetes (Services, pod discovery) and Slurm
    for endpoints in (
        Endpoints(
            (Address("p-svc", 8000),),
            (Address("d-svc", 8000),),
            Discovery({"a": "p"}, {"a": "d"}, "ns", 8000),
        ),
        Endpoints(
            (Address(Ref("CCC_HOSTS[0]"), 8000), Address(Ref("CCC_HOSTS[0]"), 8001)),
            (Address(Ref("CCC_HOSTS[1]"), 8000),),
        ),
    ):
        router = target.router(build, endpoints)
        launches += [router] if router is not None else []
    for command in [w for launch in launches for w in (*launch.setup, launch.argv)]:
        if program_of([text_word(w) for w in command]) is not None:  # not MindIE's daemon
            yield [text_word(w) for w in command]
    for artifact in (
        load("bench").emit(build, output).artifacts if load("bench").applies(build) else ()
    ):
        if artifact.path == "bench.json":
            yield artifact.data["argv"]


def cases(builds: list[Any]) -> Iterator[tuple[str, str, Any]]:
    for build in builds:
        target = engine_for(build.toolkits)
        if target is None:
            continue
        for version in target.FLAGS:
            yield target.NAME, version, build


def test_every_verified_version_has_a_stored_specification(builds: list[Any]) -> None:
    missing = {
        f"{engine} {version}"
        for engine, version, _ in cases(builds)
        if engine != "mindie" and not (SPECS / f"{engine}-{version}.json").is_file()
    }
    assert not missing


def test_every_emitted_argv_parses_at_every_verified_version(builds: list[Any]) -> None:
    found, checked = [], 0
    for engine, version, build in cases(builds):
        programs = spec_of(engine, version)["programs"] if engine != "mindie" else {}
        for argv in launched(build, version):
            program = program_of(argv)
            assert program is not None, f"{engine}: an argv of no known program: {argv[:4]}"
            name, rest = program
            if name == "ray start":  # Ray's own release, whatever the engine's
                programs = {**programs, name: ray_start()}
            if name not in programs and name == "vllm bench serve":
                programs = {**programs, name: newest_vllm_bench()}  # a load test from vLLM
            assert name in programs, f"{engine} {version}: no specification of `{name}`"
            checked += 1
            found += [
                f"{engine} {version} {build.name} {name}: {p}"
                for p in problems(rest, programs[name])
            ]
    assert checked > 0
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--tensor-parallel-size", "2"], []),
        (["--no-such-flag"], ["unknown flag --no-such-flag"]),
        (["--tensor-parallel-size", "two"], ["accepts"]),
        (["--kv-cache-dtype", "fp4_e2m1"], ["is not one of"]),
        (["--kv-transfer-config", '{"kv_connector": "X", "bogus": 1}'], ["not fields"]),
        (["--served-model-name", "a/b", "b"], []),
    ],
)
def test_the_checker_refuses_what_the_parser_refuses(argv: list[str], expected: list[str]) -> None:
    spec = spec_of("vllm", "0.34.0")["programs"]["vllm serve"]
    found = list(problems(["model", *argv], spec))
    assert len(found) == len(expected)
    for problem, words in zip(found, expected, strict=True):
        assert words in problem


def test_a_deprecated_spelling_is_refused() -> None:
    spec = {"options": {"--old": {"deprecated": True, "takes_value": False}}, "positionals": []}
    assert list(problems(["--old"], spec)) == ["deprecated flag --old"]


def test_specifications_record_where_they_were_read() -> None:
    for path in SPECS.glob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        assert document["source"] and document["programs"], path.name
        assert Path(path).stem == f"{document['engine']}-{document['version']}"


def test_ray_start_is_checked_against_rays_own_cli() -> None:
    spec = ray_start()
    assert list(problems(["--head", "--port=6379"], spec)) == []
    assert any("accepts" in p for p in problems(["--head", "--port", "six"], spec))
    assert list(problems(["--headless"], spec)) == ["unknown flag --headless"]

"""Extract an engine release's command-line specification from its own argument parser.

    python dev/engine_flags.py vllm 0.34.0          # pip download the wheel, build, store
    python dev/engine_flags.py fastdeploy 2.3.0 --source DIR   # a source tree instead

The release is fetched with `pip download --no-deps` (or read from `--source`), its Python
files unpacked, and its parser built in a subprocess with heavy imports stubbed
(`dev/stubs.py`; an installed CPU torch is used when present, which gets further). Every
option is stored with what an argv must respect: whether it takes a value, its choices,
which sample values its type accepts, and whether it is deprecated. The result is
`tests/data/engine_flags/<engine>-<version>.json`, with its provenance; `tests/test_flags.py`
parses every emitted argv against it. Run it with a Python that has torch (CPU) installed,
`--python PATH` otherwise: a torch stub gets vLLM only part of the way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "engine_flags"

ASCEND_PROXY = (
    "/vllm-workspace/vllm-ascend/examples/disaggregated_prefill_v1/"
    "load_balance_proxy_server_example.py"
)
# engine -> (PyPI package, import root, the parsers: program -> how to build it). A builder
# is `call:<function>` (a function of the runner below), `main:<module>` (the module run as
# __main__ until it calls parse_args), `file:<path>` (a script of the release's tree) or
# `click:<module>:<group> <command>` (a click command).
ENGINES: dict[str, tuple[str, str, dict[str, str]]] = {
    "vllm": (
        "vllm",
        "vllm",
        {
            "vllm serve": "call:vllm_serve",
            "vllm bench serve": "call:vllm_bench",
            # vllm-project/router, a package of its own (pass its unpacked wheel with --with)
            "vllm-router": "main:vllm_router.launch_router",
        },
    ),
    "vllm_ascend": (
        "vllm-ascend",
        "vllm_ascend",
        {
            "vllm serve": "call:vllm_ascend_serve",
            "vllm bench serve": "call:vllm_bench",
            # the proxy of the Mooncake guides, from the repository (pass its tree with --with)
            f"python3 {ASCEND_PROXY}": "file:examples/disaggregated_prefill_v1/"
            "load_balance_proxy_server_example.py",
        },
    ),
    "sglang": (
        "sglang",
        "sglang",
        {
            "python3 -m sglang.launch_server": "call:sglang_serve",
            "python3 -m sglang.bench_serving": "main:sglang.bench_serving",
            "python3 -m sglang.benchmark.serving": "main:sglang.benchmark.serving",
            "python3 -m sglang_router.launch_router": "main:sglang_router.launch_router",
        },
    ),
    # vLLM's multi-node launch joins its nodes with `ray start` (Ray's click CLI)
    "ray": ("ray", "ray", {"ray start": "click:ray.scripts.scripts:cli start"}),
    "fastdeploy": (
        "fastdeploy-gpu",
        "fastdeploy",
        {"python -m fastdeploy.entrypoints.openai.api_server": "call:fastdeploy_serve"},
    ),
}
# Packages whose CLI imports its own native core (Ray's _raylet, its vendored psutil): their
# wheels are unpacked whole, for the Python that runs this (pip picks a wheel for it).
NATIVE = {"ray"}
SAMPLES = {"int": "7", "float": "0.5", "text": "abc", "json": "{}", "list": "1,2"}

_RUNNER = r'''
import argparse, json, os, runpy, sys
sources = os.environ["CCC_SRC"].split(os.pathsep)
sys.path[:0] = [os.environ["CCC_STUBS"], *sources]
import stubs
finder = stubs.install(keep=tuple(os.environ["CCC_KEEP"].split(",")), root=tuple(sources),
                       probes_allowed=tuple(os.environ["CCC_ALLOW"].split(",")))
how = os.environ["CCC_BUILD"]

class Captured(Exception):
    pass

def capture(module, path=None):
    """Run `module` (or the file at `path`) as __main__ until it parses its arguments:
    its parser."""
    seen = {}
    def parse(self, *a, **k):
        seen["parser"] = self
        raise Captured
    argparse.ArgumentParser.parse_args = parse
    argparse.ArgumentParser.parse_known_args = parse
    sys.argv = [path or module]
    try:
        if path:
            runpy.run_path(path, run_name="__main__")
        else:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
    except Captured:
        return seen["parser"]
    raise SystemExit(f"{path or module} did not parse arguments")

def flexible():
    try:
        from vllm.utils.argparse_utils import FlexibleArgumentParser
    except ImportError:
        from vllm.utils import FlexibleArgumentParser
    return FlexibleArgumentParser()

def pin_cpu_platform():
    """vLLM resolves its platform on first use; older releases find the CPU one only in a
    CPU build, so it is set here (a parser does not depend on the device)."""
    import vllm.platforms as platforms
    from vllm.platforms.cpu import CpuPlatform
    platforms._current_platform = CpuPlatform()

def vllm_serve():
    pin_cpu_platform()
    try:
        from vllm.entrypoints.common.cli_args import make_arg_parser
    except ImportError:
        from vllm.entrypoints.openai.cli_args import make_arg_parser
    return make_arg_parser(flexible())

def vllm_bench():
    pin_cpu_platform()
    from vllm.benchmarks.serve import add_cli_args
    parser = flexible()
    add_cli_args(parser)
    return parser

def vllm_ascend_serve():
    import torch
    torch.npu = stubs.stub_module("torch.npu")  # what torch_npu's import adds to torch
    parser = vllm_serve()
    from vllm_ascend.platform import NPUPlatform  # adds its choices (`--quantization ascend`)
    NPUPlatform.pre_register_and_update(parser)
    return parser

def sglang_serve():
    from sglang.srt.server_args import ServerArgs
    parser = argparse.ArgumentParser()
    ServerArgs.add_cli_args(parser)
    return parser

def fastdeploy_serve():
    return capture("fastdeploy.entrypoints.openai.api_server")

def click_command(target):
    """A click command (`module:group sub`): Ray's CLI is click, not argparse."""
    import importlib
    module, _, path = target.partition(":")
    names = path.split()
    command = getattr(importlib.import_module(module), names[0])
    for name in names[1:]:
        command = command.commands[name]
    return command

parser = None
if how.startswith("click:"):
    command = click_command(how[6:])
elif how.startswith("call:"):
    parser = globals()[how[5:]]()
elif how.startswith("file:"):
    try:  # a script that imports vLLM finds its platform as `vllm serve` does
        pin_cpu_platform()
    except ImportError:
        pass
    found = [os.path.join(root, how[5:]) for root in sources]
    parser = capture(None, next(p for p in found if os.path.isfile(p)))
else:
    parser = capture(how[5:])

def literal_values():
    """Values vLLM checks after parsing (its config's Literal types), by option dest."""
    found = {}
    try:
        from typing import get_args
        from vllm.model_executor.layers.quantization import QUANTIZATION_METHODS
        found["quantization"] = sorted(QUANTIZATION_METHODS)
        from vllm.config.cache import CacheDType
        found["kv_cache_dtype"] = sorted(get_args(CacheDType))
    except ImportError:
        pass
    return found

def json_fields(action):
    """The keys a JSON value may have, where the type parses into a dataclass."""
    return _fields_of(action.type, 3)

def _fields_of(function, depth):
    """A dataclass or model among a parser function's defaults and closure, searched
    `depth` functions deep (vLLM wraps them: optional_type(parse_type(cls)))."""
    if function is None or depth == 0:
        return None
    cells = list(getattr(function, "__defaults__", None) or ())
    cells += [c.cell_contents for c in getattr(function, "__closure__", None) or ()]
    for cell in cells:
        fields = getattr(cell, "__dataclass_fields__", None) or getattr(cell, "model_fields", None)
        if isinstance(cell, type) and fields:
            return sorted(fields)
    for cell in cells:
        if callable(cell) and not isinstance(cell, type):
            found = _fields_of(cell, depth - 1)
            if found:
                return found
    return None

samples = json.loads(os.environ["CCC_SAMPLES"])
deprecated = set(getattr(parser, "_deprecated", ()))

def describe_click(param):
    import click
    takes = not param.is_flag and not param.count
    ok = []
    for name, text in samples.items():
        try:
            param.type.convert(text, param, None)
            ok.append(name)
        except BaseException:
            pass
    help_text = (param.help or "").lower()
    return {
        "dest": param.name,
        "takes_value": bool(takes),
        "nargs": "+" if param.multiple else param.nargs if takes else 0,
        "choices": sorted(param.type.choices) if isinstance(param.type, click.Choice) else None,
        "type": param.type.name,
        "accepts": ok if takes else [],
        "json_fields": None,
        "deprecated": bool(getattr(param, "deprecated", False)
                           or help_text.startswith(("(deprecated)", "[deprecated]"))),
    }

def accepts(action):
    kind = action.type
    if kind is None:
        return sorted(samples)
    ok = []
    for name, text in samples.items():
        try:
            kind(text)
            ok.append(name)
        except BaseException:
            pass
    return ok

def describe(action):
    takes = action.nargs != 0 and not isinstance(action, (
        argparse._StoreTrueAction, argparse._StoreFalseAction, argparse._StoreConstAction,
        argparse._CountAction, argparse._HelpAction, argparse._VersionAction,
        argparse._AppendConstAction))
    if isinstance(action, getattr(argparse, "BooleanOptionalAction", ())):
        takes = False
    name = type(action).__name__
    return {
        "dest": action.dest,
        "takes_value": bool(takes),
        "nargs": action.nargs if isinstance(action.nargs, (int, str, type(None))) else str(action.nargs),
        "choices": sorted(str(c) for c in action.choices) if action.choices is not None else None,
        "type": getattr(action.type, "__name__", None) if action.type else None,
        "accepts": accepts(action) if takes else [],
        "json_fields": json_fields(action) if takes else None,
        "deprecated": bool(action in deprecated or getattr(action, "deprecated", False)
                           or name.startswith("Deprecated")),
    }

options, positionals = {}, []
for action in parser._actions if parser else ():
    if not action.option_strings:
        positionals.append(action.dest)
    for option in action.option_strings:
        options[option] = describe(action)
for param in command.params if parser is None else ():
    if not getattr(param, "opts", None) or param.param_type_name == "argument":
        positionals.append(param.name)
        continue
    for option in [*param.opts, *param.secondary_opts]:
        options[option] = describe_click(param)
values = literal_values()
for spec in options.values():
    if spec["dest"] in values and spec["choices"] is None:
        spec["checked_values"] = values[spec["dest"]]
print(json.dumps({"options": options, "positionals": positionals,
                  "stubbed": sorted(finder.stubbed)}))
'''


def fetch(package: str, version: str, cache: Path) -> tuple[Path, str]:
    """The release's Python files unpacked under `cache`, and where they came from."""
    cache.mkdir(parents=True, exist_ok=True)
    wanted = f"{package}=={version}"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", wanted, "-d", str(cache)],
        check=True,
    )
    stem = package.replace("-", "_").lower()
    found = [
        p
        for p in cache.iterdir()
        if p.is_file() and p.name.lower().startswith(f"{stem}-{version}") and p.suffix == ".whl"
    ]
    if not found:
        raise SystemExit(f"pip left no file for {wanted} in {cache}")
    archive = found[0]
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    tree = cache / f"{stem}-{version}"
    with zipfile.ZipFile(archive) as wheel:
        # the sources and data files (an engine checks its kernel headers exist), no binaries
        binary = (".so", ".a", ".cubin", ".fatbin", ".bin", ".o")
        if package in NATIVE:
            binary = ()
        wheel.extractall(tree, [n for n in wheel.namelist() if not n.endswith(binary)])
    return tree, f"PyPI {wanted}: {archive.name} sha256 {digest}"


def build(engine: str, program: str, how: str, tree: Path, python: str, extra: list[Path]) -> dict:
    keep = {ENGINES[engine][1], "vllm", "sglang", "sglang_router", "vllm_router"}
    env = {
        **os.environ,
        "CCC_STUBS": str(ROOT / "dev"),
        "CCC_SRC": os.pathsep.join(str(p) for p in [tree, *extra]),
        "CCC_KEEP": ",".join(sorted(keep)),
        "CCC_ALLOW": "torch_npu" if engine == "vllm_ascend" else "",  # its platform is wanted
        "CCC_BUILD": how,
        "CCC_SAMPLES": json.dumps(SAMPLES),
        "VLLM_TARGET_DEVICE": "cpu",  # no platform probe: a stubbed one would win
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [python, "-O", "-c", _RUNNER],  # -O: asserts on stubbed values are skipped
            env=env,
            cwd=scratch,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if done.returncode != 0:
        raise SystemExit(f"{program}: the parser did not build\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _has_module(root: Path, module: str) -> bool:
    path = root.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("engine", choices=sorted(ENGINES))
    parser.add_argument("version")
    parser.add_argument("--source", type=Path, help="a source tree instead of the wheel")
    parser.add_argument("--origin", help="where --source came from (repository @ commit)")
    parser.add_argument("--with", dest="extra", type=Path, action="append", default=[],
                        help="another unpacked release the parser imports (vLLM for vllm-ascend)")  # fmt: skip
    parser.add_argument("--only", action="append", help="build only these programs")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ccc-wheels")
    args = parser.parse_args(argv)
    package, _, programs = ENGINES[args.engine]
    if args.source:
        tree, origin = args.source.resolve(), args.origin or str(args.source)
    else:
        tree, origin = fetch(package, args.version, args.cache)
    specs = {}
    for program, how in programs.items():
        if args.only and program not in args.only:
            continue
        module = how[5:] if how.startswith("main:") else ""
        roots = [tree, *args.extra]
        missing_file = how.startswith("file:") and not any((r / how[5:]).is_file() for r in roots)
        if missing_file or (module and not any(_has_module(root, module) for root in roots)):
            print(f"{program}: not in this release", file=sys.stderr)
            continue
        specs[program] = build(args.engine, program, how, tree, args.python, args.extra)
    document = {
        "engine": args.engine,
        "version": args.version,
        "source": origin,
        "extracted_by": "dev/engine_flags.py (the release's own parser, heavy imports stubbed)",
        "samples": SAMPLES,
        "programs": specs,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"{args.engine}-{args.version}.json"
    out.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    counts = ", ".join(f"{p} ({len(s['options'])})" for p, s in specs.items())
    print(f"{out.relative_to(ROOT)}: {counts}")


if __name__ == "__main__":
    main()

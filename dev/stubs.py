"""Stand-ins for an engine's heavy imports, so its own argument parser can be built here.

An engine's parser module imports torch, triton, CUDA extensions and the like, none of which
this machine has (nor needs: a parser is pure Python). `install()` puts a finder last on
`sys.meta_path`: a module no real finder can load becomes a permissive stub whose every
attribute is a class that can be subclassed, called, subscripted and used in annotations.
Packages that are installed (pydantic, PyYAML, ...) load for real, so the parser's own types
and choices are the engine's. Used by `dev/engine_flags.py`, in a subprocess of its own.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
import typing
from typing import Any

STUB_VERSION = "2.9.0"  # what a stub's `__version__` says (engines compare torch's)


class _Meta(type):
    """The type of every stub class: any attribute is another stub class."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return stub_class(f"{cls.__qualname__}.{name}", cls.__module__)

    def __getitem__(cls, item: Any) -> Any:
        return cls

    def __setitem__(cls, key: Any, value: Any) -> None:
        pass

    def __contains__(cls, item: Any) -> bool:
        return False

    def __or__(cls, other: Any) -> Any:
        return typing.Union[cls, other]  # noqa: UP007 - a class, not an annotation

    def __ror__(cls, other: Any) -> Any:
        return typing.Union[other, cls]  # noqa: UP007

    def __iter__(cls) -> Any:
        return iter(())

    def __len__(cls) -> int:
        return 0

    def __bool__(cls) -> bool:
        return True

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        # `@torch.compile` / `@triton.jit`: a decorator applied to a function returns it
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]
        return super().__call__()


class Stub(metaclass=_Meta):
    """An instance of a stub: falsy, empty, and permissive like its class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __init_subclass__(cls, **kwargs: Any) -> None:  # `class P(msgspec.Struct, frozen=True)`
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return stub_class(name, type(self).__module__)()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]
        return Stub()

    def __getitem__(self, item: Any) -> Any:
        return Stub()

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def __contains__(self, item: Any) -> bool:
        return False

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def __int__(self) -> int:
        return 0

    __index__ = __int__

    def __float__(self) -> float:
        return 0.0

    def __lt__(self, other: Any) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __add__(self, other: Any) -> Any:
        return self

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __add__
    __floordiv__ = __mod__ = __pow__ = __and__ = __or__ = __ror__ = __add__

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stub)  # stand-ins for one unknown value agree with each other

    def __hash__(self) -> int:
        return 0

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema  # a field typed by a stub accepts anything

        return core_schema.any_schema()


def stub_class(name: str, module: str) -> type:
    return _Meta(name.rsplit(".", 1)[-1], (Stub,), {"__module__": module, "__qualname__": name})


class _StubModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = stub_class(f"{self.__name__}.{name}", self.__name__)
        setattr(self, name, value)
        return value


def stub_module(name: str) -> types.ModuleType:
    """A stub module made by hand (for an attribute another package's import would add)."""
    module = _StubModule(name)
    module.__path__ = []
    sys.modules[name] = module
    return module


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StubModule(spec.name)
        module.__path__ = []  # a package: its submodules are stubs too
        module.__version__ = STUB_VERSION
        module.__file__ = f"<stub {spec.name}>"
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _Finder(importlib.abc.MetaPathFinder):
    """Last on `sys.meta_path`: whatever no real finder loads, but `keep`'s top-level
    packages (the engine itself) and the platform probes."""

    def __init__(
        self, keep: tuple[str, ...], root: str | tuple[str, ...], probes: frozenset[str]
    ) -> None:
        self.keep, self.root, self.probes = keep, root, probes
        self.stubbed: set[str] = set()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        top = name.split(".")[0]
        if name in self.keep:
            return None  # the engine itself (a missing native extension of it is stubbed)
        # the standard library's platform modules (`_winapi`), whose absence it expects
        if top in sys.stdlib_module_names or top in self.probes:
            return None
        loaded = sys.modules.get(top)
        real = loaded is not None and not isinstance(loaded, _StubModule)
        if real and top != name and top not in self.keep:
            return None  # a real package's missing submodule (a `from . import x` probe)
        if self.root and not _imported_from(self.root) and not isinstance(loaded, _StubModule):
            return None  # an installed library's probe of an optional package: let it fail
        self.stubbed.add(name.split(".")[0])
        return importlib.machinery.ModuleSpec(name, _Loader(), is_package=True)


# Packages whose presence tells an engine which accelerator it runs on: a stub would make it
# pick that platform (and its kernels); absent, the engine falls back to its CPU platform.
PLATFORM_PROBES = frozenset(
    {"tpu_commons", "tpu_inference", "libtpu", "torch_xla", "amdsmi", "habana_frameworks",
     "intel_extension_for_pytorch", "torch_npu", "zentorch", "neuronx_distributed"}
)  # fmt: skip
# Missing packages whose standard-library twin does what a parser needs of them.
TWINS = {"regex": "re"}


def _imported_from(root: str | tuple[str, ...]) -> bool:
    """Whether the import being resolved is a statement of a file under `root`."""
    frame = sys._getframe(2)
    machinery = importlib.__file__.rsplit("/", 1)[0]  # importlib.import_module's own frames
    while frame is not None and frame.f_code.co_filename.startswith(("<frozen", machinery)):
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename.startswith(root)


def install(
    keep: tuple[str, ...],
    root: str | tuple[str, ...] = "",
    probes_allowed: tuple[str, ...] = (),
) -> _Finder:
    """Stub every module no finder loads (but `keep`'s); with `root`, only what a file
    under `root` (the engine's source) imports."""
    import importlib.util

    for name, twin in TWINS.items():
        if importlib.util.find_spec(name) is None:
            sys.modules[name] = importlib.import_module(twin)
    finder = _Finder(keep, root, PLATFORM_PROBES - set(probes_allowed))
    _versions_of_stubs(finder)
    sys.meta_path.append(finder)
    return finder


def _versions_of_stubs(finder: _Finder) -> None:
    """A library that finds a stubbed package asks its version next (transformers does):
    it is STUB_VERSION, not PackageNotFoundError."""
    import importlib.metadata as metadata

    real = metadata.version

    def version(name: str) -> str:
        if name.replace("-", "_") in finder.stubbed:
            return STUB_VERSION
        return real(name)

    metadata.version = version

"""Front end: load a contract's files, read, parse and follow imports within the project's bounds.

In: the files named on the command line and the catalog directories. Out: the parsed files
in a stable order (each after the files it imports), their texts for rendering, and
diagnostics (CC0xxx, CC1003, CC1004, CC7001, CC7002, CC7003).
A file may read only inside its *root*: the project directory (`--root DIR`, by default
the directory of the command-line file it came from), a `--catalog DIR`, or the bundled
standard catalog. Paths are resolved (symlinks
followed) before that check, so no spelling of a path climbs out.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

from ccc import codes
from ccc.diagnostics import Code, Diagnostic
from ccc.dsl import HERE, ast, stdcache
from ccc.dsl.parser import parse
from ccc.limits import MAX_FILE_BYTES, MAX_FILES, MAX_IMPORT_DEPTH
from ccc.span import Span

__all__ = [
    "Loaded",
    "SourceFile",
    "display_name",
    "is_file",
    "load",
    "root_label",
    "std_dir",
]


class SourceFile(NamedTuple):
    path: Path  # resolved, on disk
    name: str  # as spans and messages show it
    root: Path  # reads from this file stay under here


class Loaded:
    """The files read, each after those it imports, their texts and where each came from.

    Plain slotted classes here and in the resolver, not dataclasses: they are working state
    filled in one pass, and each dataclass costs every `ccc check` ~0.5 ms to define.
    """

    __slots__ = ("diagnostics", "files", "origins", "sources")

    def __init__(self) -> None:
        self.files: list[ast.File] = []
        self.sources: dict[str, str] = {}
        self.origins: dict[str, SourceFile] = {}
        self.diagnostics: list[Diagnostic] = []


@functools.cache
def std_dir() -> Path:
    """The standard catalog's directory, resolved (asked for every import and span)."""
    return (HERE / "std").resolve()


def display_name(path: Path, cwd: Path) -> str:
    std = std_dir()
    if path.is_relative_to(std):
        return "std/" + path.relative_to(std).as_posix()
    if path.is_relative_to(cwd):
        return path.relative_to(cwd).as_posix()
    return path.as_posix()


def root_label(root: Path, cwd: Path) -> str:
    """A root as messages name it: relative to the working directory, never machine-specific."""
    return f"the project directory `{display_name(root, cwd) or '.'}`"


def load(paths: list[Path], catalogs: list[Path], cwd: Path, root: Path | None = None) -> Loaded:
    """Parse `paths` and everything they import, depth first, each file once. Imports stay
    inside `root` (or, without one, inside the directory of the file given)."""
    loader = _Loader(catalogs=[c.resolve() for c in catalogs], cwd=cwd.resolve())
    project = (cwd / root).resolve() if root is not None else None
    for path in paths:
        real = (cwd / path).resolve()
        source = SourceFile(real, display_name(real, loader.cwd), project or real.parent)
        if not real.is_relative_to(source.root):
            loader.out.diagnostics.append(_outside_root(source, loader.cwd))
            continue
        loader.visit(source, None)
    return loader.out


class _Loader:
    __slots__ = ("catalogs", "cwd", "done", "out", "stack")

    def __init__(self, catalogs: list[Path], cwd: Path) -> None:
        self.catalogs = catalogs
        self.cwd = cwd
        self.out = Loaded()
        self.done: set[Path] = set()
        self.stack: list[Path] = []

    def visit(self, source: SourceFile, via: ast.Import | None) -> None:
        if source.path in self.done:
            return
        if source.path in self.stack:
            self._report(
                codes.IMPORT_CYCLE,
                via,
                self._cycle_message(source.path),
                "this import closes the cycle",
                "remove one of the imports",
            )
            return
        if len(self.done) + len(self.stack) >= MAX_FILES:
            self._report(
                codes.INPUT_TOO_LARGE,
                via,
                f"more than {MAX_FILES} files imported",
                "one import too many",
                "import fewer, larger catalog files",
            )
            return
        if len(self.stack) >= MAX_IMPORT_DEPTH:
            self._report(
                codes.TOO_DEEP,
                via,
                f"imports nest more than {MAX_IMPORT_DEPTH} files deep",
                "this import is one level too deep",
                "import the shared files from one place instead of through a chain",
            )
            return
        text = self._read(source, via)
        if text is None:
            return
        self.stack.append(source.path)
        file, diagnostics = self._parse(source, text)
        self.out.diagnostics.extend(diagnostics)
        for item in file.items:
            if isinstance(item, ast.Import):
                target = self._find(item, source)
                if target is not None:
                    self.visit(target, item)
        self.stack.pop()
        self.done.add(source.path)
        self.out.files.append(file)
        self.out.sources[source.name] = text
        self.out.origins[source.name] = source

    def _parse(self, source: SourceFile, text: str) -> tuple[ast.File, list[Diagnostic]]:
        std = std_dir()
        # By place, not by root: a catalog file given on the command line (as `ccc estimate`
        # loads the whole catalog) has its own directory as root. The hash keeps it correct.
        if source.path.is_relative_to(std):
            tree = stdcache.cached(source.path.relative_to(std).as_posix(), text, source.name)
            if tree is not None:
                return tree, []
        return parse(text, source.name)

    def _read(self, source: SourceFile, via: ast.Import | None) -> str | None:
        try:
            size = source.path.stat().st_size
            if size > MAX_FILE_BYTES:
                self._report(
                    codes.INPUT_TOO_LARGE,
                    via,
                    f"{source.name} is {size} bytes, over the {MAX_FILE_BYTES} limit",
                    "this file is too large",
                    "split it into smaller files",
                )
                return None
            data = source.path.read_bytes()
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.out.diagnostics.append(_not_utf8(source.name, error))
            return None
        except OSError as error:
            reason = error.strerror or str(error)
            self._report(
                codes.IMPORT_NOT_FOUND,
                via,
                f"cannot read {source.name}: {reason}",
                "cannot be read",
                None,
            )
            return None

    def _find(self, item: ast.Import, importer: SourceFile) -> SourceFile | None:
        wanted = item.path if item.path.endswith(".cc") else item.path + ".cc"
        candidates: list[tuple[Path, Path]] = []
        if wanted.startswith("std/"):
            rest = wanted[len("std/") :]
            candidates += [(c / rest, c) for c in self.catalogs]
            candidates.append((std_dir() / rest, std_dir()))
        else:
            local = (importer.path.parent / wanted).resolve()
            if not local.is_relative_to(importer.root):
                self._report(
                    codes.IMPORT_ESCAPES,
                    item,
                    f"`{item.path}` leads outside {root_label(importer.root, self.cwd)}",
                    "this path leaves the project",
                    "keep imported files inside the project, or pass their "
                    "directory with --catalog DIR",
                )
                return None
            candidates.append((local, importer.root))
            candidates += [(c / wanted, c) for c in self.catalogs]
        for candidate, root in candidates:
            real = candidate.resolve()
            if is_file(real) and real.is_relative_to(root):
                return SourceFile(real, display_name(real, self.cwd), root)
        searched = ", ".join(display_name(c.resolve(), self.cwd) for c, _ in candidates)
        self._report(
            codes.IMPORT_NOT_FOUND,
            item,
            f"cannot find `{item.path}`",
            "no such file",
            f"looked for {searched}",
        )
        return None

    def _cycle_message(self, path: Path) -> str:
        cycle = [*self.stack[self.stack.index(path) :], path]
        return "import cycle: " + " -> ".join(display_name(p, self.cwd) for p in cycle)

    def _report(
        self, code: Code, via: ast.Import | None, message: str, label: str, help: str | None
    ) -> None:
        span: Span | None = via.path_span if via is not None else None
        self.out.diagnostics.append(
            Diagnostic.make(code, span=span, message=message, label=label, help=help)
        )


def _outside_root(source: SourceFile, cwd: Path) -> Diagnostic:
    """A file given on the command line outside `--root` (the CLI refuses it as a usage
    error first; this is for callers of the API)."""
    return Diagnostic.make(
        codes.IMPORT_ESCAPES,
        message=f"{source.name} is outside {root_label(source.root, cwd)}",
        help="pass a --root that contains every file given",
    )


def _not_utf8(name: str, error: UnicodeDecodeError) -> Diagnostic:
    """A file that is not UTF-8, pointed at its first bad byte."""
    return Diagnostic.make(
        codes.IMPORT_NOT_FOUND,
        span=Span.of_decode_error(name, error),
        message=f"cannot read {name}: it is not UTF-8 text (byte 0x{error.object[error.start]:02x})",
        label="not UTF-8",
        help="save the file as UTF-8",
    )


def is_file(path: Path) -> bool:
    """`path.is_file()`, false for a name the system cannot even look up (too long)."""
    try:
        return path.is_file()
    except OSError:
        return False

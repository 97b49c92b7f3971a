"""Front end: resolve files on disk into one `Contract` of IR blocks.

In: the files named on the command line and `Options` (catalog directories, the Hugging
Face cache). Out: a `Resolved` with the contract, every file's text (for rendering) and the
diagnostics. Names are global across a contract and its imports; `extends` copies a block of
the same kind and overrides figures key by key (nested blocks merge, lists are replaced);
`model m from "config.json"` starts from the config's figures. Only the loader touches
files and only the CLI reads the environment, so this is a function of its inputs.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ccc import codes
from ccc.diagnostics import Code, Diagnostic, Label, sort_key
from ccc.dsl import ast, stdcache
from ccc.dsl.hfconfig import from_config, locate_in_cache
from ccc.dsl.lower import Lowered, did_you_mean, lower_body
from ccc.front.loader import SourceFile, is_file, load, root_label, std_dir
from ccc.ir import KINDS, Block, Contract, build, keys_of
from ccc.limits import MAX_CONFIG_BYTES

if TYPE_CHECKING:
    from ccc.span import Span

__all__ = ["Options", "Resolved", "resolve"]


class Options(NamedTuple):
    cwd: Path
    catalogs: tuple[Path, ...] = ()
    hf_cache: Path | None = None
    root: Path | None = None  # the project directory; default: each given file's directory


class Resolved(NamedTuple):
    contract: Contract
    sources: dict[str, str]
    diagnostics: list[Diagnostic]


# Plain slotted classes, not dataclasses: working state of one resolve, never compared or
# printed, where each dataclass would cost every `ccc check` ~0.5 ms to define.
class _Decl:
    __slots__ = ("broken_source", "decl", "lowered", "origin")

    def __init__(self, decl: ast.BlockDecl, origin: SourceFile) -> None:
        self.decl = decl
        self.origin = origin
        self.lowered: Lowered | None = None
        self.broken_source = False  # its config.json failed: already reported, don't cascade


class _Resolver:
    __slots__ = ("decls", "diagnostics", "given", "merged", "options", "origins")

    def __init__(self, options: Options, origins: dict[str, SourceFile], given: set[Path]) -> None:
        self.options = options
        self.origins = origins
        self.given = given  # the files named on the command line: checked whole, even std ones
        self.decls: dict[str, _Decl] = {}
        self.merged: dict[str, Lowered | None] = {}
        self.diagnostics: list[Diagnostic] = []

    def report(
        self,
        code: Code,
        span: Span | None,
        message: str,
        label: str | None = None,
        help: str | None = None,
        labels: Iterable[Label] = (),
    ) -> None:
        self.diagnostics.append(
            Diagnostic.make(code, span=span, message=message, label=label, help=help, labels=labels)
        )


def resolve(paths: list[Path], options: Options) -> Resolved:
    """Load `paths` with their imports and resolve them into one contract."""
    loaded = load(paths, list(options.catalogs), options.cwd, options.root)
    given = {(options.cwd / path).resolve() for path in paths}
    resolver = _Resolver(options, loaded.origins, given)
    resolver.diagnostics.extend(loaded.diagnostics)
    for file in loaded.files:
        _collect(resolver, file)
    blocks = _build_all(resolver)
    tables: dict[str, dict[str, Block]] = {kind + "s": {} for kind in KINDS}
    for name in sorted(blocks):
        tables[blocks[name].kind + "s"][name] = blocks[name]  # type: ignore[attr-defined]
    contract = Contract.model_construct(None, files=[f.path for f in loaded.files], **tables)
    diagnostics = sorted(resolver.diagnostics, key=sort_key)
    return Resolved(contract, loaded.sources, diagnostics)


def _collect(resolver: _Resolver, file: ast.File) -> None:
    origin = resolver.origins[file.path]
    for item in file.items:
        if not isinstance(item, ast.BlockDecl):
            continue
        if item.kind not in KINDS:
            resolver.report(
                codes.UNKNOWN_KIND,
                item.kind_span,
                f"unknown block kind `{item.kind}`",
                "not a block kind",
                did_you_mean(item.kind, tuple(KINDS)) or "block kinds: " + ", ".join(KINDS),
            )
            continue
        first = resolver.decls.get(item.name)
        if first is not None:
            resolver.report(
                codes.DUPLICATE_DEFINITION,
                item.name_span,
                f"`{item.name}` is defined twice",
                "defined again here",
                f"rename one, or write `{item.kind} new_name extends {item.name} {{ ... }}`",
                [Label(span=first.decl.name_span, message="first defined here")],
            )
            continue
        resolver.decls[item.name] = _Decl(item, origin)


def _build_all(resolver: _Resolver) -> dict[str, Block]:
    needed = _lower_needed(resolver)
    blocks: dict[str, Block] = {}
    for name, entry in resolver.decls.items():
        if name not in needed:
            continue
        merged = _merged(resolver, name, [])
        if merged is None:
            continue
        _check_refs(resolver, entry)
        block = _construct(resolver, entry, merged)
        if block is not None:
            blocks[name] = block
    return blocks


def _lower_needed(resolver: _Resolver) -> set[str]:
    """Lower the blocks of the user's own files and, transitively, the bundled catalog blocks
    they name or extend. The rest of the bundled catalog is proven by ccc's own tests, so a
    contract does not pay for the hundred blocks it imports but never uses."""
    std = std_dir()
    pending = deque(
        name
        for name, entry in resolver.decls.items()
        if entry.origin.root != std or entry.origin.path in resolver.given
    )
    needed = set(pending)
    while pending:
        entry = resolver.decls[pending.popleft()]
        entry.lowered = _lower_own(resolver, entry)
        named = [use.name for use in entry.lowered.refs]
        if entry.decl.extends is not None:
            named.append(entry.decl.extends.name)
        for name in named:
            if name in resolver.decls and name not in needed:
                needed.add(name)
                pending.append(name)
    return needed


def _lower_own(resolver: _Resolver, entry: _Decl) -> Lowered:
    decl = entry.decl
    cls = KINDS[decl.kind]
    base = Lowered()
    if decl.source is not None:
        if decl.kind != "model":
            resolver.report(
                codes.FROM_NOT_ALLOWED,
                decl.source.span,
                f"a {decl.kind} cannot be read from a file",
                "only models can",
                f"write the {decl.kind}'s figures in a {{ }} block",
            )
        else:
            base = _from_config(resolver, entry)
            entry.broken_source = not base.values
    elif decl.body is None:
        resolver.report(
            codes.MISSING_BODY,
            decl.span,
            f"{decl.kind} `{decl.name}` has no body",
            "expected `{ ... }` after this",
            f"write `{decl.kind} {decl.name} {{ ... }}`",
        )
    own = lower_body(decl.body, cls) if decl.body is not None else Lowered()
    resolver.diagnostics.extend(own.diagnostics)
    return _merge(base, own)


def _from_config(resolver: _Resolver, entry: _Decl) -> Lowered:
    source = entry.decl.source
    assert source is not None
    path = _config_path(resolver, entry)
    if path is None:
        return Lowered()
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            resolver.report(
                codes.INPUT_TOO_LARGE,
                source.span,
                f"{source.value} is larger than {MAX_CONFIG_BYTES} bytes",
                "too large for a config.json",
            )
            return Lowered()
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        resolver.report(
            codes.INVALID_CONFIG,
            source.span,
            f"cannot read {source.value}: {error.__class__.__name__}",
            "not a JSON config",
            "point at a Hugging Face config.json",
        )
        return Lowered()
    if not isinstance(config, dict):
        resolver.report(
            codes.INVALID_CONFIG,
            source.span,
            f"{source.value} is not an object",
            "not a config.json",
        )
        return Lowered()
    values, missing = from_config(config)
    if missing:
        resolver.report(
            codes.INVALID_CONFIG,
            source.span,
            f"{source.value} has no usable `{missing}`",
            "incomplete config",
            "a model config needs num_hidden_layers, hidden_size and num_attention_heads",
        )
        return Lowered()
    values["source"] = source.value
    if source.value.startswith("hf:"):
        values["hf_repo"] = source.value[3:].partition("@")[0]
    return Lowered(values=values, spans={key: source.span for key in values})


def _config_path(resolver: _Resolver, entry: _Decl) -> Path | None:
    source = entry.decl.source
    assert source is not None
    if source.value.startswith("hf:"):
        cache = resolver.options.hf_cache
        found, why = (
            (None, "no Hugging Face cache is configured")
            if cache is None
            else (locate_in_cache(source.value[3:], cache))
        )
        if found is None:
            resolver.report(
                codes.CONFIG_NOT_FOUND,
                source.span,
                why,
                "not in the local cache",
                "download it once with `huggingface-cli download "
                f"{source.value[3:]} config.json`; ccc never downloads",
            )
        return found
    path = (entry.origin.path.parent / source.value).resolve()
    if not path.is_relative_to(entry.origin.root):
        resolver.report(
            codes.IMPORT_ESCAPES,
            source.span,
            f"`{source.value}` leads outside "
            f"{root_label(entry.origin.root, resolver.options.cwd.resolve())}",
            "this path leaves the project",
            "keep model configs inside the project",
        )
        return None
    if not is_file(path):
        resolver.report(
            codes.CONFIG_NOT_FOUND,
            source.span,
            f"cannot find `{source.value}`",
            "no such file",
            "paths are relative to the file that names them",
        )
        return None
    return path


def _merge(base: Lowered, own: Lowered) -> Lowered:
    return Lowered(
        values=_deep_merge(base.values, own.values),
        spans={**base.spans, **own.spans},
        refs=own.refs,
        invalid=base.invalid | own.invalid,
    )


def _deep_merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _merged(resolver: _Resolver, name: str, chain: list[str]) -> Lowered | None:
    """The block's values after its `extends` chain, or None if the chain is broken."""
    if name in resolver.merged:
        return resolver.merged[name]
    entry = resolver.decls[name]
    assert entry.lowered is not None
    parent = entry.decl.extends
    result: Lowered | None = entry.lowered
    if parent is not None:
        result = _merged_with_parent(resolver, entry, parent, [*chain, name])
    resolver.merged[name] = result
    return result


def _merged_with_parent(
    resolver: _Resolver, entry: _Decl, parent: ast.Ref, chain: list[str]
) -> Lowered | None:
    decl = entry.decl
    if parent.name in chain:
        resolver.report(
            codes.EXTENDS_CYCLE,
            parent.span,
            "extends cycle: " + " -> ".join([*chain, parent.name]),
            "this closes the cycle",
            "one of these blocks must extend nothing",
        )
        return None
    base = resolver.decls.get(parent.name)
    if base is None:
        _unknown_name(resolver, parent, (decl.kind,))
        return None
    if base.decl.kind != decl.kind:
        resolver.report(
            codes.WRONG_KIND,
            parent.span,
            f"a {decl.kind} cannot extend {base.decl.kind} `{parent.name}`",
            f"this is a {base.decl.kind}",
            f"extend a {decl.kind}",
            [Label(span=base.decl.name_span, message="defined here")],
        )
        return None
    inherited = _merged(resolver, parent.name, chain)
    if inherited is None:
        return None
    assert entry.lowered is not None
    return _merge(inherited, entry.lowered)


def _unknown_name(resolver: _Resolver, ref: ast.Ref, kinds: tuple[str, ...]) -> None:
    same_kind = [n for n, d in resolver.decls.items() if d.decl.kind in kinds]
    what = " or ".join(kinds) or "block"
    defined_in = stdcache.defining_file(ref.name, kinds)
    resolver.report(
        codes.UNKNOWN_NAME,
        ref.span,
        f"no {what} named `{ref.name}`",
        "not defined",
        f'the standard catalog defines it: add `import "std/{defined_in}"`'
        if defined_in
        else did_you_mean(ref.name, same_kind)
        or f"define it, or import the catalog file that does (`ccc catalog "
        f"--kind {kinds[0]}` lists them)",
    )


def _check_refs(resolver: _Resolver, entry: _Decl) -> None:
    assert entry.lowered is not None
    for use in entry.lowered.refs:
        target = resolver.decls.get(use.name)
        if target is None:
            _unknown_name(resolver, ast.Ref(use.name, use.span), use.kinds)
        elif use.kinds and target.decl.kind not in use.kinds:
            resolver.report(
                codes.WRONG_KIND,
                use.span,
                f"`{use.path}` names a {' or '.join(use.kinds)}, but `{use.name}` is a "
                f"{target.decl.kind}",
                f"this is a {target.decl.kind}",
                did_you_mean(
                    use.name, [n for n, d in resolver.decls.items() if d.decl.kind in use.kinds]
                )
                or _key_for_kind(entry.decl.kind, use.path, target.decl.kind, use.name),
                [Label(span=target.decl.name_span, message="defined here")],
            )


def _key_for_kind(kind: str, path: str, found: str, name: str) -> str | None:
    """Where the block has a key for what `name` is (a cluster's `supernode` for a
    supernode written as its `server`), the key to write it with."""
    keys = keys_of(KINDS[kind])
    if found == path or found not in keys or found not in (keys[found].ref or ()):
        return None
    counts = {"server": "nodes", "supernode": "supernodes"}
    count = counts.get(found)
    also = f", with `{count} = N` for `{counts[path]}`" if count and path in counts else ""
    return f"`{name}` is a {found}: write `{found} = {name}`{also}"


def _construct(resolver: _Resolver, entry: _Decl, merged: Lowered) -> Block | None:
    decl = entry.decl
    cls = KINDS[decl.kind]
    missing = [
        k
        for k, key in keys_of(cls).items()
        if key.required and k not in merged.values and k not in merged.invalid
    ]
    if (missing and entry.broken_source) or merged.invalid & set(keys_of(cls)):
        return None
    for key in missing:
        resolver.report(
            codes.MISSING_KEY,
            decl.name_span,
            f"{decl.kind} `{decl.name}` needs `{key}`",
            f"`{key}` is missing",
            f"add `{key} = ...` ({keys_of(cls)[key].doc})",
        )
    if missing:
        return None
    try:
        return build(
            cls,
            {
                "name": decl.name,
                "extends": decl.extends.name if decl.extends else None,
                "span": decl.span,
                "spans": merged.spans,
                **merged.values,
            },
        )
    except ValueError as error:  # a lowering gap, not a user mistake
        resolver.report(
            codes.INTERNAL_ERROR,
            decl.span,
            f"ccc could not build {decl.kind} `{decl.name}`: {error}",
            "while building this block",
            "please report this",
        )
        return None

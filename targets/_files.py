"""Targets: artifacts to bytes, YAML by PyYAML's emitter, JSON sorted, shell words by shlex.

Every emitted file is rendered here, so the same artifact is the same bytes on every run:
YAML keeps the key order the target built (Kubernetes readers expect apiVersion, kind,
metadata, spec) and is otherwise fixed by the emitter; JSON sorts its keys. It lives with
the targets because one (Kubernetes) inlines another's file in a ConfigMap; `ccc.render`
takes `dumps` from here, so every JSON ccc prints is written one way.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps", "render", "script_text", "yaml_text"]

_CONTINUE = " \\\n    "


def dumps(data: Any) -> str:
    """JSON as ccc writes it everywhere: sorted keys, two-space indent, UTF-8, final newline,
    so equal data is byte-identical output."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render(artifact: Any) -> bytes:
    """The bytes of one `ccc.targets._base.Artifact`."""
    if artifact.format == "yaml":
        text = _comment(artifact.header) + yaml_text(artifact.data)
    elif artifact.format == "json":
        text = dumps(artifact.data)
    elif artifact.format == "shell":
        text = script_text(artifact.data, artifact.header)
    else:
        text = artifact.data if artifact.data.endswith("\n") else artifact.data + "\n"
    return text.encode("utf-8")


def yaml_text(documents: list[Any]) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Block style, lists indented under their key, no aliases for repeated values."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    return yaml.dump_all(
        documents,
        Dumper=Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
        explicit_start=True,
    )


def script_text(lines: list[Any], header: str) -> str:
    # Here, not at the top: `ccc check` loads this module for `dumps` alone.
    from ccc.targets._base import Command, Export, Raw, shell_line, shell_word

    out = ["#!/usr/bin/env bash", *_comment(header).splitlines()]
    # Leading comment lines are directives (`#SBATCH`): they must precede any command.
    while lines and isinstance(lines[0], Raw) and lines[0].text.startswith("#"):
        out.append(lines[0].text)
        lines = lines[1:]
    out.append("set -euo pipefail")
    for line in lines:
        if isinstance(line, Command):
            out.append(_CONTINUE.join(shell_line(group) for group in _flag_groups(line.words)))
        elif isinstance(line, Export):
            out.append(f"export {line.name}={shell_word(line.value)}")
        elif isinstance(line, Raw):
            out.append(line.text)
        else:
            raise TypeError(f"not a shell line: {line!r}")
    return "\n".join(out) + "\n"


def _flag_groups(words: list[Any]) -> list[list[Any]]:
    """`prog a b --flag v --other` as [prog a b], [--flag v], [--other]: one continued line
    each."""
    groups: list[list[Any]] = []
    for word in words:
        if not groups or (isinstance(word, str) and word.startswith("-")):
            groups.append([])
        groups[-1].append(word)
    return groups


def _comment(header: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())

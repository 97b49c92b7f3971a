"""Render: SARIF 2.1.0, for code-scanning annotations in pull requests.

Every registered code is a rule (stable indices, with its long explanation as help); each
diagnostic is a result located in its file. Validated in the tests against the official
schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ccc import __version__
from ccc.codes import REGISTRY
from ccc.diagnostics import Diagnostic
from ccc.render import dumps
from ccc.span import Span

__all__ = ["render"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "note": "note"}


def render(diagnostics: list[Diagnostic]) -> str:
    rule_ids = sorted(REGISTRY)
    return dumps(
        {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "ccc",
                            "fullName": "ccc, the cluster-contract compiler",
                            "version": __version__,
                            "informationUri": "https://pypi.org/project/cluster-contract-compiler/",
                            "rules": [_rule(code) for code in rule_ids],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": [
                        _result(d, rule_ids.index(d.code) if d.code in REGISTRY else -1)
                        for d in diagnostics
                    ],
                }
            ],
        }
    )


def _rule(code: str) -> dict[str, Any]:
    entry = REGISTRY[code]
    return {
        "id": code,
        "name": entry.slug,
        "shortDescription": {"text": entry.summary},
        "fullDescription": {"text": entry.explain},
        "help": {"text": entry.explain},
        "defaultConfiguration": {"level": _LEVELS[entry.severity.value]},
    }


def _uri(name: str) -> str:
    """Relative names stay relative (code scanning resolves them against the checkout)."""
    path = Path(name)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def _location(span: Span, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(span.file)},
            "region": {
                "startLine": span.line,
                "startColumn": span.column,
                "endLine": span.end_line,
                "endColumn": max(span.end_column, span.column),
            },
        }
    }
    if message:
        location["message"] = {"text": message}
    return location


def _result(d: Diagnostic, index: int) -> dict[str, Any]:
    text = d.message + (f"\nhelp: {d.help}" if d.help else "")
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": _LEVELS[d.severity.value],
        "message": {"text": text},
        "locations": [_location(d.span, d.label)] if d.span else [],
    }
    if index >= 0:
        result["ruleIndex"] = index
    if d.labels:
        result["relatedLocations"] = [
            {**_location(label.span, label.message), "id": i} for i, label in enumerate(d.labels)
        ]
    return result

"""ccc, the cluster-contract compiler: contracts in, proven plans and manifests out.

The curated public API. Attributes load on first use, so `import ccc` stays cheap and
`ccc check` pays only for what it runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "check": "ccc.api",
    "load_catalog": "ccc.api",
    "CheckResult": "ccc.api",
    "plan": "ccc.api",
    "compile": "ccc.api",
    "CompileResult": "ccc.api",
    "PlanResult": "ccc.api",
    "validate": "ccc.api",
    "ValidateResult": "ccc.api",
    "Options": "ccc.front.resolve",
    "resolve": "ccc.front.resolve",
    "Contract": "ccc.ir",
    "Diagnostic": "ccc.diagnostics",
    "Severity": "ccc.diagnostics",
    "Span": "ccc.span",
    "format_text": "ccc.dsl.formatter",
    "parse": "ccc.dsl.parser",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ccc' has no attribute {name!r}")
    return getattr(import_module(module), name)

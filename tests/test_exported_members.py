"""The public API of `ccc` is curated: adding or removing a name is a decision."""

from __future__ import annotations

import ccc


def test_public_api_is_pinned() -> None:
    assert sorted(ccc.__all__) == sorted(
        [
            "__version__",
            "CheckResult",
            "PlanResult",
            "CompileResult",
            "ValidateResult",
            "validate",
            "compile",
            "plan",
            "Contract",
            "Diagnostic",
            "Options",
            "Severity",
            "Span",
            "check",
            "format_text",
            "load_catalog",
            "parse",
            "resolve",
        ]
    )
    for name in ccc.__all__:
        assert getattr(ccc, name) is not None

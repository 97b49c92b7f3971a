"""Renderers: diagnostics and sources in, text out (rustc-style text, JSON, SARIF 2.1.0)."""

__all__ = ["json", "sarif", "text"]

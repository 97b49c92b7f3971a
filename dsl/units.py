"""Language: units and their factors to SI (bytes, bytes/s, FLOP/s, s, W, tokens/s).

A bare `B` is a billion (a count); bytes always carry a prefix (`GB`, `GiB`) or are written
`bytes`, so `671 B` parameters and `64 GB` of memory never collide. Bits per second are
divided by 8 to bytes per second.
"""

from __future__ import annotations

__all__ = ["DIMENSIONS", "UNITS", "describe", "example", "suggest_unit"]

_SI = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50}


def _table() -> dict[str, tuple[str, float]]:
    units: dict[str, tuple[str, float]] = {"bytes": ("bytes", 1.0), "B/s": ("bandwidth", 1.0)}
    for prefix, factor in _SI.items():
        if prefix != "E":
            units[f"{prefix}B"] = ("bytes", factor)
            units[f"{prefix}B/s"] = ("bandwidth", factor)
            units[f"{prefix}b/s"] = ("bandwidth", factor / 8)
            units[f"{prefix}bit/s"] = ("bandwidth", factor / 8)
            units[f"{prefix}bps"] = ("bandwidth", factor / 8)
        units[f"{prefix}FLOPS"] = ("compute", factor)
        units[f"{prefix}OPS"] = ("compute", factor)
    for prefix, factor in _BINARY.items():
        units[f"{prefix}B"] = ("bytes", float(factor))
        units[f"{prefix}B/s"] = ("bandwidth", float(factor))
    units.update(
        {
            "FLOPS": ("compute", 1.0),
            "ns": ("time", 1e-9),
            "us": ("time", 1e-6),
            "ms": ("time", 1e-3),
            "s": ("time", 1.0),
            "min": ("time", 60.0),
            "h": ("time", 3600.0),
            "K": ("count", 1e3),
            "M": ("count", 1e6),
            "B": ("count", 1e9),
            "T": ("count", 1e12),
            "W": ("power", 1.0),
            "kW": ("power", 1e3),
            "MW": ("power", 1e6),
            "%": ("fraction", 0.01),
            "tok/s": ("rate", 1.0),
            "tokens/s": ("rate", 1.0),
            "Ktok/s": ("rate", 1e3),
            "Mtok/s": ("rate", 1e6),
        }
    )
    return units


UNITS: dict[str, tuple[str, float]] = _table()

DIMENSIONS: dict[str, tuple[str, str]] = {
    # dimension: (how to say it, an example to write)
    "bytes": ("a size in bytes", "64 GiB"),
    "bandwidth": ("a bandwidth", "1.6 TB/s"),
    "compute": ("a compute rate", "376 TFLOPS"),
    "time": ("a time", "50 ms"),
    "count": ("a count", "671 B"),
    "power": ("a power", "700 W"),
    "fraction": ("a fraction", "0.7 or 70 %"),
    "rate": ("a token rate", "5000 tok/s"),
    "none": ("a plain number", "8"),
}


def suggest_unit(written: str, dimension: str) -> str | None:
    """The unit of `dimension` that `written` most likely means, if any: the usual
    misspellings first (`TBps` is TB/s, not Tbps; `GiBs` a plural of GiB, or GiB/s where a
    bandwidth is due; case), then the closest spelling among the units of that dimension."""
    import difflib

    candidates = [u for u, (dim, _) in UNITS.items() if dim == dimension] or list(UNITS)
    forms = [written]
    if written.endswith("Bps"):
        forms.append(written[: -len("ps")] + "/s")
    if written.endswith("s"):
        forms += [written[:-1], written[:-1] + "/s"]
    exact = next((form for form in forms if form in candidates), None)
    if exact is not None:
        return exact
    for form in forms:
        folded = [u for u in candidates if u.lower() == form.lower()]
        if len(folded) == 1:
            return folded[0]
    close = difflib.get_close_matches(written, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def describe(dimension: str) -> str:
    return DIMENSIONS[dimension][0]


def example(dimension: str) -> str:
    return DIMENSIONS[dimension][1]

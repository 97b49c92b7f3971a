"""Render: `ccc catalog`, the catalog as a readable table per kind, or as JSON.

In: a resolved Contract. Out: text. Figures are shown in the units people quote them in
(GB, TB/s, TFLOPS), `unknown` where nobody published them, `-` where not declared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ccc.ir import KINDS, UNKNOWN, Contract
from ccc.render import dumps

if TYPE_CHECKING:
    from ccc.ir import Accelerator, Cluster, Interconnect, Model, Server, Supernode, Toolkit

__all__ = ["catalog_json", "catalog_text"]


def _fig(value: object, scale: float, unit: str) -> str:
    if value is None:
        return "-"
    if value == UNKNOWN:
        return "unknown"
    return f"{float(value) / scale:g} {unit}"  # type: ignore[arg-type]


def _accelerator(b: Accelerator) -> list[str]:
    bf16 = b.compute.get("bf16", b.compute.get("fp16"))
    return [
        b.vendor or "-",
        str(b.dies),
        _fig(b.memory, 1e9, "GB"),
        _fig(b.memory_bw, 1e12, "TB/s"),
        _fig(bf16, 1e12, "TFLOPS"),
        _fig(b.compute.get("fp8"), 1e12, "TFLOPS"),
        b.k8s_resource or "-",
    ]


def _interconnect(b: Interconnect) -> list[str]:
    return [
        b.scope or "-",
        b.technology or "-",
        _fig(b.bandwidth, 1e9, "GB/s"),
        _fig(b.latency, 1e-6, "us"),
        b.topology or "-",
    ]


def _server(b: Server) -> list[str]:
    return [
        b.accelerator or "-",
        str(b.devices),
        b.scale_up or "-",
        b.scale_out or "-",
        str(b.allocation_groups or "-"),
    ]


def _supernode(b: Supernode) -> list[str]:
    return [b.server or "-", str(b.servers), b.fabric or "-", b.scale_out or "-"]


def _cluster(b: Cluster) -> list[str]:
    unit = f"{b.server} x {b.nodes}" if b.server else f"{b.supernode} x {b.supernodes}"
    return [unit, b.scale_out or "-"]


def _model(b: Model) -> list[str]:
    moe = f"{b.experts} (top {b.experts_per_token})" if b.experts else "dense"
    return [
        str(b.layers),
        str(b.hidden_size),
        f"{b.heads}/{b.kv_heads}",
        b.attention or "-",
        moe,
        _fig(b.params, 1e9, "B"),
        b.dtype or "-",
    ]


def _toolkit(b: Toolkit) -> list[str]:
    return [
        b.engine or "-",
        str(len(b.accelerators)),
        str(len(b.unverified)),
        ",".join(b.parallelism) or "-",
        ",".join(b.weights) or "-",
    ]


# Each kind's row takes that kind's block (`catalog_text` looks it up by the table's kind).
_COLUMNS: dict[str, tuple[list[str], Callable[..., list[str]]]] = {
    "accelerator": (["vendor", "dies", "memory", "memory_bw", "bf16", "fp8", "k8s"], _accelerator),
    "interconnect": (["scope", "technology", "bandwidth", "latency", "topology"], _interconnect),
    "server": (["accelerator", "devices", "scale_up", "scale_out", "groups"], _server),
    "supernode": (["server", "servers", "fabric", "scale_out"], _supernode),
    "cluster": (["of", "scale_out"], _cluster),
    "model": (["layers", "hidden", "heads/kv", "attention", "experts", "params", "dtype"], _model),
    "toolkit": (["engine", "accels", "unverified", "parallelism", "weights"], _toolkit),
    "deployment": (
        ["model", "cluster", "toolkit"],
        lambda b: [getattr(b, key) or "-" for key in ("model", "cluster", "toolkit")],
    ),
}


def catalog_text(contract: Contract, kind: str | None) -> str:
    sections = []
    for name in [kind] if kind else list(KINDS):
        table = contract.tables()[name]
        if not table:
            if kind:  # asked for by name: say so, never print nothing
                sections.append(
                    f"no {name}s in the catalog: the standard one declares none (a contract "
                    f"or a site catalog passed with --catalog DIR can)\n"
                )
            continue
        header, row = _COLUMNS[name]
        rows = [[block.name, *row(block)] for block in table.values()]
        sections.append(f"{name}s ({len(rows)})\n" + _table(["name", *header], rows))
    return "\n".join(sections)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip()
        for r in [header, *rows]
    ]
    return "\n".join("  " + line for line in lines) + "\n"


def catalog_json(contract: Contract, kind: str | None) -> str:
    tables = contract.tables()
    chosen = [kind] if kind else list(KINDS)
    return dumps(
        {
            name + "s": {
                n: b.model_dump(mode="json", exclude={"span", "spans"})
                for n, b in tables[name].items()
            }
            for name in chosen
        }
    )

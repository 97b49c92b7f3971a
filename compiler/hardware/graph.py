"""Hardware: a System drawn small, for `ccc graph FILE --format dot|mermaid|json`.

In: a topology `System`. Out: DOT or Mermaid text, or a JSON-ready dict (`GraphView`); with
`--between`, the routes a group of devices' traffic takes and its slowest link (`RouteView`).
An 8,192-chip SuperPoD is a thousand identical servers, so one server is drawn in full and
one node stands for the rest: the picture shows the shape of the hierarchy, not its size.
Names come from user files, so every id and label is quoted on the way out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ccc.hardware.topology import Route, System, Tier, routes
from pydantic import BaseModel, ConfigDict

__all__ = [
    "Counts",
    "EdgeView",
    "GraphView",
    "NodeView",
    "RouteView",
    "TierView",
    "graph_view",
    "route_text",
    "route_view",
    "to_dot",
    "to_json",
    "to_mermaid",
]

# A server with more devices than this is drawn as one "N devices" node.
MAX_DRAWN_DEVICES = 16


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TierView(_View):
    name: str
    link: str | None
    bandwidth: float | None  # bytes/s per device per direction
    latency: float | None  # seconds
    topology: str | None


class Counts(_View):
    devices: int
    servers: int
    domains: int
    devices_per_server: int
    domain_size: int


class NodeView(_View):
    id: str
    kind: str  # device, devices, server, servers, switch
    label: str
    parent: str | None = None  # the server node it is drawn inside
    count: int = 1  # how many real devices or servers it stands for


class EdgeView(_View):
    source: str
    target: str
    tier: str
    link: str | None
    bandwidth: float | None
    label: str


class GraphView(_View):
    cluster: str
    server: str
    accelerator: str
    supernode: str | None
    counts: Counts
    tiers: list[TierView]
    nodes: list[NodeView]
    edges: list[EdgeView]


class PathView(_View):
    source: int  # device index
    target: int
    nodes: list[str]  # as in `ccc graph --format json`: "d12", "s1/up", "leaf0", "spine"
    tiers: list[str]  # the tier of each hop
    slowest: TierView


class RouteView(_View):
    """`ccc graph --between`: the routes from the first device to each other one."""

    cluster: str
    devices: list[int]
    paths: list[PathView]
    slowest: TierView  # the tier the group's traffic crosses


def route_view(system: System, devices: list[int]) -> RouteView:
    found = routes(system, devices)
    return RouteView(
        cluster=system.cluster.name,
        devices=devices,
        paths=[_path_view(r) for r in found],
        slowest=_tier_view(max((r.slowest for r in found), key=lambda t: t.rank)),
    )


def _path_view(route: Route) -> PathView:
    return PathView(
        source=route.source,
        target=route.target,
        nodes=list(route.nodes),
        tiers=[hop.name for hop in route.hops],
        slowest=_tier_view(route.slowest),
    )


def _tier_view(t: Tier) -> TierView:
    return TierView(
        name=t.name, link=t.link, bandwidth=t.bandwidth, latency=t.latency, topology=t.topology
    )


def route_text(view: RouteView) -> str:
    """Each route as its nodes, then the slowest link the group's traffic crosses."""
    lines = [f"{view.cluster}: devices {', '.join(str(d) for d in view.devices)}"]
    for p in view.paths:
        lines.append(f"  d{p.source} to d{p.target}: {' -> '.join(p.nodes)}")
    s = view.slowest
    latency = "unknown latency" if s.latency is None else f"{s.latency * 1e6:.6g} us"
    lines.append(
        f"  slowest link: {s.name} ({s.link or 'no link declared'}, {_gbps(s.bandwidth)} "
        f"per device per direction, {latency})"
    )
    return "\n".join(lines) + "\n"


def graph_view(system: System) -> GraphView:
    """The collapsed drawing of `system`: server s0 in full, the rest as count nodes."""
    nodes: list[NodeView] = []
    edges: list[EdgeView] = []
    top = _draw_server(system, nodes, edges)
    if system.supernode is not None:
        top = _draw_domain(system, top, nodes, edges)
    if system.domains > 1:
        _draw_scale_out(system, top, nodes, edges)
    return GraphView(
        cluster=system.cluster.name,
        server=system.server.name,
        accelerator=system.accelerator.name,
        supernode=system.supernode.name if system.supernode else None,
        counts=Counts(
            devices=system.devices,
            servers=system.servers,
            domains=system.domains,
            devices_per_server=system.devices_per_server,
            domain_size=system.domain_size,
        ),
        tiers=[_tier_view(t) for t in system.tiers],
        nodes=nodes,
        edges=edges,
    )


def to_json(system: System) -> dict[str, object]:
    return graph_view(system).model_dump(mode="json")


def _draw_server(system: System, nodes: list[NodeView], edges: list[EdgeView]) -> str:
    """Server s0 with its devices and switch; returns the node joining it to the rest."""
    up = system.tiers[0]
    n = system.devices_per_server
    nodes.append(NodeView(id="s0", kind="server", label=f"s0: {system.server.name}"))
    nodes.append(NodeView(id="s0/up", kind="switch", label=_switch_label("s0/up", up), parent="s0"))
    if n > MAX_DRAWN_DEVICES:
        nodes.append(
            NodeView(id="s0/devices", kind="devices", label=f"{n} devices", parent="s0", count=n)
        )
        edges.append(_edge("s0/devices", "s0/up", up))
        return "s0/up"
    for d in range(n):
        nodes.append(
            NodeView(id=f"d{d}", kind="device", label=_device_label(system, d), parent="s0")
        )
        edges.append(_edge(f"d{d}", "s0/up", up))
    return "s0/up"


def _draw_domain(system: System, top: str, nodes: list[NodeView], edges: list[EdgeView]) -> str:
    fabric = system.tier("supernode")
    assert fabric is not None
    nodes.append(NodeView(id="n0/fabric", kind="switch", label=_switch_label("n0/fabric", fabric)))
    edges.append(_edge(top, "n0/fabric", fabric))
    others = system.domain_servers - 1
    if others:
        label = f"× {_plural(others, 'more server')} like s0"
        nodes.append(NodeView(id="n0/more", kind="servers", label=label, count=others))
        edges.append(_edge("n0/more", "n0/fabric", fabric))
    return "n0/fabric"


def _draw_scale_out(system: System, top: str, nodes: list[NodeView], edges: list[EdgeView]) -> None:
    out = system.tier("scale_out")
    assert out is not None
    if out.topology == "rail":
        shape = f"rail, {system.devices_per_server} rails"
    else:
        shape = f"leaf/spine, {system.domains} leaves"
    label = f"scale_out: {out.link or 'no link declared'} ({shape})"
    nodes.append(NodeView(id="scale_out", kind="switch", label=label))
    edges.append(_edge(top, "scale_out", out))
    # The other domains: whole supernodes, or (without one) single servers.
    others = system.domains - 1
    noun, like = ("more supernode", "n0") if system.supernode else ("more server", "s0")
    label = f"× {_plural(others, noun)} like {like}"
    nodes.append(
        NodeView(id="more", kind="servers", label=label, count=others * system.domain_servers)
    )
    edges.append(_edge("more", "scale_out", out))


def _device_label(system: System, d: int) -> str:
    if system.accelerator.dies > 1:
        return f"d{d} (package {system.package_of(d)})"
    return f"d{d}"


def _switch_label(node: str, tier: Tier) -> str:
    shape = f" ({tier.topology})" if tier.topology else ""
    return f"{node}: {tier.link or 'no link declared'}{shape}"


def _edge(source: str, target: str, tier: Tier) -> EdgeView:
    return EdgeView(
        source=source,
        target=target,
        tier=tier.name,
        link=tier.link,
        bandwidth=tier.bandwidth,
        label=f"{tier.name} · {tier.link or 'no link declared'} · {_gbps(tier.bandwidth)}",
    )


def _gbps(bandwidth: float | None) -> str:
    return "unknown" if bandwidth is None else f"{bandwidth / 1e9:.6g} GB/s"


def _title(view: GraphView) -> str:
    c = view.counts
    return (
        f"{view.cluster}: {_plural(c.devices, 'device')} = {_plural(c.servers, 'server')}"
        f" × {c.devices_per_server}, {_plural(c.domains, 'scale-up domain')} of {c.domain_size}"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def to_dot(system: System) -> str:
    """Graphviz DOT: server s0 as a cluster subgraph, every id and label double-quoted."""
    view = graph_view(system)
    lines = [
        f"graph {_dot(view.cluster)} {{",
        f"  label={_dot(_title(view))};",
        "  node [shape=box];",
    ]
    for node, children in _top_level(view):
        if not children:
            lines.append(f"  {_dot(node.id)} [label={_dot(node.label)}];")
            continue
        lines.append(f"  subgraph {_dot('cluster_' + node.id)} {{")
        lines.append(f"    label={_dot(node.label)};")
        lines += [f"    {_dot(c.id)} [label={_dot(c.label)}];" for c in children]
        lines.append("  }")
    lines += [
        f"  {_dot(e.source)} -- {_dot(e.target)} [label={_dot(e.label)}];" for e in view.edges
    ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _top_level(view: GraphView) -> Iterator[tuple[NodeView, list[NodeView]]]:
    """Each node without a parent, with its children (a server and its devices)."""
    for node in view.nodes:
        if node.parent is None:
            yield node, [c for c in view.nodes if c.parent == node.id]


def _dot(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_mermaid(system: System) -> str:
    """A Mermaid flowchart: ids reduced to [A-Za-z0-9_], labels quoted."""
    view = graph_view(system)
    ids = _mermaid_ids([n.id for n in view.nodes])
    lines = ["flowchart TB", f"  %% {_mermaid_comment(_title(view))}"]
    for node, children in _top_level(view):
        if not children:
            lines.append(f"  {ids[node.id]}[{_mermaid(node.label)}]")
            continue
        lines.append(f"  subgraph {ids[node.id]} [{_mermaid(node.label)}]")
        lines += [f"    {ids[c.id]}[{_mermaid(c.label)}]" for c in children]
        lines.append("  end")
    lines += [f"  {ids[e.source]} ---|{_mermaid(e.label)}| {ids[e.target]}" for e in view.edges]
    return "\n".join(lines) + "\n"


def _mermaid_ids(names: list[str]) -> dict[str, str]:
    """A distinct Mermaid-safe id for each name; the prefix keeps clear of keywords (`end`)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = "n_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        ids[name] = candidate
        taken.add(candidate)
    return ids


def _mermaid(text: str) -> str:
    # Labels may be rendered as HTML, so angle brackets are escaped as well as quotes.
    escaped = text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return '"' + escaped.replace("\n", " ") + '"'


def _mermaid_comment(text: str) -> str:
    return text.replace("\n", " ")

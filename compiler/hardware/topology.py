"""Hardware: a cluster's resolved topology, where each device sits, and the graph of it.

In: a resolved Contract and a cluster name. Out: a `System` (cluster -> supernode -> server ->
accelerator, and the tiers that join devices) and, only when asked, a networkx graph of it.
Placement asks "which tier joins these devices?" for clusters of 32,768 devices, so that is
arithmetic over the global device index, never a graph search. The graph, with switch nodes
instead of all-pairs edges so its size stays linear, answers the route questions of
`ccc graph --between` (which switches a group's traffic crosses, and its slowest link) and
cross-checks the arithmetic in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from ccc.ir import Accelerator, Cluster, Contract, Server, Supernode, known

if TYPE_CHECKING:
    import networkx

__all__ = [
    "TIERS",
    "Route",
    "System",
    "Tier",
    "build_graph",
    "routes",
    "slowest_on_path",
    "system_of",
    "systems_of",
]

# Fastest first: a tier's rank is its index here.
TIERS: tuple[str, ...] = ("scale_up", "supernode", "scale_out")

# Edge weights for the graph's shortest paths: one slower hop must cost more than any number
# of faster hops a real route takes (at most four), so a route never leaves a domain that
# joins both ends, e.g. a rail switch must not short-cut two servers of one supernode.
_HOP_COST = (1, 8, 64)


class Tier(NamedTuple):
    """One level of the hierarchy that joins devices.

    bandwidth: bytes/s per device per direction; latency: seconds of one hop; both None when
    absent or `unknown`. rank: 0 (fastest) .. 2 (slowest). topology: the interconnect's.
    """

    name: str
    link: str | None
    bandwidth: float | None
    latency: float | None
    rank: int
    topology: str | None = None


class System(NamedTuple):
    """The resolved hardware of one cluster (a NamedTuple: `ccc check` defines it, and a
    frozen dataclass costs ~0.8 ms to define, a NamedTuple ~0.1 ms).

    Devices are numbered 0.. server-major: device d is local device d % devices_per_server of
    server d // devices_per_server; a scale-up domain is one server, or one supernode's
    `domain_servers` consecutive servers. `tiers` always starts with scale_up, has a
    supernode tier only when a supernode is used and scale_out only when there are several
    domains.
    """

    cluster: Cluster
    server: Server
    accelerator: Accelerator
    supernode: Supernode | None
    devices_per_server: int
    servers: int
    domain_servers: int
    tiers: tuple[Tier, ...]

    @property
    def devices(self) -> int:
        return self.servers * self.devices_per_server

    @property
    def domain_size(self) -> int:
        """Devices per scale-up domain."""
        return self.domain_servers * self.devices_per_server

    @property
    def domains(self) -> int:
        return self.servers // self.domain_servers

    def split(self, prefill: int | None, decode: int | None) -> tuple[int, int, int]:
        """A disaggregated deployment's devices: prefill's (default half), the device decode
        starts on (a fresh server: a server's devices share one engine's launch) and
        decode's (default the rest)."""
        first = prefill or self.devices // 2
        start = -(-first // self.devices_per_server) * self.devices_per_server
        return first, start, decode or self.devices - start

    def tier(self, name: str) -> Tier | None:
        """The tier called `name`, or None when this system has none."""
        return next((t for t in self.tiers if t.name == name), None)

    def server_of(self, d: int) -> int:
        return self._index(d) // self.devices_per_server

    def local_index(self, d: int) -> int:
        return self._index(d) % self.devices_per_server

    def domain_of(self, d: int) -> int:
        return self.server_of(d) // self.domain_servers

    def package_of(self, d: int) -> int:
        """Global index of the package holding device d; the dies of a package share it.

        Packages are counted per server, so a server whose device count is not a multiple of
        the dies never shares a package with the next one.
        """
        dies = self.accelerator.dies
        per_server = -(-self.devices_per_server // dies)
        return self.server_of(d) * per_server + self.local_index(d) // dies

    def tier_between(self, a: int, b: int) -> Tier:
        """The fastest tier that joins devices a and b (scale_up when a == b)."""
        if self.server_of(a) == self.server_of(b):
            return self.tiers[0]
        return self._slowest(
            spans_servers=True, spans_domains=self.domain_of(a) != self.domain_of(b)
        )

    def tier_of_group(self, devices: Iterable[int]) -> Tier:
        """The slowest tier a group's traffic crosses: the tier that joins all of it."""
        group = iter(devices)
        first = next(group, None)
        if first is None:
            raise ValueError("an empty group spans no tier")
        server, domain = self.server_of(first), self.domain_of(first)
        spans_servers = False
        for d in group:
            if self.domain_of(d) != domain:
                return self._slowest(spans_servers=True, spans_domains=True)
            spans_servers = spans_servers or self.server_of(d) != server
        return self._slowest(spans_servers=spans_servers, spans_domains=False)

    def graph(self) -> networkx.Graph:
        """The device graph (built on each call: only drawing and tests need it)."""
        return build_graph(self)

    def _slowest(self, *, spans_servers: bool, spans_domains: bool) -> Tier:
        name = "scale_out" if spans_domains else "supernode" if spans_servers else "scale_up"
        tier = self.tier(name)
        assert tier is not None, f"{name} spanned but absent"  # the device arithmetic guarantees it
        return tier

    def _index(self, d: int) -> int:
        if not 0 <= d < self.devices:
            raise IndexError(f"device {d} is not in 0..{self.devices - 1}")
        return d


def system_of(contract: Contract, cluster_name: str) -> System | None:
    """The System of `cluster_name`, or None when its chain of references is broken.

    Never raises: a broken chain has been reported by the checks already.
    """
    cluster = contract.clusters.get(cluster_name)
    if cluster is None:
        return None
    supernode = contract.supernodes.get(cluster.supernode) if cluster.supernode else None
    if cluster.supernode and supernode is None:
        return None
    server = contract.servers.get((supernode.server if supernode else cluster.server) or "")
    accelerator = contract.accelerators.get(server.accelerator or "") if server else None
    if server is None or accelerator is None or not _whole(accelerator.dies):
        return None
    if supernode is not None:
        domain_servers, domains = supernode.servers, cluster.supernodes or 1
    else:
        domain_servers, domains = 1, cluster.nodes or 1
    if not (_whole(server.devices) and _whole(domain_servers) and _whole(domains)):
        return None
    assert server.devices is not None and domain_servers is not None  # narrowed by _whole
    return System(
        cluster=cluster,
        server=server,
        accelerator=accelerator,
        supernode=supernode,
        devices_per_server=server.devices,
        servers=domain_servers * domains,
        domain_servers=domain_servers,
        tiers=_tiers(contract, cluster, server, supernode, domains),
    )


def systems_of(contract: Contract, deployments: Iterable[str]) -> dict[str, System]:
    """The system of each named deployment's cluster, leaving out broken chains."""
    found = {n: system_of(contract, contract.deployments[n].cluster or "") for n in deployments}
    return {name: system for name, system in found.items() if system is not None}


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _tiers(
    contract: Contract, cluster: Cluster, server: Server, supernode: Supernode | None, domains: int
) -> tuple[Tier, ...]:
    tiers = [_tier(contract, "scale_up", server.scale_up)]
    if supernode is not None:
        tiers.append(_tier(contract, "supernode", supernode.fabric))
    if domains > 1:
        # The same precedence as checks._needs, so a blocked figure names the link used here.
        out = cluster.scale_out or (supernode.scale_out if supernode else server.scale_out)
        tiers.append(_tier(contract, "scale_out", out))
    return tuple(tiers)


def _tier(contract: Contract, name: str, link: str | None) -> Tier:
    interconnect = contract.interconnects.get(link or "")
    if interconnect is None:
        return Tier(name, link, None, None, TIERS.index(name))
    return Tier(
        name,
        link,
        _figure(interconnect.bandwidth),
        _figure(interconnect.latency),
        TIERS.index(name),
        interconnect.topology,
    )


def _figure(value: object) -> float | None:
    value = known(value)
    return float(value) if isinstance(value, (int, float)) else None


def build_graph(system: System) -> networkx.Graph:
    """Devices, servers and switches joined tier by tier; size linear in the devices.

    Nodes: "d12" (kind device), "s1" (server), "s1/up" (its scale-up switch, a star whatever
    the interconnect's topology, which is kept as an attribute), "n0/fabric" (a supernode's
    fabric), and for several domains "rail3" switches or "leaf0" + "spine". Every link edge
    carries tier, link, bandwidth, latency and a routing weight.
    """
    import networkx as nx

    graph = nx.Graph(cluster=system.cluster.name)
    for s in range(system.servers):
        _add_server(graph, system, s)
    if system.supernode is not None:
        _add_fabrics(graph, system)
    if system.domains > 1:
        _add_scale_out(graph, system)
    return graph


def _edge(tier: Tier) -> dict[str, Any]:
    return {
        "kind": "link",
        "tier": tier.name,
        "link": tier.link,
        "bandwidth": tier.bandwidth,
        "latency": tier.latency,
        "weight": _HOP_COST[tier.rank],
    }


def _switch(tier: Tier) -> dict[str, Any]:
    return {"kind": "switch", "tier": tier.name, "link": tier.link, "topology": tier.topology}


def _add_server(graph: networkx.Graph, system: System, s: int) -> None:
    up = system.tiers[0]
    switch = f"s{s}/up"
    graph.add_node(f"s{s}", kind="server", domain=s // system.domain_servers)
    graph.add_node(switch, **_switch(up))
    # A server hangs off its own switch as a leaf, so no route between devices passes it.
    graph.add_edge(
        f"s{s}", switch, kind="member", tier=up.name, link=None, bandwidth=None, latency=None
    )
    first = s * system.devices_per_server
    link = _edge(up)
    for d in range(first, first + system.devices_per_server):
        graph.add_node(
            f"d{d}",
            kind="device",
            server=s,
            local=d - first,
            domain=s // system.domain_servers,
            package=system.package_of(d),
        )
        graph.add_edge(f"d{d}", switch, **link)


def _add_fabrics(graph: networkx.Graph, system: System) -> None:
    fabric = system.tier("supernode")
    assert fabric is not None
    link = _edge(fabric)
    for n in range(system.domains):
        graph.add_node(f"n{n}/fabric", **_switch(fabric))
        for s in range(n * system.domain_servers, (n + 1) * system.domain_servers):
            graph.add_edge(f"s{s}/up", f"n{n}/fabric", **link)


def _add_scale_out(graph: networkx.Graph, system: System) -> None:
    out = system.tier("scale_out")
    assert out is not None
    link = _edge(out)
    if out.topology == "rail":
        # Rail-optimised: local device i of every server shares rail switch i.
        for i in range(system.devices_per_server):
            graph.add_node(f"rail{i}", **_switch(out))
        for d in range(system.devices):
            graph.add_edge(f"d{d}", f"rail{system.local_index(d)}", **link)
        return
    graph.add_node("spine", **_switch(out))
    for n in range(system.domains):
        graph.add_node(f"leaf{n}", **_switch(out))
        graph.add_edge(f"leaf{n}", "spine", **link)
        for s in range(n * system.domain_servers, (n + 1) * system.domain_servers):
            graph.add_edge(f"s{s}/up", f"leaf{n}", **link)


def slowest_on_path(graph: networkx.Graph, a: int, b: int) -> str:
    """The tier of the slowest edge on a cheapest route between devices a and b."""
    import networkx as nx

    path = nx.shortest_path(graph, f"d{a}", f"d{b}", weight="weight")
    ranks = [TIERS.index(graph.edges[u, v]["tier"]) for u, v in pairwise(path)]
    return TIERS[max(ranks, default=0)]


class Route(NamedTuple):
    """The cheapest route between two devices: its nodes and the tier of each hop."""

    source: int
    target: int
    nodes: tuple[str, ...]
    hops: tuple[Tier, ...]

    @property
    def slowest(self) -> Tier:
        return max(self.hops, key=lambda tier: tier.rank)


def routes(system: System, devices: Sequence[int]) -> list[Route]:
    """The routes from the first of `devices` to each other one, on the device graph; the
    slowest hop over all of them is the tier the group's traffic crosses."""
    import networkx as nx

    graph = build_graph(system)
    by_name = {t.name: t for t in system.tiers}
    found = []
    for other in devices[1:]:
        path = nx.shortest_path(graph, f"d{devices[0]}", f"d{other}", weight="weight")
        hops = tuple(by_name[graph.edges[u, v]["tier"]] for u, v in pairwise(path))
        found.append(Route(devices[0], other, tuple(path), hops or (system.tiers[0],)))
    return found

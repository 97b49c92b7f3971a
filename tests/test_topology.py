"""Topology: device counts and tiers of the real systems, the graph agrees with the arithmetic,
and the drawings of thousand-server supernodes stay small and safely quoted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ccc.api import check
from ccc.front.resolve import Options
from ccc.hardware.graph import GraphView, graph_view, to_dot, to_json, to_mermaid
from ccc.hardware.topology import System, build_graph, routes, slowest_on_path, system_of
from ccc.ir import Accelerator, Cluster, Contract, Interconnect, Server, Supernode
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, budget


def example_system(name: str) -> System:
    contract = check([ROOT / "examples" / name], Options(cwd=ROOT)).contract
    [cluster] = contract.clusters
    system = system_of(contract, cluster)
    assert system is not None
    return system


def contract_system(tmp_path: Path, text: str) -> System:
    path = tmp_path / "c.cc"
    path.write_text(text, encoding="utf-8")
    result = check([path], Options(cwd=tmp_path))
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    system = system_of(result.contract, "c")
    assert system is not None
    return system


def h200_nodes(tmp_path: Path, nodes: int, extra: str = "", scale_out: str = "") -> System:
    out = f"scale_out = {scale_out}" if scale_out else ""
    return contract_system(
        tmp_path,
        f'import "std/nvidia"\n{extra}\ncluster c {{ server = hgx_h200  nodes = {nodes}  {out} }}\n',
    )


RAIL = "interconnect rail_ib { scope = scale_out  bandwidth = 400 Gb/s  topology = rail }"


# Real systems: counts and tiers


def test_cloudmatrix384_is_768_dies_in_one_scale_up_domain() -> None:
    system = example_system("cloudmatrix384_deepseek_r1_pd.cc")
    assert (system.devices, system.servers, system.devices_per_server) == (768, 48, 16)
    assert (system.domains, system.domain_size, system.domain_servers) == (1, 768, 48)
    assert [t.name for t in system.tiers] == ["scale_up", "supernode"]
    assert system.tier("supernode").link == "ub_cm384"  # type: ignore[union-attr]
    assert system.tier("scale_out") is None


def test_cloudmatrix384_dies_pair_into_packages() -> None:
    system = example_system("cloudmatrix384_deepseek_r1_pd.cc")
    assert system.package_of(0) == system.package_of(1) == 0
    assert system.package_of(2) == 1
    assert system.package_of(16) == 8  # the first package of the second server


def test_hgx_h200_box_is_8_devices_on_nvlink() -> None:
    system = example_system("h200_qwen3_32b.cc")
    assert (system.devices, system.servers, system.domains) == (8, 1, 1)
    [up] = system.tiers
    assert (up.name, up.link, up.bandwidth, up.rank) == ("scale_up", "nvlink4", 450e9, 0)
    assert up.latency == pytest.approx(0.79e-6)  # a ring hop, from measured nccl-tests


def test_atlas_950_superpod_is_8192_chips_in_one_domain() -> None:
    system = example_system("atlas_950_superpod_deepseek_v4_pro.cc")
    assert (system.devices, system.servers, system.devices_per_server) == (8192, 1024, 8)
    assert (system.domains, system.domain_size) == (1, 8192)
    assert system.tier("supernode").latency == pytest.approx(2.1e-6)  # type: ignore[union-attr]


def test_sugon_scalex40_is_one_40_device_server() -> None:
    system = example_system("sugon_scalex40_deepseek_v3.cc")
    assert (system.devices, system.servers, system.domain_size) == (40, 1, 40)
    assert system.tiers[0].latency == pytest.approx(100e-9)
    assert system.tiers[0].bandwidth is None  # `unknown` in the catalog


# Device arithmetic


def test_tiers_inside_and_across_cloudmatrix_servers() -> None:
    system = example_system("cloudmatrix384_deepseek_r1_pd.cc")
    assert system.tier_between(0, 0).name == "scale_up"
    assert system.tier_between(0, 15).name == "scale_up"
    assert system.tier_between(15, 16).name == "supernode"
    assert system.tier_of_group(range(16)).name == "scale_up"
    assert system.tier_of_group(range(32)).name == "supernode"
    assert system.tier_of_group(range(768)).name == "supernode"
    assert system.tier_of_group([767]).name == "scale_up"


def test_separate_servers_talk_over_the_scale_out_link(tmp_path: Path) -> None:
    system = h200_nodes(tmp_path, 4)
    assert [t.name for t in system.tiers] == ["scale_up", "scale_out"]
    out = system.tier("scale_out")
    assert out is not None and (out.link, out.bandwidth, out.rank) == ("ib_ndr_400g", 50e9, 2)
    assert system.tier_between(7, 8).name == "scale_out"
    assert system.tier_of_group([0, 3, 7]).name == "scale_up"
    assert system.tier_of_group([0, 31]).name == "scale_out"
    assert (system.server_of(13), system.local_index(13), system.domain_of(13)) == (1, 5, 1)


def test_cluster_scale_out_overrides_the_servers(tmp_path: Path) -> None:
    system = h200_nodes(tmp_path, 2, extra=RAIL, scale_out="rail_ib")
    out = system.tier("scale_out")
    assert out is not None and (out.link, out.topology) == ("rail_ib", "rail")


def test_several_supernodes_use_the_supernodes_scale_out(tmp_path: Path) -> None:
    system = contract_system(
        tmp_path, 'import "std/nvidia"\ncluster c { supernode = gb200_nvl72  supernodes = 2 }\n'
    )
    assert (system.devices, system.domains, system.domain_size) == (144, 2, 72)
    assert [t.name for t in system.tiers] == ["scale_up", "supernode", "scale_out"]
    assert system.tier_between(0, 4).name == "supernode"
    assert system.tier_between(71, 72).name == "scale_out"


def test_32768_device_cluster_answers_without_a_graph(tmp_path: Path) -> None:
    system = h200_nodes(tmp_path, 4096)
    assert system.devices == 32768
    assert system.tier_of_group(range(8, 16)).name == "scale_up"
    assert system.tier_of_group(range(system.devices)).name == "scale_out"
    assert system.tier_between(0, 32767).name == "scale_out"


def test_devices_outside_the_cluster_are_refused() -> None:
    system = example_system("h200_qwen3_32b.cc")
    with pytest.raises(IndexError):
        system.server_of(8)
    with pytest.raises(IndexError):
        system.tier_between(-1, 0)
    with pytest.raises(ValueError):
        system.tier_of_group([])


# Resolving a broken chain


def in_memory(
    *,
    devices: int = 8,
    dies: int = 1,
    nodes: int = 1,
    supernode: tuple[int, int] | None = None,
    scale_out_topology: str | None = None,
    server_name: str = "box",
    cluster_name: str = "c",
) -> Contract:
    """A contract built without the parser; supernode = (servers each, supernodes)."""
    links = {
        "up": Interconnect(name="up", scope="scale_up", bandwidth=400e9, topology="switched"),
        "fab": Interconnect(name="fab", scope="scale_up", bandwidth=200e9),
        "out": Interconnect(
            name="out", scope="scale_out", bandwidth=50e9, topology=scale_out_topology
        ),
    }
    server = Server(
        name=server_name, accelerator="chip", devices=devices, scale_up="up", scale_out="out"
    )
    supernodes = {}
    if supernode is None:
        cluster = Cluster(name=cluster_name, server=server_name, nodes=nodes)
    else:
        each, count = supernode
        supernodes["pod"] = Supernode(name="pod", server=server_name, servers=each, fabric="fab")
        cluster = Cluster(name=cluster_name, supernode="pod", supernodes=count, scale_out="out")
    return Contract(
        accelerators={"chip": Accelerator(name="chip", dies=dies)},
        interconnects=links,
        servers={server_name: server},
        supernodes=supernodes,
        clusters={cluster_name: cluster},
    )


def test_a_broken_chain_resolves_to_none() -> None:
    contract = in_memory()
    assert system_of(contract, "nope") is None
    no_server = contract.model_copy(update={"servers": {}})
    assert system_of(no_server, "c") is None
    no_chip = contract.model_copy(update={"accelerators": {}})
    assert system_of(no_chip, "c") is None
    pod = in_memory(supernode=(2, 1))
    assert system_of(pod.model_copy(update={"supernodes": {}}), "c") is None


# The graph


def test_graph_size_doubles_with_the_servers(tmp_path: Path) -> None:
    two, four = (build_graph(h200_nodes(tmp_path, n)) for n in (2, 4))
    assert four.number_of_edges() == 2 * two.number_of_edges()


def test_graph_has_no_device_to_device_edges() -> None:
    system = example_system("cloudmatrix384_deepseek_r1_pd.cc")
    graph = build_graph(system)
    kinds = {tuple(sorted(graph.nodes[n]["kind"] for n in edge)) for edge in graph.edges}
    assert ("device", "device") not in kinds
    assert graph.number_of_edges() <= 3 * system.devices + system.servers


def test_graph_device_attributes_follow_the_arithmetic() -> None:
    system = example_system("cloudmatrix384_deepseek_r1_pd.cc")
    graph = system.graph()
    for d in (0, 1, 17, 767):
        node = graph.nodes[f"d{d}"]
        assert node["kind"] == "device"
        assert node["server"] == system.server_of(d)
        assert node["local"] == system.local_index(d)
        assert node["domain"] == system.domain_of(d)
        assert node["package"] == system.package_of(d)
    assert graph.nodes["n0/fabric"]["topology"] == "switched"


def test_rail_scale_out_joins_each_device_to_its_rail(tmp_path: Path) -> None:
    system = h200_nodes(tmp_path, 3, extra=RAIL, scale_out="rail_ib")
    graph = build_graph(system)
    assert graph.has_edge("d13", "rail5")
    assert graph.edges["d13", "rail5"]["tier"] == "scale_out"
    assert slowest_on_path(graph, 5, 13) == "scale_out"


def test_32768_device_graph_is_linear(tmp_path: Path) -> None:
    system = h200_nodes(tmp_path, 4096)
    graph = build_graph(system)
    assert graph.number_of_edges() <= 3 * system.devices + system.servers
    assert graph.number_of_nodes() <= 2 * system.devices


def test_importing_topology_does_not_load_networkx() -> None:
    script = (
        "import ccc.hardware.topology, ccc.hardware.graph, sys; print('networkx' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@st.composite
def small_systems(draw: st.DrawFn) -> System:
    devices = draw(st.sampled_from([1, 2, 4, 8, 16]))
    dies = draw(st.sampled_from([1, 2]))
    scale_out = draw(st.sampled_from(["rail", "leaf_spine", None]))
    if draw(st.booleans()):
        pod = (draw(st.integers(1, 3)), draw(st.integers(1, 2)))
        contract = in_memory(
            devices=devices, dies=dies, supernode=pod, scale_out_topology=scale_out
        )
    else:
        nodes = draw(st.integers(1, 6))
        contract = in_memory(devices=devices, dies=dies, nodes=nodes, scale_out_topology=scale_out)
    system = system_of(contract, "c")
    assert system is not None
    return system


@settings(max_examples=budget(60), deadline=None)
@given(small_systems(), st.data())
def test_tier_between_is_the_slowest_link_on_the_graph(system: System, data: st.DataObject) -> None:
    graph = build_graph(system)
    device = st.integers(0, system.devices - 1)
    for a, b in data.draw(st.lists(st.tuples(device, device), min_size=1, max_size=8)):
        assert system.tier_between(a, b).name == slowest_on_path(graph, a, b)


@settings(max_examples=budget(40), deadline=None)
@given(small_systems(), st.data())
def test_tier_of_group_is_the_slowest_pair(system: System, data: st.DataObject) -> None:
    graph = build_graph(system)
    group = data.draw(st.lists(st.integers(0, system.devices - 1), min_size=1, max_size=6))
    slowest = max(system.tier_between(group[0], d).rank for d in group)
    assert system.tier_of_group(group).rank == slowest
    ranks = {"scale_up": 0, "supernode": 1, "scale_out": 2}
    assert slowest == max(ranks[slowest_on_path(graph, group[0], d)] for d in group)


@settings(max_examples=budget(40), deadline=None)
@given(small_systems(), st.data())
def test_routes_cross_the_tier_the_group_spans(system: System, data: st.DataObject) -> None:
    assume(system.devices >= 2)
    devices = st.integers(0, system.devices - 1)
    group = data.draw(st.lists(devices, min_size=2, max_size=6, unique=True))
    found = routes(system, group)
    assert [(r.source, r.target) for r in found] == [(group[0], d) for d in group[1:]]
    for route in found:
        assert route.nodes[0] == f"d{route.source}" and route.nodes[-1] == f"d{route.target}"
        assert len(route.hops) == len(route.nodes) - 1
        assert route.slowest == system.tier_between(route.source, route.target)
    assert max((r.slowest for r in found), key=lambda t: t.rank) == system.tier_of_group(group)


# Drawing


@pytest.mark.parametrize(
    ("example", "collapsed"),
    [
        ("cloudmatrix384_deepseek_r1_pd.cc", "× 47 more servers like s0"),
        ("atlas_950_superpod_deepseek_v4_pro.cc", "× 1023 more servers like s0"),
    ],
)
def test_supernode_drawings_stay_small(example: str, collapsed: str) -> None:
    system = example_system(example)
    for text in (to_dot(system), to_mermaid(system)):
        assert len(text.splitlines()) < 60
        assert collapsed in text
    view = to_json(system)
    assert collapsed in [n["label"] for n in view["nodes"]]
    assert view["counts"]["devices"] == system.devices
    assert len(view["nodes"]) < 30


def test_json_view_round_trips_and_is_deterministic() -> None:
    system = example_system("atlas_950_superpod_deepseek_v4_pro.cc")
    view = to_json(system)
    assert GraphView.model_validate(view) == graph_view(system)
    assert to_json(system) == view
    assert [t["name"] for t in view["tiers"]] == ["scale_up", "supernode"]


def test_a_big_server_is_drawn_as_a_device_count() -> None:
    system = example_system("sugon_scalex40_deepseek_v3.cc")
    assert '"40 devices"' in to_dot(system)
    assert "d0" not in [n["id"] for n in to_json(system)["nodes"]]


def test_scale_out_edges_name_link_and_bandwidth(tmp_path: Path) -> None:
    text = to_dot(h200_nodes(tmp_path, 4))
    assert "scale_out · ib_ndr_400g · 50 GB/s" in text
    assert "scale_up · nvlink4 · 450 GB/s" in text
    assert "× 3 more servers like s0" in text


def test_several_supernodes_collapse_to_one_node(tmp_path: Path) -> None:
    system = contract_system(
        tmp_path, 'import "std/nvidia"\ncluster c { supernode = gb200_nvl72  supernodes = 3 }\n'
    )
    text = to_mermaid(system)
    assert "× 17 more servers like s0" in text
    assert "× 2 more supernodes like n0" in text


DOT_STRING = r'"(?:[^"\\]|\\.)*"'
DOT_LINE = re.compile(
    rf"^\s*(?:graph {DOT_STRING} \{{|label={DOT_STRING};|node \[shape=box\];|\}}"
    rf"|subgraph {DOT_STRING} \{{|{DOT_STRING}(?: -- {DOT_STRING})? \[label={DOT_STRING}\];)$"
)
MERMAID_LABEL = r'"[^"<>]*"'
MERMAID_LINE = re.compile(
    rf"^\s*(?:flowchart TB|%%.*|end|subgraph \w+ \[{MERMAID_LABEL}\]"
    rf"|\w+\[{MERMAID_LABEL}\]|\w+ ---\|{MERMAID_LABEL}\| \w+)$",
    re.ASCII,
)


def test_hostile_names_are_quoted() -> None:
    contract = in_memory(nodes=2, server_name='evil" -- "x\\y <b>\nend', cluster_name='c"\\')
    system = system_of(contract, 'c"\\')
    assert system is not None
    dot, mermaid = to_dot(system), to_mermaid(system)
    assert all(DOT_LINE.match(line) for line in dot.splitlines()), dot
    assert 's0: evil\\" -- \\"x\\\\y <b>\\nend' in dot
    assert all(MERMAID_LINE.match(line) for line in mermaid.splitlines()), mermaid
    assert "evil#quot; -- #quot;x\\y #lt;b#gt; end" in mermaid

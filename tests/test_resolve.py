"""Resolution: imports, the catalog search order, `extends`, references."""

from __future__ import annotations

from pathlib import Path

from ccc.api import check
from ccc.front.resolve import Options


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_extends_overrides_figures_and_merges_nested_blocks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.cc",
        """
accelerator base { memory = 64 GB  compute { bf16 = 300 TFLOPS  int8 = 600 TOPS } }
accelerator ours extends base { memory = 96 GiB  compute { bf16 = 320 TFLOPS } }
""",
    )
    result = check([path], Options(cwd=tmp_path))
    assert result.diagnostics == []
    ours = result.contract.accelerators["ours"]
    assert ours.memory == 96 * 2**30
    assert ours.compute == {"bf16": 320e12, "int8": 600e12}
    assert ours.span_of("memory").line == 3
    assert ours.span_of("compute.int8").line == 2  # inherited: points at the base's text


def test_site_catalog_is_searched_before_std(tmp_path: Path) -> None:
    write(tmp_path / "site", "kunlunxin.cc", "accelerator site_card { memory = 96 GiB }\n")
    path = write(tmp_path / "proj", "a.cc", 'import "std/kunlunxin"\n')
    result = check([path], Options(cwd=tmp_path, catalogs=(tmp_path / "site",)))
    assert result.diagnostics == []
    assert list(result.contract.accelerators) == ["site_card"]


def test_relative_imports_and_diamonds_load_each_file_once(tmp_path: Path) -> None:
    write(tmp_path, "lib/a.cc", 'import "c"\naccelerator a { memory = 1 GB }\n')
    write(tmp_path, "lib/b.cc", 'import "c"\naccelerator b { memory = 1 GB }\n')
    write(tmp_path, "lib/c.cc", "accelerator c { memory = 1 GB }\n")
    path = write(tmp_path, "main.cc", 'import "lib/a"\nimport "lib/b"\n')
    result = check([path], Options(cwd=tmp_path))
    assert result.diagnostics == []
    assert sorted(result.contract.accelerators) == ["a", "b", "c"]


def test_units_are_lowered_to_si(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.cc",
        """
accelerator a { memory = 64 GiB  memory_bw = 1.6 TB/s  power = 0.4 kW  compute { int8 = 1 POPS } }
interconnect n { scope = scale_out  bandwidth = 400 Gb/s  latency = 2 us }
model m { layers = 2  hidden_size = 8  heads = 2  params = 671 B }
""",
    )
    contract = check([path], Options(cwd=tmp_path)).contract
    a = contract.accelerators["a"]
    assert (a.memory, a.memory_bw, a.power, a.compute["int8"]) == (2**36, 1.6e12, 400.0, 1e15)
    n = contract.interconnects["n"]
    assert (n.bandwidth, n.latency) == (50e9, 2e-6)
    assert contract.models["m"].params == 671e9


def test_reference_of_the_wrong_kind_suggests_the_right_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.cc",
        """
accelerator card_a { memory = 1 GB }
interconnect card_b { scope = scale_up }
server s { accelerator = card_b  devices = 8 }
""",
    )
    [diagnostic] = check([path], Options(cwd=tmp_path)).diagnostics
    assert diagnostic.code == "CC1002" and "card_a" in (diagnostic.help or "")


def test_a_contract_carries_the_catalog_blocks_it_uses_and_no_others(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.cc",
        'import "std/kunlunxin"\n'
        "server mine extends p800x8 { }\n"
        "accelerator own { memroy = 96 GB }\n",
    )
    result = check([path], Options(cwd=tmp_path))
    contract = result.contract
    assert set(contract.servers) == {"mine", "p800x8"}
    assert set(contract.interconnects) == {"xpu_link"}  # named by p800x8
    assert contract.supernodes == {}  # p800_supernode64 is imported but not used
    # the user's own blocks are always checked, used or not
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("CC1006", 3, 19)]


def _diagnostics_of(tmp_path: Path, text: str):
    path = tmp_path / "c.cc"
    path.write_text(text, encoding="utf-8")
    return check([path], Options(cwd=tmp_path)).diagnostics


def test_a_name_the_standard_catalog_defines_gets_its_import(tmp_path: Path) -> None:
    missing = (
        'import "std/nvidia"\nimport "std/models/qwen"\n'
        "cluster c { server = hgx_h200  nodes = 1 }\n"
        "deployment d { model = qwen3_32b  cluster = c  toolkit = sglang }\n"
    )
    (found,) = _diagnostics_of(tmp_path, missing)
    assert found.code == "CC1001"
    assert found.help == 'the standard catalog defines it: add `import "std/toolkits/sglang"`'
    fixed = 'import "std/toolkits/sglang"\n' + missing
    assert [d.code for d in _diagnostics_of(tmp_path, fixed)] == []


def test_a_supernode_written_as_a_server_gets_the_keys_that_name_it(tmp_path: Path) -> None:
    (found,) = _diagnostics_of(
        tmp_path, 'import "std/ascend"\ncluster c { server = cloudmatrix384  nodes = 1 }\n'
    )
    assert found.code == "CC1002"
    assert found.help is not None and "write `supernode = cloudmatrix384`" in found.help
    fixed = 'import "std/ascend"\ncluster c { supernode = cloudmatrix384  supernodes = 1 }\n'
    assert _diagnostics_of(tmp_path, fixed) == []

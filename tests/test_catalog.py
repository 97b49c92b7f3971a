"""The standard catalog: every name the measurement data uses, sources on every figure,
models equal to their Hugging Face configs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ccc.api import load_catalog
from ccc.dsl.formatter import format_text
from ccc.dsl.hfconfig import from_config
from ccc.front.resolve import Options
from ccc.ir import UNKNOWN, Model

from tests.conftest import ROOT, TESTS

STD = ROOT / "dsl" / "std"
STD_FILES = sorted(STD.rglob("*.cc"))

# The names ../shared/data/README.md says calibration rows use (copied: CI has no ../shared).
NAMES = {
    "accelerators": """ascend_910b ascend_910c ascend_950pr ascend_950dt kunlunxin_p800
        cambricon_mlu590 cambricon_mlu370 hygon_dcu mthreads_s5000 metax_c500 iluvatar_bi150
        thead_ppu nvidia_h800 nvidia_h100_sxm nvidia_h200_sxm nvidia_h20 nvidia_a100_80g
        nvidia_b200 nvidia_gb200 amd_mi300x""",
    "systems": """atlas_800t_a2 atlas_800_a3 cloudmatrix384 atlas_950_superpod ascend_950pr_x8
        p800x8 p800_supernode64 panjiu128 scalex40 hgx_h800 hgx_h100 hgx_h200 hgx_h20 hgx_a100
        hgx_b200 gb200_nvl72 mi300x_x8""",
    "models": """deepseek_v3 deepseek_r1 deepseek_v4_pro deepseek_v4_flash qwen3_8b qwen3_32b
        qwen3_235b_a22b qwen3_30b_a3b llama3_1_8b llama3_1_70b llama3_1_405b
        ernie4_5_300b_a47b kimi_k2""",
    "toolkits": """vllm vllm_ascend sglang fastdeploy mindie trtllm xllm cloudmatrix_infer
        xdeepserve cann_recipes_infer deepseek_internal""",
}
HF_FILES = {
    "deepseek_v3": "deepseek_v3",
    "deepseek_r1": "deepseek_r1",
    "deepseek_v4_pro": "deepseek_v4_pro",
    "deepseek_v4_flash": "deepseek_v4_flash",
    "qwen3_8b": "qwen3_8b",
    "qwen3_32b": "qwen3_32b",
    "qwen3_30b_a3b": "qwen3_30b_a3b",
    "qwen3_235b_a22b": "qwen3_235b_a22b",
    "llama3_1_8b": "llama3_1_8b",
    "llama3_1_70b": "llama3_1_70b",
    "llama3_1_405b": "llama3_1_405b",
    "kimi_k2": "kimi_k2",
}


@pytest.fixture(scope="module")
def catalog():
    result = load_catalog(Options(cwd=ROOT))
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    return result.contract


@pytest.mark.parametrize("table", sorted(NAMES))
def test_every_name_the_data_uses_resolves(catalog, table: str) -> None:
    kinds = {
        "accelerators": ("accelerators",),
        "systems": ("servers", "supernodes"),
        "models": ("models",),
        "toolkits": ("toolkits",),
    }[table]
    defined = set().union(*(getattr(catalog, kind) for kind in kinds))
    assert set(NAMES[table].split()) - defined == set()


@pytest.mark.parametrize("name", sorted(HF_FILES))
def test_std_model_agrees_with_its_config(catalog, name: str) -> None:
    config = json.loads((TESTS / "data" / "hf" / f"{HF_FILES[name]}.json").read_text())
    expected, _ = from_config(config)
    model: Model = catalog.models[name]
    for key, value in expected.items():
        assert getattr(model, key) == value, f"{name}.{key}"


def test_accelerators_say_how_devices_are_found(catalog) -> None:
    for name in NAMES["accelerators"].split():
        accelerator = catalog.accelerators[name]
        assert accelerator.dies >= 1
        if accelerator.vendor in ("NVIDIA", "AMD", "Kunlunxin", "Huawei"):
            assert accelerator.device_env, name


def test_910c_is_two_devices_per_package(catalog) -> None:
    assert catalog.accelerators["ascend_910c"].dies == 2
    assert catalog.servers["atlas_800_a3"].devices == 16
    cm = catalog.supernodes["cloudmatrix384"]
    assert cm.servers * catalog.servers[cm.server].devices == 768


def test_p800_groups_are_the_two_halves(catalog) -> None:
    assert catalog.servers["p800x8"].allocation_groups == [[0, 1, 2, 3], [4, 5, 6, 7]]


FIGURE = re.compile(r"^\s*\w+\s*=\s*[-\d.]+\s*[A-Za-z%/]+")


@pytest.mark.parametrize("path", STD_FILES, ids=lambda p: p.relative_to(STD).as_posix())
def test_every_figure_with_a_unit_carries_a_source(path: Path) -> None:
    """No source, no figure: a figure has a comment on its line or in the lines above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if FIGURE.match(line) and "#" not in line:
            above = lines[max(0, number - 6) : number]
            assert any(prior.strip().startswith("#") for prior in above), (
                f"{path.name}:{number + 1}"
            )


@pytest.mark.parametrize("path", STD_FILES, ids=lambda p: p.relative_to(STD).as_posix())
def test_catalog_file_is_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, path.name)[0] == text


def test_unknown_is_never_a_number(catalog) -> None:
    for accelerator in catalog.accelerators.values():
        for value in [accelerator.memory, accelerator.memory_bw, *accelerator.compute.values()]:
            assert value is None or value == UNKNOWN or value > 0

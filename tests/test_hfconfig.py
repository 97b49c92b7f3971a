"""Hugging Face config.json import, on real configs (tests/data/hf, sources in SOURCE.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ccc.api import check
from ccc.dsl.hfconfig import cache_dir, from_config, locate_in_cache
from ccc.front.resolve import Options

from tests.conftest import TESTS

HF = TESTS / "data" / "hf"


def read(name: str) -> dict:
    return json.loads((HF / f"{name}.json").read_text(encoding="utf-8"))


def test_deepseek_v3_reads_mla_and_moe_figures() -> None:
    values, missing = from_config(read("deepseek_v3"))
    assert missing is None
    assert values["attention"] == "mla"
    assert (values["kv_lora_rank"], values["q_lora_rank"]) == (512, 1536)
    assert (values["qk_rope_head_dim"], values["qk_nope_head_dim"], values["v_head_dim"]) == (
        64,
        128,
        128,
    )
    assert values["head_dim"] == 192
    assert (values["experts"], values["experts_per_token"], values["shared_experts"]) == (256, 8, 1)
    assert values["first_dense_layers"] == 3
    assert values["mtp_layers"] == 1
    assert values["dtype"] == "fp8"  # quantization_config wins over torch_dtype


def test_qwen3_32b_is_dense_gqa_in_bf16() -> None:
    values, _ = from_config(read("qwen3_32b"))
    assert values["attention"] == "gqa"
    assert (values["heads"], values["kv_heads"], values["head_dim"]) == (64, 8, 128)
    assert values.get("experts", 0) == 0
    assert values["dtype"] == "bf16"
    assert "sliding_window" not in values  # the config turns it off


def test_qwen3_235b_moe_without_shared_experts() -> None:
    values, _ = from_config(read("qwen3_235b_a22b"))
    assert (values["experts"], values["experts_per_token"]) == (128, 8)
    assert values.get("shared_experts", 0) == 0
    assert values["moe_intermediate_size"] == 1536


def test_llama_head_dim_is_derived_when_absent() -> None:
    values, _ = from_config(read("llama3_1_70b"))
    assert values["head_dim"] == 8192 // 64
    assert values["context"] == 131072


def test_deepseek_v4_compressed_attention_and_fp4_experts() -> None:
    values, _ = from_config(read("deepseek_v4_flash"))
    assert values["attention"] == "compressed"
    assert len(values["compress_ratios"]) == 44
    assert values["expert_dtype"] == "fp4"
    assert values["sliding_window"] == 128
    assert (values["kv_heads"], values["head_dim"]) == (1, 512)


def test_a_config_without_layers_names_the_missing_key() -> None:
    _, missing = from_config({"hidden_size": 64, "num_attention_heads": 4})
    assert missing == "num_hidden_layers"


def test_model_from_config_with_overrides(tmp_path: Path) -> None:
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.json").write_text((HF / "qwen3_8b.json").read_text())
    (tmp_path / "m.cc").write_text('model q from "cfg/config.json" { context = 32768 }\n')
    result = check([tmp_path / "m.cc"], Options(cwd=tmp_path))
    assert result.diagnostics == []
    model = result.contract.models["q"]
    assert (model.layers, model.context, model.source) == (36, 32768, "cfg/config.json")
    assert model.span_of("layers").column == 14  # points at the config's path


def fake_cache(root: Path, repo: str, config: str) -> Path:
    folder = root / ("models--" + repo.replace("/", "--"))
    (folder / "refs").mkdir(parents=True)
    (folder / "refs" / "main").write_text("abc123\n")
    snapshot = folder / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text((HF / f"{config}.json").read_text())
    return root


def test_hf_reference_reads_the_local_cache(tmp_path: Path) -> None:
    cache = fake_cache(tmp_path / "hub", "meta-llama/Llama-3.1-70B", "llama3_1_70b")
    (tmp_path / "m.cc").write_text('model llama from "hf:meta-llama/Llama-3.1-70B"\n')
    result = check([tmp_path / "m.cc"], Options(cwd=tmp_path, hf_cache=cache))
    assert result.diagnostics == []
    assert result.contract.models["llama"].hf_repo == "meta-llama/Llama-3.1-70B"
    assert result.contract.models["llama"].layers == 80


def test_hf_reference_missing_from_cache_is_located(tmp_path: Path) -> None:
    (tmp_path / "m.cc").write_text('model x from "hf:org/absent"\n')
    result = check([tmp_path / "m.cc"], Options(cwd=tmp_path, hf_cache=tmp_path / "hub"))
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("CC1009", 1, 14)]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"HF_HUB_CACHE": "/a"}, "/a"),
        ({"HF_HOME": "/h"}, "/h/hub"),
        ({"XDG_CACHE_HOME": "/x"}, "/x/huggingface/hub"),
        ({}, "/home/u/.cache/huggingface/hub"),
    ],
)
def test_cache_location_follows_the_documented_variables(environ, expected) -> None:
    assert cache_dir(environ, Path("/home/u")).as_posix() == expected


def test_a_revision_can_be_named(tmp_path: Path) -> None:
    cache = fake_cache(tmp_path, "o/n", "qwen3_8b")
    found, _ = locate_in_cache("o/n@abc123", cache)
    assert found is not None and found.name == "config.json"
    assert locate_in_cache("o/n@zzz", cache)[0] is None


def test_the_quantization_block_or_group_is_imported() -> None:
    values, _ = from_config(read("deepseek_v3"))
    assert values["quant_block"] == 128  # weight_block_size [128, 128]
    awq = dict(read("qwen3_8b"), quantization_config={"quant_method": "awq", "group_size": 64})
    assert from_config(awq)[0]["quant_block"] == 64
    assert "quant_block" not in from_config(read("qwen3_8b"))[0]

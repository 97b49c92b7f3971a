"""The performance model: each formula pinned on a hand-computed case, and calibration."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from ccc.calibration.fit import CalibrationReport, prepare, report
from ccc.calibration.measurements import load_rows
from ccc.cli import main
from ccc.hardware.memory import Degrees, breakdown, kv_bytes_per_token
from ccc.performance.model import (
    Factors,
    distinct_experts,
    predict,
    tokens_per_step,
    tpot_of,
    work,
)
from ccc.performance.scenarios import Traffic, instance_system, scenario, workload_deployment
from ccc.precision import compute_dtype

from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "calibration.json"  # a copy of shared/data/calibration.json
PEAK = Factors(compute=1.0, bandwidth=1.0, network=1.0)


def test_expected_distinct_experts() -> None:
    # 4 experts, 1 chosen per token, 2 tokens: 4 * (1 - (3/4)^2) = 1.75
    assert distinct_experts(4, 1, 2) == pytest.approx(1.75)
    assert distinct_experts(256, 8, 1) == pytest.approx(8.0)  # one token hits its 8
    assert distinct_experts(256, 8, 10_000) == pytest.approx(256.0)  # a big batch hits all
    assert distinct_experts(256, 8, 0) == 0.0


def test_mtp_tokens_per_step() -> None:
    assert tokens_per_step(1, 0.7) == pytest.approx(1.7)  # CloudMatrix-Infer's MTP
    assert tokens_per_step(2, 0.5) == pytest.approx(2.0)  # 1 + 2 drafts x half accepted
    assert tokens_per_step(0, 0.9) == 1.0


def test_tpot_is_end_to_end_minus_ttft_over_the_other_tokens() -> None:
    # 10 tokens in 10 s with the first at 1 s: the other 9 took 9 s
    assert tpot_of(10.0, 1.0, 10) == pytest.approx(1.0)
    assert tpot_of(3.0, 1.0, 1) == pytest.approx(2.0)  # one token: no division by zero


def test_mla_kv_bytes_per_token_are_the_latent_on_every_tp_rank(catalog) -> None:
    v3 = catalog.models["deepseek_v3"]
    # 61 layers x (512 latent + 64 rotary) x 2 bytes, whatever the TP degree
    for tp in (1, 8):
        assert kv_bytes_per_token(v3, "bf16", Degrees(tp=tp), 4096) == 61 * 576 * 2
    assert kv_bytes_per_token(v3, "int8", Degrees(tp=1), 4096) == 61 * 576


def test_deepseek_v3_int8_routed_experts_over_ep32(catalog) -> None:
    v3 = catalog.models["deepseek_v3"]
    deployment = workload_deployment("d", "deepseek_v3", "int8", "int8")
    memory = breakdown(v3, deployment, None, 64e9, Degrees(tp=1, dp=32, ep=32), 4096)
    [routed] = [t for t in memory.weights if t.name == "routed experts"]
    # 58 MoE layers x 256/32 = 8 experts per rank x 3 x 7168 x 2048 parameters x 1 byte
    assert routed.bytes == pytest.approx(58 * 8 * 3 * 7168 * 2048)


def test_weights_run_at_their_own_rate_or_the_next_the_chip_has() -> None:
    hopper = {"bf16": 989e12, "fp8": 1978e12, "int8": 1978e12}
    assert compute_dtype("fp8", hopper) == "fp8"
    assert compute_dtype("int4", hopper) == "bf16"  # weight-only int4 computes in 16 bits
    assert compute_dtype("nvfp4", {"fp4": 9e15, "fp8": 4.5e15}) == "fp4"
    assert compute_dtype("mxfp4", {"bf16": "unknown", "mxfp4": 2e15}) == "mxfp4"


def _qwen_on_h100(catalog, **traffic) -> tuple:
    system = instance_system(catalog, "hgx_h100", 1)
    model = catalog.models["qwen3_8b"]
    deployment = workload_deployment("d", "qwen3_8b", "bf16", "bf16")
    s = scenario(system, model, None, deployment, Degrees(), Traffic(**traffic))
    return s, work(s)


def test_a_lone_decode_step_reads_the_weights_and_the_kv_once(catalog) -> None:
    s, w = _qwen_on_h100(catalog, phase="decode", input_tokens=1000, concurrency=1)
    kv = (1000 + 0) * s.memory.kv_bytes_per_token
    expected = (s.memory.weight_bytes + kv) / 3.35e12  # H100 SXM: 3.35 TB/s
    assert w.batch == 1
    d = w.decode
    assert d.memory + d.kv + d.expert_memory == pytest.approx(expected)
    assert d.kv == pytest.approx(kv / 3.35e12)  # the cache, read by attention
    # batch 1 is memory-bound in each class: matmuls by their weights, attention by its KV
    assert d.compute < d.memory and d.attention < d.kv
    p = predict(s, w, PEAK)
    assert p.tpot == pytest.approx(expected)
    assert p.output_per_device == pytest.approx(1 / expected)


def test_halving_the_bandwidth_fraction_doubles_a_memory_bound_step(catalog) -> None:
    s, w = _qwen_on_h100(catalog, phase="decode", input_tokens=1000, concurrency=1)
    fast = predict(s, w, PEAK).tpot
    slow = predict(s, w, PEAK._replace(bandwidth=0.5)).tpot
    assert slow == pytest.approx(2 * fast)


def test_prefill_is_compute_bound_at_two_flops_per_parameter(catalog) -> None:
    s, w = _qwen_on_h100(catalog, phase="prefill", input_tokens=2048)
    p = predict(s, w, PEAK)
    # 8B-class: about 2 x 6.95e9 matmul FLOPs per token plus attention, at 989 TFLOP/s
    per_token = 989e12 / p.input_per_device
    assert 2 * 6.0e9 < per_token < 2 * 9.0e9


def test_requests_beyond_the_batch_wait_for_completions(catalog) -> None:
    s, w = _qwen_on_h100(catalog, input_tokens=1000, output_tokens=200, concurrency=8)
    base = predict(s, w, PEAK)
    crowded = s._replace(concurrency=w.batch + 1000, max_batch=w.batch)
    queued = predict(crowded, work(crowded), PEAK)
    completions = base.output_per_device / 200  # requests finished per second (one device)
    assert queued.batch == base.batch
    # in the steady state each request waits for the 1000 ahead of it to complete
    assert queued.ttft - base.ttft == pytest.approx(1000 / completions, rel=0.01)


# --- calibration --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def in_sample(catalog) -> CalibrationReport:
    return report(load_rows(DATA), catalog)


def test_every_published_row_is_predicted(in_sample) -> None:
    assert in_sample.failed_rows == 0
    assert in_sample.predicted_rows == len(json.loads(DATA.read_text()))
    for metric in in_sample.rows:
        assert metric.predicted is not None and metric.predicted > 0
        assert metric.factor_layer in in_sample.factors.layers


def test_factors_are_fractions_of_peak_fitted_on_enough_rows(in_sample) -> None:
    for key, layer in in_sample.factors.layers.items():
        assert 0 < layer.compute <= 1 and 0 < layer.bandwidth <= 1 and 0 < layer.network <= 1
        assert key == "global" or len(layer.rows) >= 3  # never a factor per row


def test_an_unknown_peak_is_inferred_and_the_prediction_says_so(in_sample) -> None:
    # the P800's fp16 rate is in the catalog (345 TFLOPS), its memory bandwidth is not
    peak = in_sample.factors.inferred["kunlunxin_p800"]
    assert peak.rows and peak.bandwidth and peak.compute is None
    kunlun = [m for m in in_sample.rows if m.id.startswith("vllm-kunlun-qwen3-8b-p800")]
    assert kunlun and all("inferred bandwidth" in m.unproven for m in kunlun)


def _calibrate_rows(tmp_path: Path, rows: list[dict]) -> tuple[int, dict, str]:
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows, indent=1))
    out, err = io.StringIO(), io.StringIO()
    status = main(["calibrate", str(path), "--format", "json"], stdout=out, stderr=err)
    return status, json.loads(out.getvalue()), err.getvalue()


def _row(rows: list[dict], row_id: str, **changes) -> dict:
    return dict(next(r for r in rows if r["id"] == row_id), id="changed", **changes)


def test_a_row_stated_as_the_engine_cannot_run_it_fails_with_placements_code(
    tmp_path: Path,
) -> None:
    rows = json.loads(DATA.read_text())
    # vLLM's experts span the whole tp x dp world: ep 2 over tp 4 is not a layout it runs
    stated = _row(rows, "gpustack-dsr1-h200x8-vllm-sharegpt", parallel={"tp": 4, "dp": 2, "ep": 2})
    status, document, err = _calibrate_rows(tmp_path, [rows[0], stated])
    [failed] = [r for r in document["rows"] if r["id"] == "changed"]
    assert status == 1 and failed["code"] == "CC3003" and failed["field"] == "parallel"
    assert "vLLM cannot run ep = 2" in failed["error"] and "ep = 8" in failed["help"]
    lines = (tmp_path / "rows.json").read_text().splitlines()
    line = [n for n, text in enumerate(lines, 1) if '"parallel"' in text][1]  # the second row's
    assert "error[CC3003]: row `changed` cannot be predicted" in err and f":{line}:" in err


def test_a_precision_the_toolkit_does_not_serve_is_its_own_code_at_the_weights(
    tmp_path: Path,
) -> None:
    rows = json.loads(DATA.read_text())
    stated = _row(rows, "gpustack-qwen3-8b-910bx1-vllm-ascend-rand2k", weights="fp8")
    status, document, err = _calibrate_rows(tmp_path, [rows[0], stated])
    [failed] = [r for r in document["rows"] if r["id"] == "changed"]
    assert status == 1 and (failed["code"], failed["field"]) == ("CC3008", "weights")
    assert "does not serve fp8 weights" in failed["error"] and "no placement" not in err


def test_large_ep_rows_carry_the_redundant_slots_the_engines_add(catalog) -> None:
    rows = {r.id: r for r in load_rows(DATA)}
    for row_id, slots in (
        ("sglang-h100-dsv3-decode-2k", 32),  # EP 72: 288 slots, 4 a rank
        ("deepseek-h800-online-decode", 32),  # EP 144: 288, 2 a rank
        ("sglang-gb200-dsv3-decode-part1", 32),  # EP 48: 288, 6 a rank
    ):
        degrees = prepare(rows[row_id], catalog).scenario.degrees
        assert degrees.extra_experts == slots, row_id
        assert (256 + degrees.extra_experts) % degrees.ep == 0


def test_a_row_the_catalog_cannot_resolve_fails_with_its_reason(tmp_path: Path, catalog) -> None:
    rows = json.loads(DATA.read_text())
    bad = dict(rows[0], id="no-such-model", model="gpt_9")
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([rows[0], bad]))
    out = io.StringIO()
    status = main(["calibrate", str(path), "--format", "json"], stdout=out, stderr=io.StringIO())
    document = json.loads(out.getvalue())
    assert status == 1 and document["failed_rows"] == 1 and document["predicted_rows"] == 1
    [failed] = [r for r in document["rows"] if r["id"] == "no-such-model"]
    assert failed["error"] == "the catalog has no model `gpt_9`"


def test_calibrate_json_has_the_documented_shape_and_schema() -> None:
    import jsonschema

    out = io.StringIO()
    assert main(["calibrate", str(DATA), "--format", "json"], stdout=out) == 0
    document = json.loads(out.getvalue())
    jsonschema.validate(document, CalibrationReport.model_json_schema())
    for key in ("median_abs_pct_error", "max_abs_pct_error", "predicted_rows", "failed_rows"):
        assert key in document
    first = document["rows"][0]
    assert {"id", "metric", "predicted", "measured", "abs_pct_error", "factor_layer"} <= set(first)


def test_rows_follow_the_data_conventions(catalog) -> None:
    rows = {r.id: r for r in load_rows(DATA)}
    decode = prepare(rows["cm384-dsr1-decode-tpot50"], catalog)
    # 160 packages of 2 dies: dp 320, tp 1; 96 requests per counted package; EP 320 over 256
    # routed experts, placed as ccc plan places it: 64 more slots, one expert per die
    assert decode.scenario.degrees == Degrees(tp=1, dp=320, pp=1, ep=320, extra_experts=64)
    assert decode.scenario.concurrency == 96 * 160
    gpustack = prepare(rows["gpustack-dsr1-h200x8-sglang-dpattn-sharegpt"], catalog)
    # SGLang's tp 8 with dp 8 attention-DP is ccc's tp 1 x dp 8
    assert gpustack.scenario.degrees[:3] == (1, 8, 1)

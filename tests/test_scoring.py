"""Scoring the performance model (`ccc calibrate`): with a given factor table and nothing
fitted, in-sample, leaving one row or one source out; the share within 2x and the groups;
a factor table file read as strictly as a measurement file (CC4006)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from ccc.calibration.fit import GroupScore, ScoredMetric, _groups, _within_2x, report
from ccc.calibration.measurements import load_rows
from ccc.calibration.sources import publisher
from ccc.cli import main
from ccc.codes import REGISTRY
from ccc.performance.factors import bundled_factors

from tests.conftest import TESTS
from tests.test_cases import bad_example
from tests.test_measurements import line_and_column

DATA = TESTS / "data" / "calibration.json"


def calibrate(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["calibrate", *args], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://docs.gpustack.ai/latest/performance-lab/qwen3-8b/h100/", "docs.gpustack.ai"),
        ("https://www.amd.com/zh-cn/developer/resources/rocm-hub/x.html", "amd.com"),
        ("https://github.com/SemiAnalysisAI/InferenceX/issues/870 (InferenceX)", "SemiAnalysisAI/InferenceX"),
        ("NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md", "NVIDIA/TensorRT-LLM"),
        ("arXiv 2506.12708 'Serving Large Language Models on Huawei CloudMatrix384'", "arXiv 2506.12708"),
        ("dstack blog 'DeepSeek R1 inference performance: MI300X vs. H200'", "dstack blog"),
        ("DeepSeek 'Day 6 One More Thing'", "DeepSeek"),
    ],
)  # fmt: skip
def test_a_rows_publisher_is_read_from_its_source(source: str, expected: str) -> None:
    assert publisher(source) == expected


def _metric(predicted: float, measured: float, **group: str) -> ScoredMetric:
    error = abs(predicted - measured) / measured * 100
    return ScoredMetric(
        id="r", metric="tpot_ms", predicted=predicted, measured=measured, abs_pct_error=error,
        **group,
    )  # fmt: skip


def test_within_2x_counts_predictions_between_half_and_double() -> None:
    scored = [_metric(20, 10), _metric(21, 10), _metric(5, 10), _metric(4.9, 10)]
    assert _within_2x(scored) == 0.5  # 2.0x and 0.5x are within; 2.1x and 0.49x are not
    assert _within_2x([]) is None


def test_groups_score_their_own_metrics() -> None:
    scored = [
        _metric(11, 10, toolkit="vllm", harness="online"),
        _metric(30, 10, toolkit="vllm", harness="offline"),
        _metric(10, 10, toolkit="sglang", harness="online"),
    ]
    groups = _groups(scored)
    assert groups["toolkit"]["vllm"] == GroupScore(
        metrics=2, median_abs_pct_error=105.0, within_2x=0.5
    )
    assert groups["harness"]["online"] == GroupScore(
        metrics=2, median_abs_pct_error=5.0, within_2x=1.0
    )


def test_the_shipped_table_scores_the_rows_without_fitting() -> None:
    status, out, _ = calibrate(str(DATA), "--factors", "shipped", "--format", "json")
    document = json.loads(out)
    assert document["scoring"] == "given" and document["factors_from"] == "shipped"
    assert document["factors"] == json.loads(bundled_factors().model_dump_json())
    # today's keys stay, beside the new ones
    for key in ("rows", "median_abs_pct_error", "max_abs_pct_error", "predicted_rows",
                "failed_rows", "within_2x", "groups"):  # fmt: skip
        assert key in document
    assert 0 < document["within_2x"] <= 1
    assert set(document["groups"]) == {"toolkit", "vendor", "metric", "harness", "source"}
    assert status == (1 if document["failed_rows"] else 0)


def test_a_given_table_predicts_as_the_fit_it_came_from(tmp_path: Path) -> None:
    """Scoring with the table an in-sample fit wrote reproduces that fit's predictions."""
    table = tmp_path / "site.json"
    _, fitted, _ = calibrate(str(DATA), "--write-factors", str(table), "--format", "json")
    _, given, _ = calibrate(str(DATA), "--factors", str(table), "--format", "json")
    assert json.loads(given)["rows"] == json.loads(fitted)["rows"]


def test_leaving_a_source_out_holds_out_all_its_rows(catalog) -> None:
    """Two rows of one chip and source: leaving one out still fits on the other, leaving the
    source out leaves nothing of that source to fit on."""
    rows = [r for r in load_rows(DATA) if publisher(r.source) == "arXiv 2506.12708"]
    others = [r for r in load_rows(DATA) if publisher(r.source) == "lmsys.org"]
    one_out = report(rows + others, catalog, "leave_one_out")
    source_out = report(rows + others, catalog, "leave_source_out")
    mine = {r.id for r in rows}
    ones = {m.id: m.predicted for m in one_out.rows if m.id in mine}
    sources = {m.id: m.predicted for m in source_out.rows if m.id in mine}
    assert source_out.scoring == "leave_source_out" and not source_out.leave_one_out
    # the CloudMatrix rows are their own toolkit's layer: without their source, none fits
    # it, so they are predicted by the LMSYS rows' global factors, differently
    assert ones != sources and all(v is not None for v in sources.values())


def test_factors_and_a_fit_are_not_asked_together() -> None:
    status, _, err = calibrate(str(DATA), "--factors", "shipped", "--leave-one-out")
    assert status == 2 and "--factors scores with a given table" in err
    status, _, err = calibrate(str(DATA), "--leave-one-out", "--leave-source-out")
    assert status == 2


def test_a_bad_factor_table_is_cc4006_at_the_value(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(bad_example(REGISTRY["CC4006"].explain), encoding="utf-8")
    status, _, err = calibrate(str(DATA), "--factors", str(path))
    line, column = line_and_column(path, "1.5")
    assert status == 1 and "error[CC4006]" in err and f"bad.json:{line}:{column}" in err


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('{"layers": {"vllm": ' + json.dumps(bundled_factors().layers["vllm"].model_dump()) + "}}",
         '"layers"'),
        ('{"layers": {}, "colour": 1}', '"colour"'),
        ("{not json", "not"),
    ],
)  # fmt: skip
def test_a_table_without_global_unknown_keys_or_not_json_is_cc4006(
    tmp_path: Path, text: str, needle: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    status, _, err = calibrate(str(DATA), "--factors", str(path))
    assert status == 1 and "error[CC4006]" in err


def test_a_row_without_the_lengths_its_phase_needs_fails_at_its_workload(tmp_path: Path) -> None:
    rows = json.loads(DATA.read_text())
    whole = next(r for r in rows if r.get("phase", "both") == "both")
    bad = dict(whole, id="no-output", workload={k: v for k, v in whole["workload"].items()
                                                 if k != "output_tokens"})  # fmt: skip
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([whole, bad], indent=1))
    status, out, _ = calibrate(str(path), "--format", "json")
    [failed] = [r for r in json.loads(out)["rows"] if r["id"] == "no-output"]
    assert status == 1 and failed["field"] == "workload"
    assert "states no `output_tokens`" in failed["error"]

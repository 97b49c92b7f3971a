"""The loop from a site's own benchmark: the client's result file as rows of the contract's plan,
a site layer fitted on them, and `--factors` predicting with it.

The result files in tests/data/bench/ are in the clients' own formats, built from their source
(vllm 0.34.0 `vllm/benchmarks/serve.py`: the header of main_async, benchmark()'s result and
the statistics of process_one_metric, `latencies` and `queue_times` kept without
--save-detailed; sglang 0.5.23 `sglang/benchmark/serving.py`: one JSON line a run, appended,
`request_rate` a bare Infinity). Their figures are a site's synthetic run of the H200 example
(tp 4 x 2 replicas, 64 in flight, 512 requests of 2,048 + 512 tokens), slower than the shipped
table predicts and consistent with itself (duration = 8 waves of TTFT + 511 x TPOT).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from ccc.calibration.bench import read_results
from ccc.cli import main

from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "bench"
VLLM = DATA / "vllm-0.34-h200-qwen3-32b.json"
SGLANG = DATA / "sglang-0.5.23-random.jsonl"
EXAMPLE = ROOT / "examples" / "h200_qwen3_32b.cc"
LAYER = "nvidia_h200_sxm x vllm"


def ccc(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("site") / "site.json"
    code, _, err = ccc(
        "calibrate", "--bench", str(VLLM), "--contract", str(EXAMPLE),
        "--write-factors", str(path),
    )  # fmt: skip
    assert code == 0, err
    return path


def test_a_vllm_result_writes_a_site_layer_over_the_shipped_table(site: Path) -> None:
    table = json.loads(site.read_text(encoding="utf-8"))
    shipped = json.loads((ROOT / "compiler" / "data" / "factors.json").read_text())
    assert table["layers"][LAYER]["rows"] == ["site-vllm-0.34-h200-qwen3-32b-1"]
    # every other layer is the shipped table's, untouched
    assert {k: v for k, v in table["layers"].items() if k != LAYER} == {
        k: v for k, v in shipped["layers"].items() if k != LAYER
    }


def test_estimate_with_the_site_layer_predicts_the_run_within_10_percent(site: Path) -> None:
    code, out, err = ccc(
        "estimate", "--model", "qwen3_32b", "--system", "hgx_h200", "--devices", "8",
        "--tp", "4", "--toolkit", "vllm", "--isl", "2048", "--osl", "512",
        "--concurrency", "64", "--requests", "512", "--factors", str(site), "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    performance = json.loads(out)["plans"][0]["performance"]
    measured = json.loads(VLLM.read_text(encoding="utf-8"))
    # measured: 2,471.5 tokens/s over 8 GPUs, TPOT 23.5 ms, TTFT 1.25 s; predicted with the
    # site layer: +0.1 %, -0.2 %, +0.1 % (with the shipped table: +48 %, -39 %, +24 %)
    assert performance["output_tokens_per_s_per_device"] == pytest.approx(
        measured["output_throughput"] / 8, rel=0.10
    )
    assert performance["tpot_s"] == pytest.approx(measured["mean_tpot_ms"] / 1000, rel=0.10)
    assert performance["ttft_s"] == pytest.approx(measured["mean_ttft_ms"] / 1000, rel=0.10)
    # the provenance names the site layer and its row
    assert performance["factors"]["layer"] == LAYER
    assert performance["factors"]["rows"] == ["site-vllm-0.34-h200-qwen3-32b-1"]


def test_plan_uses_the_site_layer_it_is_given(site: Path) -> None:
    code, out, err = ccc("plan", str(EXAMPLE), "--factors", str(site), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["plans"][0]["performance"]["factors"]["layer"] == LAYER
    _, shipped, _ = ccc("plan", str(EXAMPLE), "--format", "json")
    assert json.loads(shipped)["plans"][0]["performance"]["factors"]["layer"] != LAYER


def test_an_sglang_result_file_is_a_row_per_run() -> None:
    results = read_results(SGLANG.read_text(encoding="utf-8"), "r.jsonl")
    assert not results.diagnostics and len(results.runs) == 2
    assert results.runs[0]["request_rate"] == float("inf")  # SGLang writes a bare Infinity
    code, out, err = ccc(
        "calibrate", "--bench", str(SGLANG), "--contract", str(EXAMPLE), "--format", "json"
    )
    assert code == 0, err
    rows = {r["id"] for r in json.loads(out)["rows"]}
    assert rows == {"site-sglang-0.5.23-random-1", "site-sglang-0.5.23-random-2"}


def test_appended_vllm_results_are_read_one_object_a_line() -> None:
    one = VLLM.read_text(encoding="utf-8")
    assert len(read_results(one + "\n" + one, "r.json").runs) == 2


def test_a_result_without_its_figures_is_cc4003_at_its_run(tmp_path: Path) -> None:
    run = json.loads(VLLM.read_text(encoding="utf-8"))
    del run["output_throughput"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(VLLM.read_text(encoding="utf-8") + "\n" + json.dumps(run) + "\n")
    code, _, err = ccc("calibrate", "--bench", str(bad), "--contract", str(EXAMPLE))
    assert code == 1
    assert "error[CC4003]: run 2 has no `output_throughput`" in err
    assert "bad.jsonl:2:1" in err


def test_a_factor_table_that_is_not_one_is_cc4006_for_plan(tmp_path: Path) -> None:
    bad = tmp_path / "site.json"
    bad.write_text('{"layers": {}}', encoding="utf-8")
    code, _, err = ccc("plan", str(EXAMPLE), "--factors", str(bad))
    assert code == 1 and "CC4006" in err


def test_bench_sh_saves_the_result_ccc_calibrate_reads(tmp_path: Path) -> None:
    code, _, err = ccc("compile", str(EXAMPLE), "-o", str(tmp_path / "out"))
    assert code == 0, err
    bench = tmp_path / "out" / "qwen3_chat" / "bench"
    document = json.loads((bench / "bench.json").read_text(encoding="utf-8"))
    assert document["result"] == "bench-result.json"
    argv = document["argv"]
    assert argv[argv.index("--result-filename") + 1] == document["result"]
    assert "ccc calibrate --bench bench-result.json" in (bench / "bench.sh").read_text()

"""Benchmark runs simulated request by request, the lengths they draw, and the fixed costs and
collectives that cross servers: each term on a hand-computed case."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from ccc.cli import main
from ccc.hardware.memory import Degrees
from ccc.performance import model
from ccc.performance.lengths import SHAREGPT, lengths
from ccc.performance.model import Factors, Link, predict, work
from ccc.performance.scenarios import Traffic, instance_system, scenario, workload_deployment
from ccc.performance.simulate import Engine, Run, simulate

from tests.conftest import ROOT

PEAK = Factors(compute=1.0, bandwidth=1.0, network=1.0)


def _on(catalog, system: str, model_name: str, devices: int, degrees: Degrees, **traffic):
    s = scenario(
        instance_system(catalog, system, devices),
        catalog.models[model_name],
        None,
        workload_deployment("d", model_name, "bf16", "bf16"),
        degrees,
        Traffic(**traffic),
    )
    return s, work(s)


# --- the engine on stub step costs -------------------------------------------------------------


class _Linear:
    """A decode step costs 10 ms + 2 ms per sequence; a prompt token 1 ms (alone or mixed)."""

    def step(self, decoding: int, context: float, prompt_tokens: float) -> float:
        if decoding == 0:
            return 0.001 * prompt_tokens
        return 0.010 + 0.002 * decoding + 0.001 * prompt_tokens


def test_a_three_request_burst_by_hand(catalog) -> None:
    s, _ = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=100, output_tokens=2)
    s = s._replace(prefill_chunk=150, max_batch=None, run_requests=3)
    run = Run(np.full(3, 100.0), np.array([3.0, 2.0, 1.0]), np.zeros(3), concurrency=3)
    t = Engine(s, _Linear(), 0.0, run).run()
    # step 1 (prefill only): A's 100 prompt tokens and 50 of B's: 0.150 s; A's first token.
    # step 2: A decodes, B's last 50 and 99 of C's fill the other 149: 0.010 + 0.002 + 0.149.
    # step 3: A and B decode, C's last token: 0.010 + 0.004 + 0.001; A (3 tokens), B (2) and
    # C (1: its first token is its last) finish.
    assert t.first == pytest.approx([0.150, 0.311, 0.326])
    assert t.done == pytest.approx([0.326, 0.326, 0.326])
    assert t.sent == [0.0, 0.0, 0.0]


def test_a_prefill_first_engine_runs_prompts_alone_while_decoding_waits(catalog) -> None:
    s, _ = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=100, output_tokens=2)
    s = s._replace(prefill_chunk=150, max_batch=None, run_requests=3, schedule="prefill_first")
    run = Run(np.full(3, 100.0), np.array([3.0, 2.0, 1.0]), np.zeros(3), concurrency=3)
    t = Engine(s, _Linear(), 0.0, run).run()
    # step 1: A's 100 prompt tokens and 50 of B's, alone: 0.150 s; A's first token.
    # step 2: B's last 50 and C's 100, alone (A waits): 0.150 s; B's and C's first tokens, C
    # done (one token). Step 3: A and B decode: 0.014 s, B done. Step 4: A alone, 0.012 s.
    assert t.first == pytest.approx([0.150, 0.300, 0.300])
    assert t.done == pytest.approx([0.326, 0.314, 0.300])


def test_a_rotating_engine_decodes_its_cap_in_turn(catalog) -> None:
    s, _ = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=10, output_tokens=3)
    s = s._replace(
        prefill_chunk=1000, max_batch=1, run_requests=2, schedule="prefill_first_rotating"
    )
    run = Run(np.full(2, 10.0), np.full(2, 3.0), np.zeros(2), concurrency=2)
    t = Engine(s, _Linear(), 0.0, run).run()
    # both prompts are admitted past the cap of 1 (the KV cache holds them): one step of 20
    # tokens, 0.020 s. Each decode step then takes one of the two, in turn, at 0.012 s: each
    # needs 2, so 4 steps. The turns are taken as an even share of every step (the fluid
    # limit of round robin): both finish at the fourth
    assert t.first == pytest.approx([0.020, 0.020])
    assert t.done == pytest.approx([0.020 + 4 * 0.012] * 2)


def test_each_class_of_kernel_is_bound_by_its_own_roofline() -> None:
    step = model.Step(
        compute=2.0, expert_compute=1.0, memory=5.0, attention=4.0, kv=1.0, expert_memory=3.0,
        network=(0.0, 0.0), expert_network=(0.0, 0.0), latency=0.0, layers=0, sequences=0.0,
        decode=True,
    )  # fmt: skip
    f = Factors(compute=1.0, decode_compute=0.5, bandwidth=1.0, network=1.0, imbalance=2.0)
    # dense: max(2 / 0.5, 5) = 5; attention: max(4 / 0.5, 1) = 8; experts: max(1 x 2 / 0.5,
    # 3) = 4. One roofline of the totals would say max((2 + 4 + 2) / 0.5, 5 + 1 + 3) = 16
    assert model._seconds(step, f, balanced=False) == pytest.approx(5.0 + 8.0 + 4.0)


def test_a_mixed_step_reads_the_weights_once(catalog) -> None:
    s, _ = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=500, output_tokens=2)
    decode = model.decode_step(s, 8, 500.0)
    prompt = model.prefill_step(s, 500.0)
    mixed = model.mixed_step(s, 8, 500.0, 500.0)
    assert mixed.memory == pytest.approx(decode.memory)  # dense weights: read once
    assert mixed.kv == pytest.approx(decode.kv)  # the decodes read the cache
    assert mixed.compute == pytest.approx(decode.compute + prompt.compute)
    assert mixed.attention == pytest.approx(decode.attention + prompt.attention)
    assert not mixed.decode  # 500 prompt tokens: wide matmuls, prefill's fraction
    assert model.mixed_step(s, 8, 500.0, 0.0) == decode


def _two_in_a_small_cache(catalog, kv_admission: str):
    s, _ = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=10, output_tokens=4)
    s = s._replace(prefill_chunk=1000, max_batch=None, run_requests=2, kv_admission=kv_admission)
    run = Run(np.full(2, 10.0), np.full(2, 4.0), np.zeros(2), concurrency=2)
    engine = Engine(s, _Linear(), 0.0, run)
    engine.kv = 24.0  # cache tokens
    return engine.run()


def test_a_cache_allocated_as_computed_preempts_the_newest_by_recompute(catalog) -> None:
    t = _two_in_a_small_cache(catalog, "computed")
    # both prompts fit (10 + 10 of 24): one 20-token step, 0.020 s, both first tokens. Two
    # decode steps of two (0.014 s each) fill the cache (20 + 4); B, the newest, is preempted
    # with 3 tokens, and A's last step (0.012 s) ends it at 0.060. B's 13 tokens are then
    # recomputed in one step (0.013 s), whose token is its last: done at 0.073
    assert t.first == pytest.approx([0.020, 0.020])
    assert t.done == pytest.approx([0.060, 0.073])


def test_a_cache_reserved_at_admission_admits_what_it_can_hold_whole(catalog) -> None:
    t = _two_in_a_small_cache(catalog, "reserved")
    # each needs 14 of the 24 tokens: B waits for A (10-token prefill, then 3 decode steps of
    # 0.012 s: done at 0.046), then runs the same
    assert t.first == pytest.approx([0.010, 0.056])
    assert t.done == pytest.approx([0.046, 0.092])


def test_the_client_sends_the_next_request_when_one_completes(catalog) -> None:
    s, _ = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=100, output_tokens=2)
    s = s._replace(prefill_chunk=1000, max_batch=None, run_requests=2)
    run = Run(np.full(2, 100.0), np.full(2, 2.0), np.zeros(2), concurrency=1)
    t = Engine(s, _Linear(), 0.005, run).run()
    # request 1: reaches the engine 5 ms after it is sent, 0.100 s prefill, one decode step
    # (0.012 s); request 2 is sent at its completion, 0.117 s
    assert t.sent == pytest.approx([0.0, 0.117])
    assert t.first == pytest.approx([0.105, 0.117 + 0.105])
    assert t.done == pytest.approx([0.117, 0.234])


def test_the_engine_admits_no_more_than_its_batch(catalog) -> None:
    s, _ = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=10, output_tokens=2)
    s = s._replace(prefill_chunk=1000, max_batch=1, run_requests=2)
    run = Run(np.full(2, 10.0), np.full(2, 2.0), np.zeros(2), concurrency=2)
    t = Engine(s, _Linear(), 0.0, run).run()
    # the second waits in the engine's queue until the first completes at 0.010 + 0.012
    assert t.first == pytest.approx([0.010, 0.022 + 0.010])


def test_a_steady_load_of_fixed_lengths_is_the_closed_form(catalog) -> None:
    s, w = _on(
        catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=1000, output_tokens=1000,
        concurrency=64,
    )  # fmt: skip
    steady = predict(s, w, PEAK)  # no run: the sustained service's steady state
    ran = simulate(s._replace(run_requests=640), w, PEAK)
    # the run's first and last waves ramp up and drain: within a few per cent of the steady
    # state (measured: throughput -0.1 %, TPOT -1.5 %)
    assert ran.output_per_device == pytest.approx(steady.output_per_device, rel=0.05)
    assert ran.tpot == pytest.approx(steady.tpot, rel=0.03)


def test_a_long_tailed_run_drains_below_its_peak(catalog) -> None:
    s, w = _on(
        catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), input_tokens=220, output_tokens=200,
        concurrency=1000,
    )  # fmt: skip
    fixed = simulate(s._replace(run_requests=1000), w, PEAK)
    tailed = simulate(s._replace(run_requests=1000, dataset="sharegpt"), w, PEAK)
    # the same mean lengths, but stragglers decode at a small batch at the end (measured 0.55x)
    assert tailed.output_per_device < 0.8 * fixed.output_per_device


# --- the lengths drawn -------------------------------------------------------------------------


def test_sharegpt_lengths_have_the_documented_moments() -> None:
    drawn = lengths("sharegpt", 219.6, 202.9, 20_000)
    # the stated means exactly (rounding aside); the shape's spread and medians as measured:
    # prompt sd 242.5 and median 105, output sd 213.3 and median 135 (lengths.SHAREGPT)
    assert drawn.prompt.mean() == pytest.approx(219.6, rel=0.005)
    assert drawn.output.mean() == pytest.approx(202.9, rel=0.005)
    assert drawn.prompt.std() == pytest.approx(242.5, rel=0.05)
    assert drawn.output.std() == pytest.approx(213.3, rel=0.05)
    assert np.median(drawn.prompt) == pytest.approx(105, rel=0.1)
    assert np.median(drawn.output) == pytest.approx(135, rel=0.1)
    assert drawn.output.max() <= SHAREGPT.output[-1] * 1.01
    # long prompts come with shorter answers (Spearman -0.41 in the data)
    ranks = [np.argsort(np.argsort(x)) for x in drawn]
    assert np.corrcoef(*ranks)[0, 1] == pytest.approx(SHAREGPT.spearman, abs=0.05)


def test_random_lengths_are_uniform_up_to_the_longest() -> None:
    drawn = lengths("random", 922, 922, 1000, min_fraction=0.8)
    # mean 922 = (0.8 + 1) / 2 x 1024.4: uniform between 819.6 and 1024.4
    assert drawn.prompt.mean() == pytest.approx(922, rel=0.002)
    assert drawn.prompt.min() >= 819 and drawn.prompt.max() <= 1025
    assert lengths("fixed", 100, 10, 3).output.tolist() == [10, 10, 10]


def test_the_same_run_is_drawn_every_time() -> None:
    a, b = lengths("sharegpt", 220, 200, 500), lengths("sharegpt", 220, 200, 500)
    assert (a.prompt == b.prompt).all() and (a.output == b.output).all()


# --- fixed costs of serving over HTTP ----------------------------------------------------------


def test_an_online_request_pays_its_latency_before_its_first_token(catalog) -> None:
    s, w = _on(catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), phase="prefill", input_tokens=2000)
    f = PEAK._replace(request_latency=0.030)
    online = predict(s, w, f).ttft
    offline = predict(s._replace(harness="offline"), w, f).ttft
    assert online - offline == pytest.approx(0.030)
    assert offline == pytest.approx(predict(s, w, PEAK).ttft)


def test_an_online_step_pays_the_host_per_sequence(catalog) -> None:
    s, w = _on(
        catalog, "hgx_h100", "qwen3_8b", 1, Degrees(), phase="decode", input_tokens=1000,
        concurrency=64,
    )  # fmt: skip
    f = PEAK._replace(host_overhead=20e-6)
    online = predict(s, w, f).tpot
    offline_s = s._replace(harness="offline")
    offline = predict(offline_s, work(offline_s), f).tpot
    assert online - offline == pytest.approx(64 * 20e-6)


# --- collectives across servers ----------------------------------------------------------------


def test_a_tp_group_over_two_servers_reduces_hierarchically(catalog) -> None:
    s, _ = _on(
        catalog, "hgx_h100", "llama3_1_70b", 16, Degrees(tp=16), phase="decode",
        input_tokens=1000, concurrency=1,
    )  # fmt: skip
    up, out = 450e9, 50e9  # bytes/s: NVLink and one NIC per GPU
    links = s.links._replace(
        tp=Link(out, None, scale_out=True), tp_servers=2, server=Link(up, None, scale_out=False)
    )
    s = s._replace(links=links)
    tokens, hidden, layers = 4.0, s.model.hidden_size, s.model.layers
    size = tokens * hidden * 2  # bf16 activations of one rank
    network, _, latency, hops = model._network_seconds(s, tokens, [])
    count = 2 * layers  # two all-reduces a layer
    # inside each server (8 GPUs): reduce-scatter + all-gather, 2 x 7/8 of the data
    assert network[0] == pytest.approx(count * 2 * 7 / 8 * size / up)
    # between the 2 servers: each GPU's 1/8 share, 2 x 1/2 of it, over its own NIC
    assert network[1] == pytest.approx(count * 2 * 1 / 2 * size / 8 / out)
    # ring hops: 2 x 7 inside and 2 x 1 across, per all-reduce; no latency known
    assert hops == pytest.approx((count * 14, count * 2)) and latency == 0.0
    flat = s._replace(links=links._replace(tp_servers=1))
    flat_network, *_ = model._network_seconds(flat, tokens, [])
    # a flat 16-rank ring over the NICs carries 2 x 15/16 of the data on the slow link
    assert flat_network[1] == pytest.approx(count * 2 * 15 / 16 * size / out)
    assert flat_network[1] > 7 * network[1]


def test_unknown_hop_latencies_are_priced_by_the_fitted_factor_of_their_tier(catalog) -> None:
    s, w = _on(
        catalog, "hgx_h100", "llama3_1_70b", 8, Degrees(tp=8), phase="decode",
        input_tokens=1000, concurrency=1,
    )  # fmt: skip
    # NVLink's hop latency is in the catalog: take it as unknown, as an unmeasured fabric's is
    links = s.links._replace(tp=s.links.tp._replace(latency=None))
    s = s._replace(links=links)
    w = work(s)
    base = predict(s, w, PEAK).tpot
    slower = predict(s, w, PEAK._replace(hop_latency=1e-6)).tpot
    layers = s.model.layers
    assert slower - base == pytest.approx(2 * layers * 2 * 7 * 1e-6)  # 14 hops an all-reduce
    assert predict(s, w, PEAK._replace(hop_latency_out=1e-3)).tpot == pytest.approx(base)


# --- a contract's benchmark run ----------------------------------------------------------------


def _plan_json(tmp_path: Path, workload: str) -> dict:
    source = (ROOT / "examples" / "h200_qwen3_32b.cc").read_text(encoding="utf-8")
    path = tmp_path / "run.cc"
    source = source.replace("    ttft <= 2 s\n", "")  # a run's first waves queue: TTFT aside
    path.write_text(source.replace("    concurrency = 64\n", workload), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["plan", str(path), "--format", "json"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())["plans"][0]["performance"]


def test_a_contracts_run_is_simulated_with_its_data_set(tmp_path: Path) -> None:
    steady = _plan_json(tmp_path, "    concurrency = 64\n")
    fixed = _plan_json(tmp_path, "    concurrency = 64\n    requests = 640\n")
    tailed = _plan_json(
        tmp_path, "    concurrency = 64\n    requests = 640\n    dataset = sharegpt\n"
    )
    # a run of fixed lengths is about the steady state; the same means with ShareGPT's tail
    # drain through stragglers at the end of the run
    assert fixed["output_tokens_per_s"] == pytest.approx(steady["output_tokens_per_s"], rel=0.1)
    assert tailed["output_tokens_per_s"] < 0.95 * fixed["output_tokens_per_s"]


def test_a_workloads_run_keys_are_checked(tmp_path: Path) -> None:
    source = (ROOT / "examples" / "h200_qwen3_32b.cc").read_text(encoding="utf-8")
    path = tmp_path / "bad.cc"
    bad = "    concurrency = 64\n    dataset = alpaca\n    min_fraction = 1.5\n"
    path.write_text(source.replace("    concurrency = 64\n", bad), encoding="utf-8")
    err = io.StringIO()
    assert main(["check", str(path), "--format", "json"], stdout=err, stderr=io.StringIO()) == 1
    found = {(d["code"], d["span"]["line"]) for d in json.loads(err.getvalue())["diagnostics"]}
    line = source[: source.index("    concurrency = 64\n")].count("\n") + 1
    # a data set ccc has no shape for, at its value; a fraction above 1, at its value
    assert found == {("CC2006", line + 1), ("CC2005", line + 2)}, found


def test_a_known_hop_latency_is_the_catalogs(catalog) -> None:
    s, _ = _on(
        catalog, "hgx_h100", "llama3_1_70b", 8, Degrees(tp=8), phase="decode",
        input_tokens=1000, concurrency=1,
    )  # fmt: skip
    _, _, latency, hops = model._network_seconds(s, 1.0, [])
    # NVLink 4: 0.79 us a hop (nccl-tests); 14 hops an all-reduce of 8, two a layer
    assert latency == pytest.approx(2 * s.model.layers * 14 * 0.79e-6)
    assert hops == (0.0, 0.0)

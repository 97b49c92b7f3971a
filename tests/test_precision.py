"""Precision: one answer to "which compute rate does this weight dtype run at", for every stage."""

from __future__ import annotations

import pytest
from ccc.api import check, load_catalog
from ccc.front.checks import unknown_figures
from ccc.front.resolve import Options
from ccc.hardware.memory import Degrees
from ccc.ir import Cluster, Deployment, Server, Workload, build
from ccc.performance.model import work
from ccc.performance.scenarios import Traffic, instance_system, scenario
from ccc.precision import DTYPES, compute_dtype

from tests.conftest import ROOT, TESTS


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(Options(cwd=ROOT)).contract


def _on(catalog, accelerator: str, weights: str):
    """The catalog plus one server of `accelerator` and a deployment of `weights` on it."""
    server = build(Server, {"name": "s", "accelerator": accelerator, "devices": 8})
    cluster = build(Cluster, {"name": "c", "server": "s", "nodes": 1})
    deployment = build(
        Deployment,
        {
            "name": "d",
            "model": "qwen3_8b",
            "cluster": "c",
            "weights": weights,
            "workload": build(Workload, {}),
        },
    )
    return catalog.model_copy(
        update={
            "servers": {**catalog.servers, "s": server},
            "clusters": {**catalog.clusters, "c": cluster},
            "deployments": {"d": deployment},
        }
    )


def test_check_warns_of_exactly_the_compute_rate_the_prediction_reads(catalog) -> None:
    for accelerator in catalog.accelerators.values():
        for weights in DTYPES:
            contract = _on(catalog, accelerator.name, weights)
            blocked = {b.figure for b in unknown_figures(contract) if ".compute." in b.figure}
            system = instance_system(contract, "s", 1)
            deployment = contract.deployments["d"]
            model = contract.models["qwen3_8b"]
            s = scenario(
                system, model, None, deployment, Degrees(), Traffic(input_tokens=1, output_tokens=1)
            )
            reads = s.hardware.compute_dtype
            unproven = f"compute at {reads}" in work(s).unproven
            expected = {f"{accelerator.name}.compute.{reads}"} if unproven else set()
            assert blocked == expected, (accelerator.name, weights)


def test_weight_only_int4_runs_at_the_16_bit_rate_even_where_it_is_unknown() -> None:
    h200 = {"bf16": 989e12, "fp16": 989e12, "fp8": 1978e12, "int8": 1978e12}
    assert compute_dtype("int4", h200) == "bf16"
    assert compute_dtype("int4", {**h200, "bf16": "unknown", "fp16": "unknown"}) == "bf16"
    assert compute_dtype("int4", {**h200, "bf16": "unknown"}) == "fp16"


def test_a_declared_unknown_rate_is_not_replaced_by_a_slower_tier() -> None:
    mlu590 = {"fp16": 345e12, "bf16": "unknown", "fp8": "unknown", "int8": "unknown"}
    assert compute_dtype("int8", mlu590) == "int8"
    assert compute_dtype("bf16", mlu590) == "fp16"  # one 16-bit rate
    assert compute_dtype("fp8", {"bf16": 312e12, "int8": 624e12}) == "int8"
    assert compute_dtype("fp8", {"bf16": "unknown", "int8": "unknown"}) == "int8"
    assert compute_dtype("fp4", {"bf16": 989e12, "fp8": 1978e12}) == "bf16"


def test_check_warns_of_the_unknown_16_bit_rate_an_int4_h200_plan_reads() -> None:
    path = TESTS / "cases" / "performance" / "int4_unknown_16bit_rate.cc"
    result = check([path], Options(cwd=path.parent))
    assert [d.code for d in result.diagnostics] == ["CC2101"]
    assert "h.compute.bf16" in result.diagnostics[0].message

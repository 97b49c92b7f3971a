"""The IR: the unvalidated construction path builds exactly what validation would."""

from __future__ import annotations

from ccc.api import load_catalog
from ccc.front.resolve import Options
from ccc.ir import KINDS

from tests.conftest import ROOT


def test_every_catalog_block_survives_validation_unchanged() -> None:
    contract = load_catalog(Options(cwd=ROOT)).contract
    count = 0
    for kind, table in contract.tables().items():
        for block in table.values():
            again = KINDS[kind].model_validate(block.model_dump())
            assert again == block
            count += 1
    assert count > 60


def test_blocks_are_immutable() -> None:
    contract = load_catalog(Options(cwd=ROOT)).contract
    accelerator = next(iter(contract.accelerators.values()))
    try:
        accelerator.memory = 1.0  # type: ignore[misc]
    except Exception as error:
        assert "frozen" in str(error).lower()
    else:
        raise AssertionError("IR blocks must be frozen")


def test_every_example_block_survives_validation_unchanged() -> None:
    from ccc.api import check

    for path in sorted((ROOT / "examples").glob("*.cc")):
        contract = check([path], Options(cwd=ROOT)).contract
        for deployment in contract.deployments.values():
            again = KINDS["deployment"].model_validate(deployment.model_dump())
            assert again == deployment, path.name


def test_lineage_follows_extends_nearest_first_and_stops_at_a_cycle() -> None:
    from ccc.ir import Toolkit, lineage

    blocks = {
        "site": Toolkit(name="site", extends="vllm"),
        "vllm": Toolkit(name="vllm"),
        "a": Toolkit(name="a", extends="b"),
        "b": Toolkit(name="b", extends="a"),
    }
    assert lineage(blocks, "site") == ("site", "vllm")
    assert lineage(blocks, "a") == ("a", "b")
    assert lineage(blocks, "missing") == ()

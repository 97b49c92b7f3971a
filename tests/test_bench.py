"""The benchmark scripts are not run by the suite (they are slow, and the comparison
installs a peer tool); their argument parsing is."""

from __future__ import annotations

import pytest

from bench import compare_aiconfigurator as compare
from bench import run


def test_run_defaults_to_every_example_and_the_four_sizes() -> None:
    args = run.parse_args([])
    assert args.examples == [p.stem for p in run.EXAMPLES] and len(args.examples) >= 10
    assert args.sizes == [64, 384, 8192, 32768] and args.runs == 5 and args.json is None


def test_run_takes_subsets_and_none() -> None:
    args = run.parse_args(["--runs", "2", "--examples", "h200_qwen3_32b.cc", "--sizes", "64,16384"])
    assert (args.runs, args.examples, args.sizes) == (2, ["h200_qwen3_32b"], [64, 16384])
    assert run.parse_args(["--examples", "none", "--sizes", "none"]).examples == []


@pytest.mark.parametrize(
    "argv",
    [["--runs", "0"], ["--examples", "no_such_example"], ["--sizes", "100"], ["--sizes", "x"]],
)
def test_run_refuses_bad_arguments(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        run.parse_args(argv)
    assert exit.value.code == 2 and "error:" in capsys.readouterr().err


def test_compare_defaults_and_choices() -> None:
    args = compare.parse_args([])
    assert (args.runs, args.backend, args.jobs, args.install) == (
        3,
        "trtllm",
        ["sweep", "points"],
        False,
    )
    assert args.venv == compare.DEFAULT_VENV
    args = compare.parse_args(
        ["--jobs", "points", "--backend", "vllm", "--venv", "/x", "--install"]
    )
    assert (args.jobs, args.backend, str(args.venv), args.install) == (
        ["points"],
        "vllm",
        "/x",
        True,
    )


@pytest.mark.parametrize(
    "argv", [["--jobs", "sweeps"], ["--jobs", ""], ["--backend", "mindie"], ["--runs", "-1"]]
)
def test_compare_refuses_bad_arguments(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        compare.parse_args(argv)
    assert exit.value.code == 2 and "error:" in capsys.readouterr().err


def test_every_point_names_the_same_configuration_to_both_tools() -> None:
    for point in compare.POINTS:
        ccc = dict(zip(point.ccc[::2], point.ccc[1::2], strict=True))
        aic = dict(zip(point.aic[::2], point.aic[1::2], strict=True))
        assert ccc["--tp"] == aic["--tp-size"] == ccc["--devices"], point.label
        assert (ccc["--isl"], ccc["--osl"]) == (aic["--isl"], aic["--osl"]), point.label
        assert ccc["--concurrency"] == aic["--batch-size"] and ccc["--toolkit"] == aic["--backend"]

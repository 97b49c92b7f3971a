"""Measurement files (`ccc calibrate DATA.json`): every way one can be wrong is a coded
diagnostic at the byte, key or value at fault, and the format agrees with the published
schema (../shared/data/calibration.schema.json, copied as tests/data's rows validate)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from ccc.calibration.measurements import (
    MeasurementFile,
    read_measurements,
)
from ccc.cli import main
from ccc.codes import REGISTRY
from ccc.limits import MAX_DATA_BYTES, MAX_LEAVE_ONE_OUT_ROWS, MAX_ROWS

from tests.conftest import TESTS
from tests.test_cases import bad_example

DATA = TESTS / "data" / "calibration.json"
ROWS = json.loads(DATA.read_text(encoding="utf-8"))


def problems(path: Path) -> list[tuple[str, int, int]]:
    found = read_measurements(path, path.name)
    return [(d.code, d.span.line, d.span.column) for d in found.diagnostics if d.span]


def written(tmp_path: Path, rows, indent: int | None = 1) -> Path:
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows, indent=indent), encoding="utf-8")
    return path


def line_and_column(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [(n, line.index(needle) + 1) for n, line in enumerate(lines, 1) if needle in line]
    return hits[occurrence]


def test_the_bundled_data_reads_and_matches_the_schema_ccc_publishes() -> None:
    found = read_measurements(DATA, DATA.name)
    assert found.diagnostics == [] and len(found.rows) == len(ROWS)
    jsonschema.validate(ROWS, MeasurementFile.model_json_schema())


def test_not_json_is_cc4003_where_the_parser_stopped(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_text('[\n  {"id": "a",\n  "model" "x"}\n]\n')
    assert problems(path) == [("CC4003", 3, 11)]


def test_not_utf8_is_cc4003_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_bytes(b'[\n {"id": "caf\xe9"}]\n')
    assert problems(path) == [("CC4003", 2, 13)]


def test_a_value_outside_the_format_is_cc4003_at_the_value(tmp_path: Path) -> None:
    rows = [dict(ROWS[0], devices=0), dict(ROWS[1])]
    rows[1]["workload"] = dict(rows[1]["workload"], cached_prefix_fraction=1.5)
    path = written(tmp_path, rows)
    devices_line, devices_column = line_and_column(path, '"devices": 0')
    assert problems(path) == [
        ("CC4003", devices_line, devices_column + len('"devices": ')),
        ("CC4003", *line_and_column(path, "1.5")),
    ]


def test_missing_unknown_and_non_finite_fields_are_located(tmp_path: Path) -> None:
    row = {k: v for k, v in ROWS[0].items() if k != "measured"}
    row["colour"] = "red"
    row["workload"] = dict(row["workload"], concurrency=float("nan"))
    path = written(tmp_path, [row])
    found = read_measurements(path, path.name)
    located = {d.message: (d.span.line, d.span.column) for d in found.diagnostics}
    assert located == {
        "row 1.measured is missing": (2, 2),
        "row 1.colour is not a field of the format": line_and_column(path, '"colour"'),
        "row 1.workload.concurrency = NaN: input should be a finite number": line_and_column(
            path, "NaN"
        ),
    }


def test_a_repeated_id_is_cc4003_at_the_second(tmp_path: Path) -> None:
    path = written(tmp_path, [ROWS[0], ROWS[1], ROWS[0]])
    assert problems(path) == [("CC4003", *_id_value(path, ROWS[0]["id"], 1))]


def _id_value(path: Path, row_id: str, occurrence: int) -> tuple[int, int]:
    line, column = line_and_column(path, f'"id": "{row_id}"', occurrence)
    return line, column + len('"id": ')


def test_a_number_of_more_digits_than_python_reads_is_cc7004_at_it(tmp_path: Path) -> None:
    # json.loads raises a bare ValueError past 4,300 digits (found by bench/fuzz.py)
    path = tmp_path / "rows.json"
    text = json.dumps(ROWS[:2], indent=1).replace('"devices": 16', '"devices": ' + "9" * 5000, 1)
    path.write_text(text, encoding="utf-8")
    line, column = line_and_column(path, "9" * 5000)
    assert problems(path) == [("CC7004", line, column)]
    assert read_measurements(path, path.name).diagnostics[0].message == (
        "a number of 5000 digits, too long to read"
    )


def test_limits_are_cc7002_cc7003_cc7006(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text("[" + " " * MAX_DATA_BYTES + "]")
    assert problems(big) == [("CC7002", 1, 1)]
    deep = tmp_path / "deep.json"
    deep.write_text('[{"notes": "x"},\n ' + "[" * 70 + "]" * 70 + "]")
    assert problems(deep) == [("CC7003", 2, 65)]  # the 65th level
    many = written(tmp_path, [ROWS[0]] * (MAX_ROWS + 1), indent=None)
    assert [code for code, _, _ in problems(many)] == ["CC7006"]


def test_a_row_the_catalog_cannot_model_is_cc4004_at_its_key_and_the_rest_are_scored(
    tmp_path: Path,
) -> None:
    rows = [dict(ROWS[0], model="qwen3_33b"), ROWS[1], ROWS[2]]
    path = written(tmp_path, rows)
    out, err = io.StringIO(), io.StringIO()
    assert main(["calibrate", str(path), "--format", "json"], stdout=out, stderr=err) == 1
    line, column = line_and_column(path, '"qwen3_33b"')
    assert f"rows.json:{line}:{column}" in err.getvalue()
    assert "error[CC4004]" in err.getvalue() and "did you mean `qwen3_32b`?" in err.getvalue()
    report = json.loads(out.getvalue())
    assert report["failed_rows"] == 1 and report["predicted_rows"] == 2


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_malformed_file_prints_diagnostics_not_a_report(tmp_path: Path, fmt: str) -> None:
    path = written(tmp_path, [dict(ROWS[0], devices=-3)])
    out, err = io.StringIO(), io.StringIO()
    assert main(["calibrate", str(path), "--format", fmt], stdout=out, stderr=err) == 1
    if fmt == "json":
        [diagnostic] = json.loads(out.getvalue())["diagnostics"]
        assert diagnostic["code"] == "CC4003" and diagnostic["span"]["file"].endswith("rows.json")
    else:
        assert out.getvalue() == "" and "error[CC4003]: row 1.devices = -3" in err.getvalue()


@pytest.mark.parametrize("code", ["CC4003", "CC4004"])
def test_the_explanations_bad_example_fires_its_code(code: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(bad_example(REGISTRY[code].explain), encoding="utf-8")
    err = io.StringIO()
    assert main(["calibrate", str(path)], stdout=io.StringIO(), stderr=err) == 1
    assert f"error[{code}]" in err.getvalue()


def _calibrate(path: Path) -> tuple[int, str]:
    err = io.StringIO()
    code = main(["calibrate", str(path)], stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


def test_an_unknown_dtype_is_cc4004_at_the_key(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: an unknown kv_cache dtype was a KeyError in the memory model."""
    path = written(tmp_path, [dict(ROWS[0], kv_cache="fp9"), ROWS[1]])
    code, err = _calibrate(path)
    line, column = line_and_column(path, '"fp9"')
    assert code == 1 and f"rows.json:{line}:{column}" in err and "unknown dtype `fp9`" in err


def test_rows_only_of_chips_with_unknown_peaks_are_cc4004_not_a_crash(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: with no row of a chip whose peaks are known there are no
    factors to infer a peak by, and the fit failed with a KeyError."""
    unknown_peaks = [r for r in ROWS if r["accelerator"] == "kunlunxin_p800"]
    assert unknown_peaks
    path = written(tmp_path, unknown_peaks[:1])
    code, err = _calibrate(path)
    line, column = line_and_column(path, '"kunlunxin_p800"')
    assert code == 1 and f"rows.json:{line}:{column}" in err
    assert "no row of a chip with known peaks" in err


def test_leave_one_out_on_more_rows_than_it_can_fit_in_minutes_is_refused(tmp_path: Path) -> None:
    rows = [dict(ROWS[i % len(ROWS)], id=f"r{i}") for i in range(MAX_LEAVE_ONE_OUT_ROWS + 1)]
    path = written(tmp_path, rows)
    err = io.StringIO()
    code = main(["calibrate", str(path), "--leave-one-out"], stdout=io.StringIO(), stderr=err)
    assert code == 2 and f"at most {MAX_LEAVE_ONE_OUT_ROWS} rows" in err.getvalue()

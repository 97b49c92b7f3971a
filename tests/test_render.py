"""Renderers: JSON against its own schema, SARIF against the official 2.1.0 schema."""

from __future__ import annotations

import json

import jsonschema
from ccc.api import check
from ccc.front.resolve import Options
from ccc.render import json as render_json
from ccc.render import sarif, text
from ccc.render.json import Report

from tests.conftest import TESTS

SARIF_SCHEMA = json.loads((TESTS / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text())
CASE = TESTS / "cases" / "values" / "conflicting_keys.cc"


def diagnostics():
    result = check([CASE], Options(cwd=CASE.parent))
    assert len(result.diagnostics) >= 2
    return result


def test_sarif_is_valid_sarif_2_1_0() -> None:
    log = json.loads(sarif.render(diagnostics().diagnostics))
    jsonschema.validate(log, SARIF_SCHEMA)
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert results[0]["ruleId"] == "CC2011"
    assert rules[results[0]["ruleIndex"]]["id"] == "CC2011"
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (10, 3)
    assert results[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 8


def test_json_report_validates_against_its_schema() -> None:
    report = json.loads(render_json.render(diagnostics().diagnostics))
    jsonschema.validate(report, Report.model_json_schema())
    assert report["errors"] == len(report["diagnostics"])
    assert report["diagnostics"][0]["span"]["line"] == 10


def test_rendering_is_byte_identical_across_runs() -> None:
    first, second = diagnostics(), diagnostics()
    assert sarif.render(first.diagnostics) == sarif.render(second.diagnostics)
    assert text.render(first.diagnostics, first.sources) == text.render(
        second.diagnostics, second.sources
    )


def test_colour_only_when_asked() -> None:
    result = diagnostics()
    assert "\x1b[" not in text.render(result.diagnostics, result.sources)
    assert "\x1b[" in text.render(result.diagnostics, result.sources, colour=True)


def test_durations_read_in_the_unit_that_fits() -> None:
    from ccc.render import duration

    assert [duration(s) for s in (0.0283, 2.468, 119.0, 972.0, 57991.76)] == [
        "28.3 ms",
        "2.47 s",
        "119.00 s",
        "16.2 min",
        "16.1 h",
    ]

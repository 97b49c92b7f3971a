"""Core: JSON Schemas of the IR blocks and of every JSON document ccc prints, by name."""

from __future__ import annotations

from typing import Any

from ccc.calibration.fit import CalibrationReport
from ccc.calibration.measurements import MeasurementFile
from ccc.hardware.graph import GraphView, RouteView
from ccc.ir import KINDS, Contract, Section, keys_of, section_class
from ccc.performance.factors import FactorTable
from ccc.plans import PlanFile, PlanReport
from ccc.render import dumps
from ccc.render.json import CompileReport, Report
from ccc.targets._base import Inventory
from ccc.targets._launch import LaunchFile
from ccc.targets.bench import BenchFile
from pydantic import BaseModel

__all__ = ["SCHEMAS", "schema_json"]

SCHEMAS: dict[str, type[BaseModel]] = {
    **KINDS,
    "contract": Contract,
    "report": Report,
    "compile": CompileReport,  # `ccc compile --format json`
    "plan": PlanFile,  # plan.json of `ccc compile`
    "plans": PlanReport,  # `ccc plan --format json`
    "launch": LaunchFile,  # launch.json of every engine target
    "inventory": Inventory,  # `ccc compile --inventory FILE`
    "bench": BenchFile,  # bench.json of the bench target
    "graph": GraphView,  # one cluster of `ccc graph --format json`
    "route": RouteView,  # `ccc graph --between DEVICES --format json`
    "measurements": MeasurementFile,  # the input of `ccc calibrate`
    "calibration": CalibrationReport,  # `ccc calibrate --format json`
    "factors": FactorTable,  # `ccc calibrate --write-factors FILE`
}


def schema_json(name: str) -> str:
    model = SCHEMAS[name]
    schema = model.model_json_schema()
    if issubclass(model, Section):
        _describe(schema, schema, model)
    return dumps(schema)


def _describe(schema: dict[str, Any], node: dict[str, Any], cls: type[Section]) -> None:
    """Each key of an IR block, and of its nested sections, with its meaning (the `Key`'s
    doc, the one table the language reads too) as its JSON Schema description."""
    keys = keys_of(cls)
    for name, prop in node.get("properties", {}).items():
        key = keys.get(name)
        if key is None:
            continue
        prop.setdefault("description", key.doc)
        if key.type == "section":
            nested = section_class(cls, name)
            _describe(schema, schema.get("$defs", {}).get(nested.__name__, {}), nested)

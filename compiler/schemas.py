"""Core: JSON Schemas of the IR blocks and of every JSON document ccc prints, by name."""

from __future__ import annotations

from ccc.calibration.fit import CalibrationReport
from ccc.calibration.measurements import MeasurementFile
from ccc.hardware.graph import GraphView, RouteView
from ccc.ir import KINDS, Contract
from ccc.performance.factors import FactorTable
from ccc.plans import PlanFile, PlanReport
from ccc.render import dumps
from ccc.render.json import Report
from ccc.targets._base import Inventory
from ccc.targets._launch import LaunchFile
from ccc.targets.bench import BenchFile
from pydantic import BaseModel

__all__ = ["SCHEMAS", "schema_json"]

SCHEMAS: dict[str, type[BaseModel]] = {
    **KINDS,
    "contract": Contract,
    "report": Report,
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
    return dumps(SCHEMAS[name].model_json_schema())

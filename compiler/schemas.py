"""JSON Schemas of the IR blocks and of every JSON document ccc prints, by name."""

from __future__ import annotations

from ccc.ir import KINDS, Contract
from ccc.render import dumps
from ccc.render.json import Report
from pydantic import BaseModel

__all__ = ["SCHEMAS", "schema_json"]

SCHEMAS: dict[str, type[BaseModel]] = {**KINDS, "contract": Contract, "report": Report}


def schema_json(name: str) -> str:
    return dumps(SCHEMAS[name].model_json_schema())

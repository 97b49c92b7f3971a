"""Targets, plan.json: the chosen plan, its rank table, memory and prediction, and its provenance.

Written for every deployment, whatever its toolkit: it is what a reviewer reads and what
`ccc validate` re-checks. Its schema is `ccc schema plan` (pydantic, versioned).
"""

from __future__ import annotations

from ccc.plans import PlanFile
from ccc.targets._base import Artifact, Build, Output, service_url
from ccc.targets._launch import EngineOutput

NAME = "plan"
KIND = "report"
# Not drift (`ccc validate`): the predictions and memory figures change with ccc's model,
# not with the contract; the version and digest are a record.
NOT_OWNED = ("ccc_version", "contract_digest", "plan.performance", "plan.roles*.memory")
DESCRIPTION = "plan.json: degrees, rank table, memory, predicted performance, provenance"


def applies(build: Build) -> bool:
    return True


def emit(build: Build, engine: EngineOutput | None) -> Output:
    document = PlanFile(
        ccc_version=build.version,
        contract_digest=build.digest,
        deployment=build.name,
        model=build.deployment.model or "",
        toolkit=build.deployment.toolkit or "",
        cluster=build.deployment.cluster or "",
        accelerator=build.accelerator.name,
        devices=sum(role.devices for role in build.roles),
        endpoint=service_url(build),
        served_model=build.served_name,
        plan=build.plan,
    )
    return Output([Artifact("plan.json", "json", document.model_dump(mode="json"))])

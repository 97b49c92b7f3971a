"""Front end: whether a deployment's toolkit runs its chip, precisions and parallelism.

In: a resolved `Contract` and one deployment. Out: CC3008 (the toolkit does not support the
accelerator or any it extends, a precision, or a kind of parallelism the contract fixes) and
CC3009 (support claimed but undocumented). A contract check, so `ccc check` refuses what no plan
could run; placement asks `implements` which `auto` degrees it may try.
"""

from __future__ import annotations

from ccc import codes
from ccc.diagnostics import Code, Diagnostic
from ccc.hardware.memory import precisions
from ccc.ir import Accelerator, Contract, Deployment, Toolkit
from ccc.precision import DTYPE_BYTES

__all__ = ["chip_dtypes", "implements", "served", "smaller_kv_cache", "toolkit_support"]

_KIND_NAMES = {
    "tp": "tensor parallelism",
    "pp": "pipeline parallelism",
    "ep": "expert parallelism",
    "attention_dp": "attention data parallelism inside an instance",
    "pd": "prefill/decode disaggregation",
}


def implements(toolkit: Toolkit | None, kind: str) -> bool:
    """Whether the toolkit implements a kind of parallelism (an unstated list: all of them)."""
    return toolkit is None or not toolkit.parallelism or kind in toolkit.parallelism


def toolkit_support(contract: Contract, deployment: Deployment) -> list[Diagnostic]:
    """What the deployment's toolkit cannot run of it, at the keys that ask for it."""
    toolkit = contract.toolkits.get(deployment.toolkit or "")
    accelerator = _accelerator_of(contract, deployment)
    model = contract.models.get(deployment.model or "")
    if toolkit is None or accelerator is None or model is None:
        return []  # a broken reference, already reported by resolve
    out = _chip_support(contract, deployment, toolkit, accelerator)
    dtypes = precisions(model, deployment)
    lineage = _lineage(contract, accelerator.name)
    for key, dtype in (("weights", dtypes.weights), ("kv_cache", dtypes.kv_cache)):
        allowed, chip = served(toolkit, key, lineage)
        if allowed and dtype not in allowed:
            on = f" on `{chip}`" if chip else ""
            out.append(
                _support(
                    deployment,
                    codes.TOOLKIT_UNSUPPORTED,
                    key,
                    f"`{toolkit.name}` does not serve {dtype} {key.replace('_', ' ')}{on}",
                    f"it serves{on}: {', '.join(allowed)}",
                )
            )
    for kind, key in _kinds_used(deployment):
        if not implements(toolkit, kind):
            out.append(
                _support(
                    deployment,
                    codes.TOOLKIT_UNSUPPORTED,
                    key,
                    f"`{toolkit.name}` does not implement {_KIND_NAMES[kind]}",
                    f"it implements: {', '.join(toolkit.parallelism)}; "
                    + ("drop the prefill/decode split" if kind == "pd" else f"leave `{key}` auto"),
                )
            )
    return out


def served(toolkit: Toolkit, key: str, lineage: list[str]) -> tuple[list[str], str | None]:
    """The `key` dtypes ("weights" or "kv_cache") the toolkit serves on a chip of `lineage`
    (the chip, then what it extends): its per-chip list where one names the chip or an
    ancestor (and that name), else its general list."""
    by_chip: dict[str, list[str]] = getattr(toolkit, "chip_" + key)
    chip = next((name for name in lineage if name in by_chip), None)
    return (by_chip[chip], chip) if chip else (getattr(toolkit, key), None)


def chip_dtypes(contract: Contract, toolkit: Toolkit, key: str, accelerator: str) -> list[str]:
    """The `key` dtypes the toolkit serves on `accelerator` (see `served`)."""
    return served(toolkit, key, _lineage(contract, accelerator))[0]


def smaller_kv_cache(contract: Contract, deployment: Deployment) -> str | None:
    """The narrowest KV-cache dtype the deployment's toolkit serves on its chip that is
    narrower than the one it uses, or None (help proposes only what the engine runs)."""
    toolkit = contract.toolkits.get(deployment.toolkit or "")
    accelerator = _accelerator_of(contract, deployment)
    model = contract.models.get(deployment.model or "")
    if toolkit is None or accelerator is None or model is None:
        return None
    current = DTYPE_BYTES[precisions(model, deployment).kv_cache]
    allowed = chip_dtypes(contract, toolkit, "kv_cache", accelerator.name)
    narrower = [d for d in allowed if DTYPE_BYTES[d] < current]
    return min(narrower, key=lambda d: (DTYPE_BYTES[d], d)) if narrower else None


def _chip_support(
    contract: Contract, deployment: Deployment, toolkit: Toolkit, accelerator: Accelerator
) -> list[Diagnostic]:
    # A site's `accelerator ours extends kunlunxin_p800` is supported wherever its base is.
    lineage = _lineage(contract, accelerator.name)
    documented = any(name in toolkit.accelerators for name in lineage)
    if not documented and any(name in toolkit.unverified for name in lineage):
        return [
            _support(
                deployment,
                codes.TOOLKIT_UNVERIFIED,
                "toolkit",
                f"`{toolkit.name}` on `{accelerator.name}` is claimed but no source documents it",
                "verify it on your hardware before relying on the plan",
            )
        ]
    if toolkit.accelerators and not documented:
        fits = [
            t.name
            for t in contract.toolkits.values()
            if any(name in t.accelerators for name in lineage)
        ]
        return [
            _support(
                deployment,
                codes.TOOLKIT_UNSUPPORTED,
                "toolkit",
                f"`{toolkit.name}` does not support `{accelerator.name}`",
                f"toolkits that do: {', '.join(sorted(fits))}"
                if fits
                else "none the contract imports does: `ccc catalog --kind toolkit --format json` lists the "
                "chips each toolkit runs; import one of them from `std/toolkits/`",
            )
        ]
    return []


def _accelerator_of(contract: Contract, deployment: Deployment) -> Accelerator | None:
    cluster = contract.clusters.get(deployment.cluster or "")
    if cluster is None:
        return None
    supernode = contract.supernodes.get(cluster.supernode or "")
    server = contract.servers.get((supernode.server if supernode else cluster.server) or "")
    return contract.accelerators.get(server.accelerator or "") if server else None


def _lineage(contract: Contract, name: str) -> list[str]:
    """`name` and the accelerators it extends, nearest first."""
    chain: list[str] = []
    while name and name not in chain and name in contract.accelerators:
        chain.append(name)
        name = contract.accelerators[name].extends or ""
    return chain


def _kinds_used(d: Deployment) -> list[tuple[str, str]]:
    """Each kind of parallelism the contract fixes, with the key that fixes it (first use)."""
    split = d.prefill is not None and d.decode is not None
    used = {"pd": "decode"} if split else {}
    sections = [("", d.parallel)] + [
        (prefix, role.parallel)
        for prefix, role in (("prefill.", d.prefill), ("decode.", d.decode))
        if role is not None
    ]
    for prefix, parallel in sections:
        for key, kind in (("tp", "tp"), ("pp", "pp"), ("ep", "ep"), ("dp", "attention_dp")):
            value = getattr(parallel, key)
            if isinstance(value, int) and value > 1:
                used.setdefault(kind, f"{prefix}parallel.{key}")
    return list(used.items())


def _support(deployment: Deployment, code: Code, key: str, message: str, help: str) -> Diagnostic:
    return Diagnostic.make(
        code, span=deployment.span_of(key), message=message, label=f"`{key}` here", help=help
    )

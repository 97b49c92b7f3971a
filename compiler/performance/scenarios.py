"""Performance: the scenario the model predicts, read from the IR.

In: a contract, a `System`, the model, toolkit and deployment (for precisions, memory
fraction and workload), one instance's degrees and where it starts. Out: a `performance.Scenario`
whose memory comes from `ccc.hardware.memory` (the one memory model) and whose links come from the
topology tier each group spans. Contracts, `ccc estimate` and calibration rows all come here.
"""

from __future__ import annotations

from typing import NamedTuple

from ccc.hardware.memory import (
    DEFAULT_PREFILL_CHUNK,
    Degrees,
    breakdown,
    device_memory_of,
    precisions,
)
from ccc.hardware.topology import System, Tier, system_of
from ccc.ir import (
    Accelerator,
    Cluster,
    Contract,
    Deployment,
    Model,
    Toolkit,
    Workload,
    build,
    known,
)
from ccc.performance.model import Hardware, Link, Links, Scenario
from ccc.precision import compute_dtype, sixteen_bit_rate

__all__ = ["Traffic", "hardware_of", "instance_system", "scenario", "workload_deployment"]


class Traffic(NamedTuple):
    """The workload one instance sees, in requests of the whole instance."""

    phase: str = "both"
    input_tokens: int = 0
    output_tokens: int = 0
    concurrency: int | None = None
    cached_fraction: float = 0.0
    draft_tokens: int = 0
    acceptance: float = 0.0
    ideal_balance: bool = False
    run_requests: int | None = None  # a benchmark run's requests; None: sustained service
    dataset: str = "fixed"  # how lengths spread about their means (performance.lengths)
    min_fraction: float | None = None  # `random`: the shortest over the longest
    request_rate: float | None = None  # requests/s the client offers; None: all at once
    harness: str = "online"  # online (HTTP clients), offline or profile: the fixed costs paid


def hardware_of(accelerator: Accelerator, weights: str) -> Hardware:
    """Per-die peaks at the rate the weights run at; None where the catalog says unknown."""
    dies = accelerator.dies
    dtype = compute_dtype(weights, accelerator.compute)
    compute = known(accelerator.compute.get(dtype))
    wide = sixteen_bit_rate(accelerator.compute)
    bandwidth = known(accelerator.memory_bw)
    power = known(accelerator.power)
    return Hardware(
        compute=float(compute) / dies if isinstance(compute, (int, float)) else None,
        compute_dtype=dtype,
        attention=None if wide is None else wide / dies,
        bandwidth=float(bandwidth) / dies if isinstance(bandwidth, (int, float)) else None,
        power=float(power) / dies if isinstance(power, (int, float)) else None,
    )


def instance_system(contract: Contract, system_name: str, devices: int) -> System | None:
    """The smallest cluster of server or supernode `system_name` holding `devices` devices."""
    name = f"ccc_instance_of_{system_name}"
    supernode = contract.supernodes.get(system_name)
    server = contract.servers.get(supernode.server or "" if supernode else system_name)
    if server is None:
        return None
    per_server = server.devices or 1  # a server counts runtime devices (dies)
    if supernode is not None:
        size = (supernode.servers or 1) * per_server
        values = {"name": name, "supernode": system_name, "supernodes": -(-devices // size)}
    else:
        values = {"name": name, "server": system_name, "nodes": -(-devices // per_server)}
    clusters = {**contract.clusters, name: build(Cluster, values)}
    return system_of(contract.model_copy(update={"clusters": clusters}), name)


def scenario(
    system: System,
    model: Model,
    toolkit: Toolkit | None,
    deployment: Deployment,
    degrees: Degrees,
    traffic: Traffic,
    first_device: int = 0,
    told: bool = False,
) -> Scenario:
    """One instance of `degrees` starting at `first_device` of `system`, serving `traffic`;
    `told`: ccc's launch sets the engine's batch, so only its hard cap binds, not its
    default."""
    dtypes = precisions(model, deployment)
    accelerator = system.accelerator
    context = max(1, traffic.input_tokens + traffic.output_tokens)
    memory = breakdown(
        model,
        deployment,
        toolkit,
        device_memory_of(accelerator.memory, accelerator.dies),
        degrees,
        context,
    )
    return Scenario(
        model=model,
        hardware=hardware_of(accelerator, dtypes.weights),
        links=_links(system, degrees, first_device),
        degrees=degrees,
        dtypes=dtypes,
        memory=memory,
        phase=traffic.phase,
        input_tokens=traffic.input_tokens,
        output_tokens=traffic.output_tokens,
        concurrency=traffic.concurrency,
        max_batch=batch_limit(toolkit, told),
        prefill_chunk=(toolkit.prefill_chunk if toolkit else None) or DEFAULT_PREFILL_CHUNK,
        cached_fraction=traffic.cached_fraction,
        draft_tokens=traffic.draft_tokens,
        acceptance=traffic.acceptance,
        ideal_balance=traffic.ideal_balance,
        run_requests=traffic.run_requests,
        dataset=traffic.dataset,
        min_fraction=traffic.min_fraction,
        request_rate=traffic.request_rate,
        harness=traffic.harness,
        schedule=toolkit.schedule if toolkit else "mixed",
        kv_admission=toolkit.kv_admission if toolkit else "reserved",
    )


def batch_limit(toolkit: Toolkit | None, told: bool) -> int | None:
    """Sequences one DP rank decodes at most: the engine's hard cap when ccc sets the batch,
    else its default (as a run nobody told ran)."""
    if toolkit is None:
        return None
    return toolkit.batch_cap if told else toolkit.max_batch


def _links(system: System, d: Degrees, first: int) -> Links:
    def span(count: int) -> Link:
        tier: Tier = system.tier_between(first, first + max(count, 1) - 1)
        return Link(tier.bandwidth, tier.latency, tier.name == "scale_out")

    def servers(count: int) -> int:
        """Servers a group of `count` spans over the scale-out network (1: it does not)."""
        last = first + max(count, 1) - 1
        if system.tier_between(first, last).name != "scale_out":
            return 1
        return system.server_of(last) - system.server_of(first) + 1

    stage = d.tp * d.dp
    inside = span(min(d.tp, system.devices_per_server))
    return Links(
        tp=span(d.tp),
        ep=span(stage),
        pp=span(stage + 1 if d.pp > 1 else 1),
        ep_servers=servers(stage),
        tp_servers=servers(d.tp),
        server=inside,
    )


def workload_deployment(name: str, model: str, weights: str, kv_cache: str | None) -> Deployment:
    """A deployment holding only what the memory model reads: precisions."""
    return build(
        Deployment,
        {
            "name": name,
            "model": model,
            "weights": weights,
            "kv_cache": kv_cache,
            "workload": build(Workload, {}),
        },
    )

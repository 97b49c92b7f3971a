"""Targets: the router a prefill/decode deployment is served through, as engines document it.

Nothing sends a request to a prefill instance and then a decode one by itself: each engine
documents a router (SGLang's `sglang_router` in PD mode, vLLM's `vllm-router`,
vllm-ascend's load-balancing proxy). An engine target's `router(build, endpoints)` returns
its launch, told where the instances are as the runner knows them (`Endpoints`: hosts, or
on Kubernetes the pods' labels for routers that watch the API server). A runner starts it
beside the instances and points `bench.sh` at it.
"""

from __future__ import annotations

from ccc.targets._base import Address, Build, Discovery, Notice, Ref, Word

__all__ = ["NO_ROUTER", "disaggregated", "discovery_words", "no_router", "selector", "url"]

NO_ROUTER = "CC5006"  # the engine target starts no router for prefill/decode


def disaggregated(build: Build) -> bool:
    return {role.role for role in build.roles} == {"prefill", "decode"}


def url(address: Address) -> Word:
    """`http://host:port`, the host a runner's reference or a name."""
    host, port = address
    if isinstance(host, Ref):
        return host.after("http://").then(f":{port}")
    return f"http://{host}:{port}"


def selector(labels: dict[str, str]) -> list[str]:
    """Labels as `key=value` words, the form the routers' `--*-selector` flags take."""
    return [f"{key}={value}" for key, value in sorted(labels.items())]


def discovery_words(found: Discovery) -> list[Word]:
    """sglang-router's Kubernetes discovery, which vllm-router (its fork) keeps: the pods of
    each role by label, their port, and the namespace to watch (router_args.py)."""
    return [
        "--service-discovery",
        "--prefill-selector",
        *selector(found.prefill),
        "--decode-selector",
        *selector(found.decode),
        "--service-discovery-port",
        str(found.port),
        "--service-discovery-namespace",
        found.namespace,
    ]


def no_router(build: Build, engine: str, reason: str) -> tuple[Notice, ...]:
    """CC5006 for a disaggregated deployment whose engine target starts no router."""
    if not disaggregated(build):
        return ()
    return (
        Notice(
            NO_ROUTER,
            message=f"ccc starts no prefill/decode router for {engine}: {reason}",
            span=build.deployment.span_of("prefill"),
            label="a disaggregated deployment",
            help="serve it unified (drop `prefill` and `decode`), or use an engine whose "
            "router ccc starts (SGLang, vLLM, vllm-ascend)",
        ),
    )

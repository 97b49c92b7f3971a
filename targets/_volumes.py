"""Targets, Kubernetes: what a pod mounts besides its files, from the site facts a contract
states: where the checkpoint is (`storage`), who mounts the accelerator driver
(`scheduling.device_mounts`), whether pods use the node's network
(`scheduling.host_network`) and how a pod that uses the host's RDMA NICs gets their devices
(`scheduling.rdma_resource`, `scheduling.rdma_devices`).

A checkpoint given as a path is read from that path on the node unless a claim holds it; a
Hugging Face repository id is downloaded into the cache, which lives as long as the pod
unless `storage.cache_claim` keeps it (CC5007 says so), with the token from
`storage.token_secret`.
"""

from __future__ import annotations

import posixpath
from typing import Any, NamedTuple

from ccc.targets._base import Build, Notice

__all__ = ["WEIGHTS_DOWNLOADED", "PodExtras", "pod_extras", "storage_notices"]

WEIGHTS_DOWNLOADED = "CC5007"
HF_CACHE = "/root/.cache/huggingface"  # HF_HOME in the engines' images (they run as root)
# What the Ascend Docker Runtime mounts into a container, which a manifest must mount where
# the cluster runs without it (Ascend/ascend-docker-runtime; the vllm-ascend and MindIE
# `docker run` guides: --device /dev/davinci_manager, /dev/devmm_svm, /dev/hisi_hdc and -v
# for the driver, npu-smi, dcmi and ascend_install.info; vendor document).
ASCEND_FILES = (
    ("ascend-driver", "/usr/local/Ascend/driver", "Directory"),
    ("ascend-npu-smi", "/usr/local/sbin/npu-smi", "File"),
    ("ascend-dcmi", "/usr/local/dcmi", "Directory"),
    ("ascend-install-info", "/etc/ascend_install.info", "File"),
    ("davinci-manager", "/dev/davinci_manager", "CharDevice"),
    ("devmm-svm", "/dev/devmm_svm", "CharDevice"),
    ("hisi-hdc", "/dev/hisi_hdc", "CharDevice"),
)
ASCEND_VENDORS = ("Huawei",)
# The host's RDMA devices as SGLang's LeaderWorkerSet PD guide gives them to its pods
# (sgl-project/sglang docs/references/multi_node_deployment/lws_pd/lws-examples/p.yaml: a
# hostPath /dev/infiniband, privileged, IPC_LOCK; third party, the engine's own guide).
# IPC_LOCK lets the verbs library pin the memory it registers (ibv_reg_mr).
RDMA_DEVICES = "/dev/infiniband"
PIN_MEMORY = {"capabilities": {"add": ["IPC_LOCK"]}}


class PodExtras(NamedTuple):
    volumes: list[dict[str, Any]]
    mounts: list[dict[str, Any]]
    env: list[dict[str, Any]]
    pod: dict[str, Any]  # pod-level fields (hostNetwork, dnsPolicy)
    security: dict[str, Any]  # the container's securityContext
    resources: dict[str, int]  # extended resources besides the accelerators


def pod_extras(build: Build, rdma: bool) -> PodExtras:
    """What a pod mounts and asks for; `rdma`: it uses the host's RDMA NICs."""
    volumes, mounts, env = _weights(build)
    pod: dict[str, Any] = {}
    security: dict[str, Any] = {}
    resources: dict[str, int] = {}
    scheduling = build.deployment.scheduling
    if scheduling.host_network:
        # the pod's address is the node's, for RDMA and rendezvous on the host NICs; DNS
        # still resolves Services (ClusterFirstWithHostNet)
        pod = {"hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet"}
    if scheduling.device_mounts == "manifest" and build.accelerator.vendor in ASCEND_VENDORS:
        for name, path, kind in ASCEND_FILES:
            volumes.append({"name": name, "hostPath": {"path": path, "type": kind}})
            read_only = not path.startswith("/dev/")
            mounts.append({"name": name, "mountPath": path, "readOnly": read_only})
        # without the runtime the davinci devices are opened from the host's /dev
        security = {"privileged": True}
    if rdma and scheduling.rdma_resource:
        resources[scheduling.rdma_resource] = 1  # the device plugin hands the pod its devices
        security = {**security, **PIN_MEMORY}
    elif rdma and scheduling.rdma_devices != "runtime":
        volumes.append({"name": "rdma", "hostPath": {"path": RDMA_DEVICES, "type": "Directory"}})
        mounts.append({"name": "rdma", "mountPath": RDMA_DEVICES})
        security = {**security, "privileged": True, **PIN_MEMORY}
    return PodExtras(volumes, mounts, env, pod, security, resources)


def _weights(
    build: Build,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    storage, checkpoint = build.deployment.storage, build.checkpoint
    if storage.claim:
        where = storage.mount or (checkpoint if build.checkpoint_is_path else "/models")
        claim = {"claimName": storage.claim, "readOnly": True}
        return (
            [{"name": "weights", "persistentVolumeClaim": claim}],
            [{"name": "weights", "mountPath": where, "readOnly": True}],
            [],
        )
    if storage.host_path or build.checkpoint_is_path:
        path = storage.host_path or checkpoint
        return (
            [{"name": "weights", "hostPath": {"path": path, "type": "Directory"}}],
            [{"name": "weights", "mountPath": path, "readOnly": True}],
            [],
        )
    volumes: list[dict[str, Any]] = []
    mounts: list[dict[str, Any]] = []
    env: list[dict[str, Any]] = [{"name": "HF_HOME", "value": HF_CACHE}]
    if storage.cache_claim:
        volumes.append(
            {"name": "hf-cache", "persistentVolumeClaim": {"claimName": storage.cache_claim}}
        )
        mounts.append({"name": "hf-cache", "mountPath": HF_CACHE})
    if storage.token_secret:
        secret = {"name": storage.token_secret, "key": "token"}
        env.append({"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": secret}})
    return volumes, mounts, env


def storage_notices(build: Build) -> tuple[Notice, ...]:
    """CC5007 when every pod start downloads the weights: a repository id with no claim
    holding them and no cache kept between starts."""
    storage, checkpoint = build.deployment.storage, build.checkpoint
    if build.checkpoint_is_path or storage.claim or storage.host_path or storage.cache_claim:
        return ()
    folder = posixpath.basename(checkpoint.rstrip("/"))
    return (
        Notice(
            WEIGHTS_DOWNLOADED,
            message=f"every pod downloads `{checkpoint}` again when it starts",
            span=build.deployment.span_of("checkpoint") or build.deployment.span,
            label="a repository id, with nowhere to keep it",
            help='keep the Hugging Face cache: `storage { cache_claim = "..." }` (and '
            '`token_secret = "..."` for a gated model), or point `checkpoint` at a copy '
            f'(`checkpoint = "/models/{folder}"`, read from the node or `storage.claim`)',
        ),
    )

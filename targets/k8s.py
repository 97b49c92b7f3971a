"""Targets, Kubernetes: the engine's launches as workloads, one per role.

An instance on one node is a Deployment (replicas = instances) behind a Service. An instance
over several nodes is a LeaderWorkerSet (leaderworkerset.x-k8s.io/v1): size = nodes of one
instance, replicas = instances, the leader serving HTTP behind the Service, and, on a
supernode, a pod affinity that keeps every pod of a group inside one supernode (the
scale-up fabric the plan's collectives assume). Each pod asks the vendor device plugin for
the devices it uses on its node, mounts a memory-backed /dev/shm and is ready when the
engine's health endpoint answers.
"""

from __future__ import annotations

from typing import Any

from ccc.plans import RolePlan
from ccc.targets import engine_for
from ccc.targets._base import (
    LEADER_ADDRESS,
    NODE_ADDRESS,
    NODE_ADDRESSES,
    NODE_RANK,
    PORT,
    Address,
    Artifact,
    Build,
    Discovery,
    Endpoints,
    Launch,
    Notice,
    Output,
    Ref,
    Word,
    role_nodes,
    shell_line,
)
from ccc.targets._files import render
from ccc.targets._launch import EngineOutput, header, reasons, source_lines
from ccc.targets._router import disaggregated
from ccc.targets._volumes import pod_extras, storage_notices

NAME = "k8s"
KIND = "runner"
WRAPS_ENGINE = True  # its pods run the engine's launches
# Not drift (`ccc validate`): the ccc version and digest are a record; probe timings and the
# shared-memory size are the site's to tune.
NOT_OWNED = (
    "*.annotations.ccc.dev/version",
    "*.annotations.ccc.dev/contract-digest",
    "*Probe.periodSeconds",
    "*Probe.failureThreshold",
    "*.emptyDir.sizeLimit",
)
DESCRIPTION = "Kubernetes: Deployment + Service, or LeaderWorkerSet for multi-node instances"
LWS_API = "leaderworkerset.x-k8s.io/v1"
# What LeaderWorkerSet injects into every pod of a group (kubernetes-sigs/lws, pkg/utils).
_LWS_ENV = {LEADER_ADDRESS.name: "LWS_LEADER_ADDRESS", NODE_RANK.name: "LWS_WORKER_INDEX"}
GROUP_INDEX = "leaderworkerset.sigs.k8s.io/group-index"
LWS_WORKER_INDEX = "leaderworkerset.sigs.k8s.io/worker-index"  # "0" on each group's leader
LWS_NAME = "leaderworkerset.sigs.k8s.io/name"
DEFAULT_SUPERNODE_KEY = "ccc.dev/supernode"  # documented default when `scheduling` names none
# The IPs of a group's pods, leader first, once each name resolves. LeaderWorkerSet names the
# leader `<lws>-<group>.<lws>.<namespace>` (LWS_LEADER_ADDRESS) and worker i
# `<lws>-<group>-<i>` in the same subdomain (kubernetes-sigs/lws pkg/utils, docs: "Env vars")
GROUP_ADDRESSES = (
    'first="${LWS_LEADER_ADDRESS%%.*}"; rest="${LWS_LEADER_ADDRESS#*.}"; '
    "CCC_NODE_ADDRESSES=; i=0; "
    'while [ "$i" -lt "$LWS_GROUP_SIZE" ]; do '
    'if [ "$i" = 0 ]; then h="$LWS_LEADER_ADDRESS"; else h="$first-$i.$rest"; fi; '
    'until a="$(getent hosts "$h" | cut -d " " -f 1)" && [ -n "$a" ]; do sleep 2; done; '
    'CCC_NODE_ADDRESSES="${CCC_NODE_ADDRESSES:+$CCC_NODE_ADDRESSES,}$a"; i=$((i + 1)); done'
)
SHM = "16Gi"  # shared memory for the engine's worker processes (NCCL/HCCL and tokenizers)


def applies(build: Build) -> bool:
    return engine_for(build.toolkits) is not None


def emit(build: Build, engine: EngineOutput | None) -> Output:
    target = engine_for(build.toolkits)
    assert engine is not None and target is not None  # applies() said so
    engine_files = {a.path: a for a in engine.artifacts}
    image = (
        build.deployment.image
        or f"<image of {target.NAME}: set `image` in deployment {build.name}>"
    )
    out = []
    for role in build.roles:
        mine = [launch for launch in engine.launches if launch.role == role.role]
        out.append(_role_manifest(build, role, mine, image, engine_files))
    router = target.router(build, _endpoints(build)) if disaggregated(build) else None
    if router is not None:
        out.append(_router_manifest(build, router, build.deployment.router_image or image))
    return Output(out, _placeholders(build) + storage_notices(build))


NAMESPACE = Ref("CCC_NAMESPACE")  # the pod's own namespace (downward API)


def _endpoints(build: Build) -> Endpoints:
    """Each role's Service, and the labels of the pods that serve it (node 0 of each
    instance) for a router that watches the API server."""
    names, serving = {}, {}
    for role in build.roles:
        names[role.role] = _name(build, role)
        labels = _labels(build, role)
        if role_nodes(build, role)[0] > 1:
            labels = {**labels, LWS_WORKER_INDEX: "0"}
        serving[role.role] = labels
    return Endpoints(
        prefill=(Address(names["prefill"], build.port),),
        decode=(Address(names["decode"], build.port),),
        discovery=Discovery(serving["prefill"], serving["decode"], NAMESPACE, build.port),
    )


def _router_manifest(build: Build, router: Launch, image: str) -> Artifact:
    """The router as a Deployment behind the deployment's own Service name (what clients
    and bench.sh call), with the RBAC to list pods when it discovers them itself."""
    base = build.name.replace("_", "-").lower()
    name = f"{base}-router"
    labels = {**_labels(build, build.roles[0]), "app.kubernetes.io/component": "router"}
    container: dict[str, Any] = {"name": "router", "image": image}
    container.update(_command(router))
    env = _env(router)
    if env:
        container["env"] = env
    container["ports"] = [{"name": "http", "containerPort": router.port, "protocol": "TCP"}]
    container["readinessProbe"] = _probe(router, failures=3)
    pod: dict[str, Any] = {"containers": [container]}
    documents: list[dict[str, Any]] = []
    if router.watches_pods:
        pod["serviceAccountName"] = name
        documents += _pod_reader(build, name, labels)
    documents.append(_deployment(build, 1, name, labels, pod))
    documents.append(_service(build, base, labels, labels, router.port))
    why = {**router.why, "image": "the contract's router_image, else its image"}
    return Artifact(
        f"{name}.yaml",
        "yaml",
        documents,
        header=header(build, "Kubernetes manifests of the prefill/decode router"),
        why=why,
        role="router",
    )


def _pod_reader(build: Build, name: str, labels: dict[str, str]) -> list[dict[str, Any]]:
    """A ServiceAccount allowed to read and watch the pods of its own namespace."""
    meta = _metadata(build, name, labels)
    rule = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}
    subject = {"kind": "ServiceAccount", "name": name}
    if build.deployment.namespace:
        subject["namespace"] = build.deployment.namespace
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": meta,
            "rules": [rule],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": meta,
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
            "subjects": [subject],
        },
    ]


def _placeholders(build: Build) -> tuple[Notice, ...]:
    """What the manifests leave for the site to fill in: the image, the device plugin's
    resource name and, for a group over a supernode's servers, the label naming each node's
    supernode."""
    found = []
    if not build.deployment.image:
        found.append(
            build.placeholder(
                "the container image",
                "the Kubernetes manifests",
                'set `image = "..."` in the deployment',
            )
        )
    a = build.accelerator
    if not (a.k8s_resource or a.hami_resource):
        found.append(
            build.placeholder(
                "the device plugin's resource name",
                "the Kubernetes resource limits",
                f"state `k8s_resource` for `{a.name}` in a site catalog (`extends`)",
            )
        )
    grouped = any(role_nodes(build, role)[0] > 1 for role in build.roles)
    if grouped and _affinity_placeholder(build):
        found.append(
            build.placeholder(
                "the node label naming each node's supernode",
                f"the pod affinity (label `{DEFAULT_SUPERNODE_KEY}`)",
                'set `scheduling { supernode_key = "..." }` to the label your nodes carry',
            )
        )
    return tuple(found)


def _affinity_placeholder(build: Build) -> bool:
    """Whether the pods of a group keep to one supernode by a label the contract left out."""
    return build.layout.supernode is not None and build.deployment.scheduling.supernode_key is None


def _name(build: Build, role: RolePlan) -> str:
    base = build.name.replace("_", "-").lower()
    return base if role.role == "serve" else f"{base}-{role.role}"


def _labels(build: Build, role: RolePlan) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": build.name.replace("_", "-").lower(),
        "app.kubernetes.io/component": role.role,
        "app.kubernetes.io/managed-by": "ccc",
    }


def _metadata(build: Build, name: str, labels: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if build.deployment.namespace:
        meta["namespace"] = build.deployment.namespace
    meta["labels"] = labels
    meta["annotations"] = {
        "ccc.dev/version": build.version,
        "ccc.dev/contract-digest": build.digest,
    }
    return meta


def _role_manifest(
    build: Build, role: RolePlan, launches: list[Launch], image: str, engine_files: dict
) -> Artifact:
    name, labels = _name(build, role), _labels(build, role)
    nodes, per_node = role_nodes(build, role)
    documents: list[dict[str, Any]] = []
    files = {path for launch in launches for path, _ in launch.files}
    if files:
        data = {path: render(engine_files[path]).decode() for path in sorted(files)}
        documents.append(
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _metadata(build, f"{name}-files", labels), "data": data}
        )  # fmt: skip
    leader = _pod(build, role, launches[0], image, per_node, f"{name}-files")
    if nodes == 1:
        notes = dict(launches[0].annotations)
        documents.append(_deployment(build, role.replicas, name, labels, leader, notes))
        selector = labels
    else:
        worker = _pod(build, role, launches[1], image, per_node, f"{name}-files")
        notes = dict(launches[0].annotations)
        documents.append(
            _leader_worker_set(build, role, name, labels, nodes, leader, worker, notes)
        )
        selector = {**labels, LWS_WORKER_INDEX: "0"}
    documents.append(_service(build, name, labels, selector, launches[0].port))
    why = {
        **reasons(launches),
        "replicas": f"the plan runs {role.replicas} {role.role} instance(s)",
        "size": f"an instance of the plan spans {nodes} nodes",
        _resource_name(build): f"the instance uses {per_node} devices of each node",
        "image": "the contract's image",
        "topologyKey": "an instance stays inside one supernode",
    }
    return Artifact(
        f"{name}.yaml",
        "yaml",
        documents,
        header=header(build, f"Kubernetes manifests of the {role.role} role"),
        why=why,
        role=role.role,
    )


def _deployment(
    build: Build,
    replicas: int,
    name: str,
    labels: dict[str, str],
    pod: dict[str, Any],
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    template: dict[str, Any] = {"labels": labels}
    if annotations:
        template["annotations"] = annotations
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _metadata(build, name, labels),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": template, "spec": pod},
        },
    }


def _template(labels: dict[str, str], annotations: dict[str, str]) -> dict[str, Any]:
    return {"labels": labels, **({"annotations": annotations} if annotations else {})}


def _leader_worker_set(
    build: Build,
    role: RolePlan,
    name: str,
    labels: dict[str, str],
    nodes: int,
    leader: dict[str, Any],
    worker: dict[str, Any],
    annotations: dict[str, str],
) -> dict[str, Any]:
    if build.layout.supernode is not None:
        for pod in (leader, worker):
            pod["affinity"] = _same_supernode(build, name)
    return {
        "apiVersion": LWS_API,
        "kind": "LeaderWorkerSet",
        "metadata": _metadata(build, name, labels),
        "spec": {
            "replicas": role.replicas,
            "startupPolicy": "LeaderCreated",
            "leaderWorkerTemplate": {
                "size": nodes,
                # a lost node breaks the instance's collectives: restart the whole group
                "restartPolicy": "RecreateGroupOnPodRestart",
                "leaderTemplate": {"metadata": _template(labels, annotations), "spec": leader},
                "workerTemplate": {"metadata": {"labels": labels}, "spec": worker},
            },
        },
    }


def _same_supernode(build: Build, name: str) -> dict[str, Any]:
    """Every pod of one group on nodes of one supernode (the group's scale-up domain)."""
    key = build.deployment.scheduling.supernode_key or DEFAULT_SUPERNODE_KEY
    term = {
        "labelSelector": {"matchLabels": {LWS_NAME: name}},
        "matchLabelKeys": [GROUP_INDEX],
        "topologyKey": key,
    }
    return {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}


def _service(
    build: Build, name: str, labels: dict[str, str], selector: dict[str, str], port: int
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _metadata(build, name, labels),
        "spec": {
            "selector": selector,
            "ports": [{"name": "http", "port": port, "targetPort": port, "protocol": "TCP"}],
        },
    }


def _pod(
    build: Build, role: RolePlan, launch: Launch, image: str, devices: int, files: str
) -> dict[str, Any]:
    extras = pod_extras(build, launch.rdma)
    container: dict[str, Any] = {"name": "engine", "image": image}
    container.update(_command(launch))
    env = _env(launch) + extras.env
    if env:
        container["env"] = env
    container["ports"] = [{"name": "http", "containerPort": launch.port, "protocol": "TCP"}]
    container["ports"] += [
        {"name": name, "containerPort": port, "protocol": "TCP"} for name, port in launch.ports
    ]
    resource = _resource_name(build)
    wanted = {resource: devices, **extras.resources}
    container["resources"] = {"limits": wanted, "requests": dict(wanted)}
    mounts = [{"name": "dshm", "mountPath": "/dev/shm"}]
    mounts += [{"name": "files", "mountPath": dest, "subPath": path} for path, dest in launch.files]
    container["volumeMounts"] = mounts + extras.mounts
    if extras.security:
        container["securityContext"] = extras.security
    if launch.serves:
        container["readinessProbe"] = _probe(launch, failures=3)
        # loading weights takes minutes: allow up to an hour before the first answer
        container["startupProbe"] = _probe(launch, failures=360)
    volumes: list[dict[str, Any]] = [
        {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": SHM}}
    ]
    if launch.files:
        volumes.append(
            {"name": "files", "configMap": {"name": files, "defaultMode": launch.files_mode}}
        )
    pod: dict[str, Any] = {"containers": [container], "volumes": volumes + extras.volumes}
    pod.update(extras.pod)
    selector = dict(build.deployment.scheduling.node_selector)
    if selector:
        pod["nodeSelector"] = selector
    return pod


def _probe(launch: Launch, failures: int) -> dict[str, Any]:
    """An HTTP probe of the engine's health endpoint every 10 s."""
    port = launch.health_port or launch.port
    return {
        "httpGet": {"path": launch.health, "port": port},
        "periodSeconds": 10,
        "failureThreshold": failures,
    }


def _resource_name(build: Build) -> str:
    a = build.accelerator
    return a.k8s_resource or a.hami_resource or "example.com/accelerator"


def _command(launch: Launch) -> dict[str, Any]:
    """argv as Kubernetes command/args; through `sh -c` when a word needs arithmetic."""
    setup = [list(c) for c in launch.setup]
    # each pod has its own IP: the contract's port, never a runner's offset
    launch = launch._replace(argv=[str(launch.port) if w == PORT else w for w in launch.argv])
    words = [_k8s(w) for w in launch.argv]
    resolves = launch.uses(NODE_ADDRESSES)
    if not setup and not launch.sources and not resolves and all(w is not None for w in words):
        return {"command": [words[0]], "args": words[1:]}
    lines = [shell_line([_lws(w) for w in c]) for c in [*setup, launch.argv]]
    lines[-1] = "exec " + lines[-1]
    prologue = source_lines(launch.sources)
    if resolves:
        prologue.append(GROUP_ADDRESSES)
    return {"command": ["/bin/sh", "-c"], "args": ["; ".join([*prologue, " && ".join(lines)])]}


def _lws(word: Word) -> Word:
    """A runner reference as the variable LeaderWorkerSet or the pod spec provides."""
    if isinstance(word, Ref) and word.name in _LWS_ENV:
        return word._replace(name=_LWS_ENV[word.name])
    return word


def _k8s(word: Word) -> str | None:
    word = _lws(word)
    if not isinstance(word, Ref):
        return word
    return None if word.times != 1 else f"{word.prefix}$({word.name}){word.suffix}"


def _env(launch: Launch) -> list[dict[str, Any]]:
    """The engine's environment; this node's address from the pod's IP, defined first so
    later values may refer to it."""
    env: list[dict[str, Any]] = []
    if launch.uses(NODE_ADDRESS):
        env.append(
            {"name": NODE_ADDRESS.name, "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}
        )
    if launch.uses(NAMESPACE):
        field = {"fieldRef": {"fieldPath": "metadata.namespace"}}
        env.append({"name": NAMESPACE.name, "valueFrom": field})
    for name, value in sorted(launch.env.items()):
        rendered = _k8s(value)
        env.append({"name": name, "value": rendered if rendered is not None else ""})
    return env

"""Targets: what every target shares, the build it reads, the launch an engine returns, the
artifact and notices a target returns.

A target sees only the finished plan (`ccc.plans.Plan`, with its rank table and prediction)
and the IR, never the parser or the CLI. Engine targets return a `Launch` per role and node
of an instance; runner targets wrap them. Words of a command line stay a list (an argv), so
runners quote them with `shlex` or hand them to Kubernetes as they are, and `ccc validate`
compares flags, not text. A word that only the runner knows (the leader's address, the node's
rank) is a `Ref`, rendered by each runner (`$(NAME)` for Kubernetes, `"${NAME}"` for a shell).
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from ccc.ir import Accelerator, Contract, Deployment, Model, Toolkit, lineage
from ccc.plans import Layout, Plan, RolePlan
from ccc.span import Span
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "HOST_ADDRESS",
    "LEADER_ADDRESS",
    "NODE_ADDRESS",
    "NODE_ADDRESSES",
    "NODE_RANK",
    "PORT",
    "Address",
    "Artifact",
    "Build",
    "Discovery",
    "Endpoints",
    "Inventory",
    "InventoryHost",
    "Launch",
    "Notice",
    "Output",
    "Ref",
    "Word",
    "role_nodes",
    "service_url",
    "shell_line",
    "shell_word",
]

Format = Literal["yaml", "json", "shell", "text"]


class Ref(NamedTuple):
    """An environment variable a runner sets: the word is its value at start-up, times
    `times` (shell arithmetic), between `prefix` and `suffix` (e.g. `http://` and `:8000`)."""

    name: str
    times: int = 1
    suffix: str = ""
    prefix: str = ""

    def scaled(self, times: int) -> Ref:
        return self._replace(times=self.times * times)

    def then(self, suffix: str) -> Ref:
        return self._replace(suffix=self.suffix + suffix)

    def after(self, prefix: str) -> Ref:
        return self._replace(prefix=prefix + self.prefix)

    @property
    def value(self) -> str:
        """The shell expansion of the variable (times `times`), without prefix or suffix."""
        return f"$(({self.name} * {self.times}))" if self.times != 1 else f"${{{self.name}}}"

    @property
    def text(self) -> str:
        return self.prefix + self.value + self.suffix


Word = str | Ref

# What runners provide to every node of a multi-node instance.
LEADER_ADDRESS = Ref("CCC_LEADER_ADDRESS")  # the host of node 0 of the instance
NODE_RANK = Ref("CCC_NODE_RANK")  # 0 .. nodes - 1 inside the instance
NODE_ADDRESS = Ref("CCC_NODE_ADDRESS")  # this node's own address
# the engine's HTTP port: the contract's, unless the runner packs instances on one node
PORT = Ref("CCC_PORT")
# every node of this instance, node 0 first, comma-separated IPs (resolved at start)
NODE_ADDRESSES = Ref("CCC_NODE_ADDRESSES")
# shell for this host's first address: what runners give NODE_ADDRESS outside Kubernetes
HOST_ADDRESS = '$(hostname -I | cut -d " " -f 1)'


def shell_word(word: Word) -> str:
    if not isinstance(word, Ref):
        return shlex.quote(word)
    before = shlex.quote(word.prefix) if word.prefix else ""
    return before + f'"{word.value}"' + (shlex.quote(word.suffix) if word.suffix else "")


def shell_line(words: Sequence[Word]) -> str:
    return " ".join(shell_word(w) for w in words)


class Launch(NamedTuple):
    """How one node of one instance of a role starts its engine.

    `why` maps a flag of `argv` to the plan decision it follows from, for `ccc validate`.
    `files` are written beside the launch and mounted or copied by the runner.
    """

    role: str  # "serve", "prefill" or "decode"
    node: int  # node rank inside the instance; 0 is the leader
    nodes: int  # nodes of one instance
    argv: list[Word]
    env: dict[str, Word]
    port: int
    health: str  # HTTP path that answers 200 when the engine serves
    why: dict[str, str]
    setup: tuple[tuple[Word, ...], ...] = ()  # run before argv on this node (e.g. a Ray head)
    files: tuple[tuple[str, str], ...] = ()  # (artifact path, where the engine reads it)
    health_port: int | None = None  # where `health` answers, when not `port`
    # environment scripts sourced, where present, before setup and argv (CANN's set_env.sh)
    sources: tuple[str, ...] = ()
    files_mode: int = 0o644  # the mode the engine needs its files in (MindIE: 0640 or less)
    annotations: tuple[tuple[str, str], ...] = ()  # on its pods, for a router that reads them
    ports: tuple[tuple[str, int], ...] = ()  # other ports it listens on (name, port)
    watches_pods: bool = False  # a router that discovers the instances through the API server
    # it moves data over the host's RDMA NICs: collectives across nodes, KV between instances
    rdma: bool = False

    def uses(self, ref: Ref) -> bool:
        """Whether a word of its argv, setup or environment is the runner's `ref`."""
        words = [*self.argv, *self.env.values(), *(w for c in self.setup for w in c)]
        return any(isinstance(w, Ref) and w.name == ref.name for w in words)

    @property
    def serves(self) -> bool:
        """Only node 0 of an instance answers HTTP."""
        return self.node == 0


class Address(NamedTuple):
    """Where one instance (or a Service in front of several) answers HTTP."""

    host: Word
    port: int


class Discovery(NamedTuple):
    """Kubernetes: the labels of the pods that serve each role (node 0 of each instance),
    for a router that watches the API server for them, the namespace to watch and the
    port the pods serve on."""

    prefill: dict[str, str]
    decode: dict[str, str]
    namespace: Word
    port: int


class Endpoints(NamedTuple):
    """Where a prefill/decode router finds the instances, as the runner knows them: node 0
    of each instance (on Kubernetes, one Service per role), and on Kubernetes the pods'
    labels, for routers that find them themselves."""

    prefill: tuple[Address, ...]
    decode: tuple[Address, ...]
    discovery: Discovery | None = None


class Artifact(NamedTuple):
    """One file a target writes, relative to the target's output directory.

    `data` is the structure (dicts and lists for yaml/json, shell lines for shell, a string
    for text); the writer renders it, never a target. `why` gives the plan decision behind a
    flag or key, which `ccc validate` quotes when a manifest changed it; `role` is the role
    the file launches (None when it covers the whole deployment).
    """

    path: str
    format: Format
    data: Any
    header: str = ""  # a comment for yaml and shell files
    why: Mapping[str, str] = MappingProxyType({})
    role: str | None = None


class Notice(NamedTuple):
    """A finding of a target, as data: `ccc.emit` makes it a diagnostic of the registered
    `code` (its severity is the code's), so a target needs nothing of the compiler."""

    code: str  # a CC5xxx code of `ccc.codes`
    message: str
    span: Span | None
    label: str
    help: str


PLACEHOLDER = "CC5003"  # a file carries a named placeholder for a fact only the site knows


class Output(NamedTuple):
    """What a target makes of a build: its files and its findings."""

    artifacts: list[Artifact]
    notices: tuple[Notice, ...] = ()


class InventoryHost(BaseModel):
    """One server as the site knows it, in the cluster's node order."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    name: str
    address: str  # the host's IP on the scale-out network
    device_ips: list[str] = Field(default_factory=list)  # each device's RoCE/UB IP, local order
    server_id: str | None = None  # as the HCCL rank table names the server; default: address
    super_pod: str | None = None  # the supernode's id, for an Atlas A3 rank table


class Inventory(BaseModel):
    """`--inventory FILE`: host facts only a site knows, by node index."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    version: int = 1
    hosts: list[InventoryHost]


class Build(NamedTuple):
    """Everything a target may read for one deployment; made once, never written."""

    contract: Contract
    name: str
    deployment: Deployment
    model: Model
    toolkit: Toolkit
    accelerator: Accelerator
    layout: Layout  # servers and supernode of the cluster the plan runs on
    plan: Plan
    inventory: Inventory | None
    digest: str  # sha256 of the contract's resolved deployment, hex
    version: str  # ccc's version

    def placeholder(self, what: str, where: str, fix: str) -> Notice:
        """The finding that a file carries a named placeholder for a fact only the site
        knows."""
        return Notice(
            PLACEHOLDER,
            message=f"{where} carries a placeholder for {what}",
            span=self.deployment.span,
            label=f"deployment `{self.name}` is emitted with a placeholder",
            help=fix,
        )

    @property
    def toolkits(self) -> tuple[str, ...]:
        """The deployment's toolkit and those it extends, nearest first: an engine target
        launches a toolkit that extends one of its own (a site's `toolkit vllm_metax extends
        vllm`, stating the chips it runs there, is launched by the vLLM target)."""
        own = self.deployment.toolkit or ""
        return lineage(self.contract.toolkits, own) or (own,)

    @property
    def roles(self) -> list[RolePlan]:
        return self.plan.roles

    @property
    def port(self) -> int:
        return self.deployment.port or self.toolkit.port or 8000

    @property
    def checkpoint(self) -> str:
        return (
            self.deployment.checkpoint or self.model.hf_repo or f"/models/{self.deployment.model}"
        )

    @property
    def checkpoint_is_path(self) -> bool:
        """A directory (on the nodes), not a repository id on the Hugging Face Hub."""
        return self.checkpoint.startswith(("/", "./", "../"))

    @property
    def served_name(self) -> str:
        """The model name clients send: the checkpoint's repository id (what an engine
        reports when no name is set), else the model's, else the checkpoint directory's name.
        The deployment's own name is an alias where an engine takes several."""
        checkpoint = self.checkpoint
        if not self.checkpoint_is_path and checkpoint.count("/") == 1:
            return checkpoint  # `org/name` on the Hugging Face Hub
        return self.model.hf_repo or checkpoint.rstrip("/").rsplit("/", 1)[-1]


def service_url(build: Build) -> str:
    """What clients call on Kubernetes: the Service named for the deployment, which is its
    router's for a disaggregated deployment (`ccc.targets.k8s`)."""
    return f"http://{build.name.replace('_', '-').lower()}:{build.port}"


def role_nodes(build: Build, role: RolePlan) -> tuple[int, int]:
    """(nodes of one instance, devices it uses on each node)."""
    per_server = build.layout.devices_per_server
    if role.instance_devices <= per_server:
        return 1, role.instance_devices
    return math.ceil(role.instance_devices / per_server), per_server


# --- shell scripts, as data ---------------------------------------------------------------------


class Command(NamedTuple):
    """A command line; rendered with one flag and its value per continued line."""

    words: list[Word]


class Export(NamedTuple):
    name: str
    value: Word


class Raw(NamedTuple):
    """A fixed line of shell that holds no value from the contract (quoted or not)."""

    text: str

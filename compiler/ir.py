"""Core: the IR, one immutable pydantic model per block kind, every figure in SI units.

In: the dtype names of `ccc.precision` (the leaves of the dependency graph). Out: the types every stage speaks.
Each field carries a `Key` in its metadata that says how the language writes it (its
dimension, choices or referenced kind), so the lowering, the formatter's key checks, the
"did you mean" hints and `ccc schema` all read one table instead of keeping their own.
A figure nobody has published is the string "unknown", never a guessed number.
"""

from collections.abc import Mapping
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from ccc.precision import DTYPES
from ccc.span import Span
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DTYPES",
    "KINDS",
    "UNKNOWN",
    "Accelerator",
    "Block",
    "Cluster",
    "Contract",
    "Deployment",
    "Interconnect",
    "Key",
    "Model",
    "Parallel",
    "Role",
    "Scheduling",
    "Server",
    "Slo",
    "Span",
    "Supernode",
    "Toolkit",
    "Workload",
    "build",
    "figure",
    "keys_of",
    "known",
    "lineage",
]

UNKNOWN = "unknown"
Unknown = Literal["unknown"]


PARALLELISM_KINDS = ("tp", "pp", "dp", "ep", "attention_dp", "pd")
TOPOLOGIES = ("full_mesh", "switched", "ring", "torus", "rail", "leaf_spine", "fat_tree")
ATTENTION_KINDS = ("mha", "gqa", "mla", "compressed")
# How request lengths spread about the means a workload states (ccc.performance.lengths), and
# how its figures are taken: as a client over HTTP, an offline benchmark, or inside the engine.
DATASETS = ("fixed", "random", "sharegpt", "trace")
HARNESSES = ("online", "offline", "profile")
# How an engine's scheduler runs waiting prompts beside running sequences:
#   mixed          every step decodes the running sequences and fills the rest of its token
#                  budget with prompt chunks (vLLM V1, TensorRT-LLM in-flight batching)
#   prefill_first  a step of prompts alone runs whenever one can be admitted and decoding
#                  waits for it (SGLang without --enable-mixed-chunk)
#   prefill_first_rotating  as prefill_first, but prompts are admitted while the KV cache
#                  holds them and the batch cap bounds only the sequences one decode step
#                  takes, the running ones in turn (MindIE without splitfuse)
SCHEDULES = ("mixed", "prefill_first", "prefill_first_rotating")
# How an engine's KV cache admits a request: `reserved`, its prompt and whole output at
# admission (no preemption: SGLang with the output the client forces, TensorRT-LLM's
# GUARANTEED_NO_EVICT); `computed`, its prompt, then each token as it is computed, the newest
# sequence preempted by recompute when the cache fills (vLLM V1, MindIE)
KV_ADMISSIONS = ("reserved", "computed")


class Key(NamedTuple):
    """How a field is written in a `.cc` file.

    type: figure (a quantity of `dim`, or `unknown`), int, number, text, bool, ref, refs,
    enum, enums, ints (a list, possibly nested), degree (int or `auto`), table (a sub-block
    of figures keyed by `choices`), map (a sub-block of free keys to strings), by_chip (a
    sub-block of accelerator names, `ref`, to lists of `choices`), section (a nested block
    with its own keys), ratio (a number or `ideal`), texts (a list of strings), int_groups
    (a list of lists of whole numbers).
    """

    type: str
    doc: str
    dim: str | None = None
    choices: tuple[str, ...] | None = None
    ref: tuple[str, ...] | None = None
    required: bool = False
    op: str | None = None  # slo keys: the comparison they must be written with
    minimum: float = 0  # smallest value a number or count may take


S = TypeVar("S", bound="Section")
Figure = float | Unknown | None
Degree = int | Literal["auto"] | None


class Section(BaseModel):
    """A nested block (`workload {}`, `parallel {}`, ...): keys only, no name."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Block(Section):
    """A named top-level block; `spans` maps a dotted field path to where the user wrote it."""

    name: str
    extends: str | None = None
    span: Span | None = None
    spans: dict[str, Span] = {}

    def span_of(self, path: str) -> Span | None:
        """Where `path` (e.g. "workload.concurrency") was written, else the block's own span."""
        return self.spans.get(path, self.span)


def build(cls: type[S], values: dict[str, Any]) -> S:
    """An instance of `cls` from already-checked values, without validating them again.

    The lowering has checked every value against its `Key`; re-validating here would cost
    each block kind a schema build on every `ccc check`. `test_ir` re-validates every block
    of the examples and the catalog, so the two paths cannot drift apart.
    """
    keys = keys_of(cls)
    fields = {
        name: build(section_class(cls, name), value)
        if name in keys and keys[name].type == "section" and isinstance(value, dict)
        else value
        for name, value in values.items()
    }
    return cls.model_construct(None, **fields)


def known(value: Any) -> Any:
    """The value if it is a known figure, else None (for absent and `unknown` alike)."""
    return None if value is None or value == UNKNOWN else value


def figure(value: object) -> float | None:
    """A known number as a float, else None (absent, `unknown`, or not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class Accelerator(Block):
    kind: Literal["accelerator"] = "accelerator"
    vendor: Annotated[str | None, Key("text", "the vendor's name")] = None
    dies: Annotated[
        int, Key("int", "runtime devices per package (an Ascend 910C package is 2 dies)", minimum=1)
    ] = 1
    memory: Annotated[Figure, Key("figure", "device memory per package", dim="bytes")] = None
    memory_type: Annotated[str | None, Key("text", "memory technology, e.g. HBM3e")] = None
    memory_bw: Annotated[Figure, Key("figure", "memory bandwidth per package", dim="bandwidth")] = (
        None
    )
    compute: Annotated[
        dict[str, float | Unknown],
        Key(
            "table", "dense tensor throughput per package, by dtype", dim="compute", choices=DTYPES
        ),
    ] = {}
    power: Annotated[Figure, Key("figure", "board power (TDP) per package", dim="power")] = None
    device_env: Annotated[
        str | None, Key("text", "environment variable that selects visible devices")
    ] = None
    k8s_resource: Annotated[
        str | None, Key("text", "Kubernetes extended resource of the vendor device plugin")
    ] = None
    hami_resource: Annotated[
        str | None, Key("text", "Kubernetes resource name under HAMi, where it differs")
    ] = None


class Interconnect(Block):
    kind: Literal["interconnect"] = "interconnect"
    scope: Annotated[
        str | None,
        Key(
            "enum",
            "scale_up (inside a server or supernode) or scale_out (between them)",
            choices=("scale_up", "scale_out"),
            required=True,
        ),
    ] = None
    technology: Annotated[str | None, Key("text", "the link technology, e.g. NVLink 4")] = None
    bandwidth: Annotated[
        Figure, Key("figure", "bandwidth per device, per direction", dim="bandwidth")
    ] = None
    latency: Annotated[Figure, Key("figure", "one-way latency of a hop", dim="time")] = None
    topology: Annotated[
        str | None, Key("enum", "how the devices are joined", choices=TOPOLOGIES)
    ] = None


class Server(Block):
    kind: Literal["server"] = "server"
    accelerator: Annotated[
        str | None, Key("ref", "the accelerator it holds", ref=("accelerator",), required=True)
    ] = None
    devices: Annotated[
        int | None, Key("int", "runtime devices (dies) per server", required=True, minimum=1)
    ] = None
    scale_up: Annotated[
        str | None, Key("ref", "the link between its devices", ref=("interconnect",))
    ] = None
    scale_out: Annotated[
        str | None, Key("ref", "the network to other servers", ref=("interconnect",))
    ] = None
    allocation_groups: Annotated[
        list[list[int]] | None,
        Key("int_groups", "device sets a group must stay inside (P800: [[0,1,2,3],[4,5,6,7]])"),
    ] = None
    allocation_unit: Annotated[
        int, Key("int", "groups of 2+ devices take whole aligned blocks of this many", minimum=1)
    ] = 1
    power: Annotated[Figure, Key("figure", "server power", dim="power")] = None


class Supernode(Block):
    kind: Literal["supernode"] = "supernode"
    server: Annotated[
        str | None, Key("ref", "the server it is built of", ref=("server",), required=True)
    ] = None
    servers: Annotated[
        int | None, Key("int", "servers in one supernode", required=True, minimum=1)
    ] = None
    fabric: Annotated[
        str | None,
        Key(
            "ref", "the scale-up fabric spanning its servers", ref=("interconnect",), required=True
        ),
    ] = None
    scale_out: Annotated[
        str | None, Key("ref", "the network to other supernodes", ref=("interconnect",))
    ] = None
    power: Annotated[Figure, Key("figure", "power of one supernode", dim="power")] = None


class Cluster(Block):
    kind: Literal["cluster"] = "cluster"
    server: Annotated[str | None, Key("ref", "the server of each node", ref=("server",))] = None
    nodes: Annotated[int | None, Key("int", "number of servers", minimum=1)] = None
    supernode: Annotated[
        str | None, Key("ref", "the supernode it is built of", ref=("supernode",))
    ] = None
    supernodes: Annotated[int | None, Key("int", "number of supernodes", minimum=1)] = None
    scale_out: Annotated[
        str | None,
        Key("ref", "network between servers or supernodes", ref=("interconnect",)),
    ] = None


class Model(Block):
    kind: Literal["model"] = "model"
    source: Annotated[str | None, Key("text", "the config.json it was imported from")] = None
    hf_repo: Annotated[str | None, Key("text", "Hugging Face repository, org/name")] = None
    params: Annotated[Figure, Key("figure", "total parameters", dim="count")] = None
    active_params: Annotated[Figure, Key("figure", "parameters active per token", dim="count")] = (
        None
    )
    layers: Annotated[int | None, Key("int", "transformer layers", required=True, minimum=1)] = None
    hidden_size: Annotated[int | None, Key("int", "model width", required=True, minimum=1)] = None
    heads: Annotated[
        int | None, Key("int", "attention (query) heads", required=True, minimum=1)
    ] = None
    kv_heads: Annotated[int | None, Key("int", "key/value heads (GQA); = heads for MHA")] = None
    head_dim: Annotated[int | None, Key("int", "dimension of one attention head")] = None
    attention: Annotated[str | None, Key("enum", "attention kind", choices=ATTENTION_KINDS)] = None
    vocab_size: Annotated[int | None, Key("int", "vocabulary size")] = None
    context: Annotated[int | None, Key("int", "maximum context length in tokens")] = None
    intermediate_size: Annotated[int | None, Key("int", "dense FFN width")] = None
    moe_intermediate_size: Annotated[int | None, Key("int", "width of one routed expert")] = None
    experts: Annotated[int, Key("int", "routed experts per MoE layer (0: dense)")] = 0
    experts_per_token: Annotated[int, Key("int", "routed experts chosen per token")] = 0
    shared_experts: Annotated[int, Key("int", "always-active shared experts")] = 0
    first_dense_layers: Annotated[int, Key("int", "leading layers with a dense FFN")] = 0
    q_lora_rank: Annotated[int | None, Key("int", "MLA query compression rank")] = None
    kv_lora_rank: Annotated[int | None, Key("int", "MLA key/value latent rank")] = None
    qk_rope_head_dim: Annotated[int | None, Key("int", "MLA rotary part of a head")] = None
    qk_nope_head_dim: Annotated[int | None, Key("int", "MLA non-rotary part of a head")] = None
    v_head_dim: Annotated[int | None, Key("int", "MLA value head dimension")] = None
    sliding_window: Annotated[int | None, Key("int", "sliding-window size in tokens")] = None
    compress_ratios: Annotated[
        list[int] | None, Key("ints", "per-layer KV compression ratio (0: uncompressed)")
    ] = None
    mtp_layers: Annotated[int, Key("int", "multi-token-prediction layers")] = 0
    mtp_acceptance: Annotated[
        float | None,
        Key("number", "published share of MTP draft tokens accepted", dim="fraction"),
    ] = None
    tie_embeddings: Annotated[bool, Key("bool", "input and output embeddings shared")] = False
    dtype: Annotated[
        str | None, Key("enum", "precision of the published weights", choices=DTYPES)
    ] = None
    expert_dtype: Annotated[
        str | None, Key("enum", "precision of the routed experts, where it differs", choices=DTYPES)
    ] = None
    unquantized_modules: Annotated[
        list[str], Key("texts", "modules the checkpoint keeps in its original precision")
    ] = []
    quant_block: Annotated[
        int | None,
        Key(
            "int",
            "width of the checkpoint's quantization blocks (weight_block_size) or groups "
            "(group_size): a tensor-parallel shard of its weights is a whole number of them",
            minimum=1,
        ),
    ] = None


class Toolkit(Block):
    kind: Literal["toolkit"] = "toolkit"
    engine: Annotated[str | None, Key("text", "the engine's name")] = None
    accelerators: Annotated[
        list[str], Key("refs", "accelerators a source documents support for", ref=("accelerator",))
    ] = []
    unverified: Annotated[
        list[str], Key("refs", "accelerators claimed but not documented", ref=("accelerator",))
    ] = []
    parallelism: Annotated[
        list[str], Key("enums", "parallelism it implements", choices=PARALLELISM_KINDS)
    ] = []
    weights: Annotated[list[str], Key("enums", "weight dtypes it serves", choices=DTYPES)] = []
    kv_cache: Annotated[list[str], Key("enums", "KV-cache dtypes it serves", choices=DTYPES)] = []
    # Engines gate kernels by chip (vllm-ascend serves MXFP8 and FP8 only on Ascend 950):
    # where an accelerator (or one it extends) is listed here, its list replaces the above.
    chip_weights: Annotated[
        dict[str, list[str]],
        Key(
            "by_chip",
            "weight dtypes it serves on the named accelerators, in place of `weights`",
            choices=DTYPES,
            ref=("accelerator",),
        ),
    ] = {}
    chip_kv_cache: Annotated[
        dict[str, list[str]],
        Key(
            "by_chip",
            "KV-cache dtypes it serves on the named accelerators, in place of `kv_cache`",
            choices=DTYPES,
            ref=("accelerator",),
        ),
    ] = {}
    port: Annotated[int | None, Key("int", "default HTTP port")] = None
    memory_fraction: Annotated[
        float | None,
        Key(
            "number",
            "share of device memory the engine takes for weights, activations and KV cache",
            dim="fraction",
        ),
    ] = None
    prefill_chunk: Annotated[
        int | None, Key("int", "most prompt tokens one engine step processes", minimum=1)
    ] = None
    max_batch: Annotated[
        int | None,
        Key("int", "most sequences one engine (one DP rank) decodes at once by default", minimum=1),
    ] = None
    # ccc writes the batch flag (--max-num-seqs, --max-running-requests, maxBatchSize) into
    # every launch it emits, so the default binds only runs ccc did not launch (published
    # measurements, toolkits with no target); what the engine refuses to be told is this.
    batch_cap: Annotated[
        int | None,
        Key("int", "most sequences one engine (one DP rank) runs when told: a hard cap", minimum=1),
    ] = None
    schedule: Annotated[
        str,
        Key("enum", "how its scheduler runs waiting prompts beside decoding", choices=SCHEDULES),
    ] = "mixed"
    kv_admission: Annotated[
        str,
        Key("enum", "reserved or computed: what its KV cache holds for a request it admits",
            choices=KV_ADMISSIONS),
    ] = "reserved"  # fmt: skip
    launcher: Annotated[bool, Key("bool", "a public launcher exists to emit for")] = True


class Workload(Section):
    input_tokens: Annotated[Figure, Key("figure", "prompt tokens per request", dim="count")] = None
    output_tokens: Annotated[Figure, Key("figure", "generated tokens per request", dim="count")] = (
        None
    )
    concurrency: Annotated[int | None, Key("int", "requests in flight", minimum=1)] = None
    # Engines queue what their KV cache cannot hold; a contract refuses it (CC3010) unless it
    # says the excess may wait, as a benchmark client or a bursty front end makes it.
    queue: Annotated[
        bool, Key("bool", "requests the KV cache cannot hold wait in the engine's queue")
    ] = False
    requests: Annotated[
        int | None,
        Key("int", "requests in a benchmark run, the first `concurrency` sent at once", minimum=1),
    ] = None
    context: Annotated[Figure, Key("figure", "longest context to serve", dim="count")] = None
    # The lengths above are means; a benchmark run draws them as its client does.
    dataset: Annotated[
        str, Key("enum", "how request lengths spread about their means", choices=DATASETS)
    ] = "fixed"
    min_fraction: Annotated[
        float | None,
        Key("number", "`random`: the shortest length over the longest", dim="fraction"),
    ] = None
    request_rate: Annotated[
        float | None,
        Key(
            "number",
            "requests per second the benchmark client sends (none: all at once)",
            minimum=0.001,
        ),
    ] = None
    harness: Annotated[
        str,
        Key("enum", "online (clients over HTTP), offline or profile: the fixed costs paid",
            choices=HARNESSES),
    ] = "online"  # fmt: skip
    draft_tokens: Annotated[int, Key("int", "speculative (MTP) draft tokens per step")] = 0
    acceptance: Annotated[
        float | None, Key("number", "fraction of draft tokens accepted", dim="fraction")
    ] = None
    prefix_cache_hit: Annotated[
        float,
        Key("number", "fraction of prompt tokens served from the prefix cache", dim="fraction"),
    ] = 0.0
    expert_balance: Annotated[
        float | None, Key("ratio", "hottest over mean expert load; `ideal` is 1")
    ] = None


class Slo(Section):
    ttft: Annotated[Figure, Key("figure", "time to first token", dim="time", op="<=")] = None
    tpot: Annotated[Figure, Key("figure", "time per output token", dim="time", op="<=")] = None
    throughput: Annotated[
        Figure, Key("figure", "output tokens/s of the deployment", dim="rate", op=">=")
    ] = None
    throughput_per_device: Annotated[
        Figure, Key("figure", "output tokens/s per device", dim="rate", op=">=")
    ] = None


class Parallel(Section):
    tp: Annotated[Degree, Key("degree", "tensor-parallel degree")] = "auto"
    dp: Annotated[Degree, Key("degree", "attention data-parallel ranks in an instance")] = "auto"
    pp: Annotated[Degree, Key("degree", "pipeline stages")] = "auto"
    ep: Annotated[Degree, Key("degree", "expert-parallel degree, dividing tp x dp")] = "auto"
    extra_experts: Annotated[
        int, Key("int", "redundant or shared-expert slots spread over the EP ranks")
    ] = 0


class Role(Section):
    devices: Annotated[int | None, Key("int", "devices given to this role", minimum=1)] = None
    replicas: Annotated[Degree, Key("degree", "instances of this role")] = "auto"
    parallel: Annotated[Parallel, Key("section", "degrees of one instance")] = Field(
        default_factory=lambda: Parallel.model_construct()
    )


class Scheduling(Section):
    topology_key: Annotated[
        str | None, Key("text", "node label that groups one replica's nodes")
    ] = None
    supernode_key: Annotated[str | None, Key("text", "node label naming the supernode")] = None
    accelerator_key: Annotated[
        str | None, Key("text", "node label naming the accelerator type")
    ] = None
    node_selector: Annotated[dict[str, str], Key("map", "labels a node must carry")] = {}
    slurm_gres: Annotated[
        str | None, Key("text", "Slurm's name for the accelerators (gres.conf), e.g. npu")
    ] = None
    device_mounts: Annotated[
        str | None,
        Key(
            "enum",
            "who mounts the driver into pods: the container `runtime` (Ascend Docker "
            "Runtime, NVIDIA Container Toolkit) or the `manifest` (host paths)",
            choices=("runtime", "manifest"),
        ),
    ] = None
    host_network: Annotated[
        bool, Key("bool", "pods use the node's network (RDMA and rendezvous on host NICs)")
    ] = False
    rdma_devices: Annotated[
        str | None,
        Key(
            "enum",
            "who gives pods that use the host's RDMA NICs their devices: the `manifest` "
            "(/dev/infiniband from the host, privileged) or the `runtime` (the site's own)",
            choices=("runtime", "manifest"),
        ),
    ] = None
    rdma_resource: Annotated[
        str | None,
        Key("text", "the RDMA device plugin's resource, e.g. rdma/rdma_shared_device_a"),
    ] = None


class Storage(Section):
    """Where the checkpoint comes from, as the site stores it."""

    host_path: Annotated[
        str | None, Key("text", "a directory of every node that holds the checkpoint")
    ] = None
    claim: Annotated[
        str | None, Key("text", "a PersistentVolumeClaim that holds the checkpoint")
    ] = None
    mount: Annotated[
        str | None, Key("text", "where the claim is mounted (default: the checkpoint's folder)")
    ] = None
    cache_claim: Annotated[
        str | None, Key("text", "a PersistentVolumeClaim kept as the Hugging Face cache")
    ] = None
    token_secret: Annotated[
        str | None, Key("text", "a Secret whose key `token` is the Hugging Face token")
    ] = None


class Deployment(Block):
    kind: Literal["deployment"] = "deployment"
    model: Annotated[str | None, Key("ref", "the model served", ref=("model",), required=True)] = (
        None
    )
    cluster: Annotated[str | None, Key("ref", "where it runs", ref=("cluster",), required=True)] = (
        None
    )
    toolkit: Annotated[
        str | None, Key("ref", "the serving engine", ref=("toolkit",), required=True)
    ] = None
    weights: Annotated[
        str | None, Key("enum", "precision of the weights as served", choices=DTYPES)
    ] = None
    expert_weights: Annotated[
        str | None, Key("enum", "precision of routed experts, where it differs", choices=DTYPES)
    ] = None
    kv_cache: Annotated[str | None, Key("enum", "KV-cache precision", choices=DTYPES)] = None
    devices: Annotated[
        int | None, Key("int", "devices used (default: the whole cluster)", minimum=1)
    ] = None
    replicas: Annotated[Degree, Key("degree", "independent serving instances")] = "auto"
    memory_fraction: Annotated[
        float | None,
        Key(
            "number",
            "share of device memory the engine may take (overrides the toolkit's)",
            dim="fraction",
        ),
    ] = None
    image: Annotated[str | None, Key("text", "container image")] = None
    router_image: Annotated[
        str | None, Key("text", "image of the prefill/decode router (default: `image`)")
    ] = None
    engine_version: Annotated[str | None, Key("text", "engine version the flags follow")] = None
    checkpoint: Annotated[str | None, Key("text", "weights path or repository to load")] = None
    namespace: Annotated[str | None, Key("text", "Kubernetes namespace")] = None
    port: Annotated[int | None, Key("int", "serving port")] = None
    workload: Annotated[Workload, Key("section", "the traffic to serve")] = Field(
        default_factory=lambda: Workload.model_construct()
    )
    slo: Annotated[Slo, Key("section", "what the deployment must achieve")] = Field(
        default_factory=lambda: Slo.model_construct()
    )
    parallel: Annotated[Parallel, Key("section", "degrees of one instance")] = Field(
        default_factory=lambda: Parallel.model_construct()
    )
    prefill: Annotated[Role | None, Key("section", "prefill role (disaggregated)")] = None
    decode: Annotated[Role | None, Key("section", "decode role (disaggregated)")] = None
    scheduling: Annotated[
        Scheduling, Key("section", "label keys for topology-aware scheduling")
    ] = Field(default_factory=lambda: Scheduling.model_construct())
    storage: Annotated[Storage, Key("section", "where the checkpoint is stored")] = Field(
        default_factory=lambda: Storage.model_construct()
    )


KINDS: dict[str, type[Block]] = {
    "accelerator": Accelerator,
    "interconnect": Interconnect,
    "server": Server,
    "supernode": Supernode,
    "cluster": Cluster,
    "model": Model,
    "toolkit": Toolkit,
    "deployment": Deployment,
}


def lineage(blocks: Mapping[str, Block], name: str) -> tuple[str, ...]:
    """`name` and the blocks it extends, nearest first (stopping at a name not in `blocks`,
    or at a repeat: a cycle is the resolver's error, reported there)."""
    chain: list[str] = []
    while name in blocks and name not in chain:
        chain.append(name)
        name = blocks[name].extends or ""
    return tuple(chain)


def keys_of(cls: type[Section]) -> dict[str, Key]:
    """The language keys of a block or section, with how each is written."""
    return _keys_cache.get(cls) or _keys_cache.setdefault(cls, _collect_keys(cls))


_keys_cache: dict[type, dict[str, Key]] = {}


def _collect_keys(cls: type[Section]) -> dict[str, Key]:
    keys: dict[str, Key] = {}
    for name, info in cls.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, Key):
                keys[name] = meta
    return keys


def section_class(cls: type[Section], key: str) -> type[Section]:
    """The model of the nested section `key` of `cls` (e.g. Deployment.workload -> Workload)."""
    annotation = cls.model_fields[key].annotation
    for candidate in getattr(annotation, "__args__", (annotation,)):
        if isinstance(candidate, type) and issubclass(candidate, Section):
            return candidate
    raise KeyError(key)


class Contract(BaseModel):
    """Everything a set of files declares, after imports, references and `extends`."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    files: list[str] = []
    accelerators: dict[str, Accelerator] = {}
    interconnects: dict[str, Interconnect] = {}
    servers: dict[str, Server] = {}
    supernodes: dict[str, Supernode] = {}
    clusters: dict[str, Cluster] = {}
    models: dict[str, Model] = {}
    toolkits: dict[str, Toolkit] = {}
    deployments: dict[str, Deployment] = {}

    def get(self, name: str) -> Block | None:
        for table in self.tables().values():
            if name in table:
                return table[name]
        return None

    def tables(self) -> dict[str, dict[str, Block]]:
        return {kind: getattr(self, kind + "s") for kind in KINDS}

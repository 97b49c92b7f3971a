"""Core: the one registry of diagnostic codes, code, slug, severity and explanation together.

Ranges: CC0 syntax, CC1 names and resolution, CC2 types, units, values and unknown figures,
CC3 feasibility, CC4 performance and SLO, CC5 targets, CC6 manifest drift, CC7 limits and
safety, CC9 internal. A retired code is never reused. Each explanation carries a `Bad:`
example that the test suite checks really fires the code, and a `Good:` fix.
"""

from __future__ import annotations

from ccc.diagnostics import Code, Severity

__all__ = ["REGISTRY", "lookup"]

E, W = Severity.ERROR, Severity.WARNING

REGISTRY: dict[str, Code] = {}


def _code(code: str, slug: str, severity: Severity, summary: str, explain: str) -> Code:
    entry = Code(code, slug, severity, summary, explain.strip("\n"))
    assert code not in REGISTRY, code
    REGISTRY[code] = entry
    return entry


def lookup(code: str) -> Code | None:
    """The registered code, accepting `CC2001`, `cc2001`, `2001` or the slug."""
    wanted = code.strip().upper()
    if wanted.isdigit():
        wanted = "CC" + wanted.zfill(4)
    if wanted in REGISTRY:
        return REGISTRY[wanted]
    return next((c for c in REGISTRY.values() if c.slug == code.strip().lower()), None)


# ---- CC0xxx: syntax and lexing -------------------------------------------------------------

SYNTAX_ERROR = _code(
    "CC0001",
    "syntax-error",
    E,
    "the text does not follow the grammar",
    """
The parser met a token it cannot accept here; the message lists what it expected.
Every syntax error of a file is reported, not only the first.
Bad:
  accelerator a { memory 64 GiB }
Good:
  accelerator a { memory = 64 GiB }
""",
)

UNEXPECTED_CHARACTER = _code(
    "CC0002",
    "unexpected-character",
    E,
    "a character that starts no token",
    """
Only names, numbers with units, strings, `=`, comparisons, braces, brackets and
commas make up a contract; `#` starts a comment.
Bad:
  accelerator a { memory = 64 GiB; }
Good:
  accelerator a { memory = 64 GiB }
""",
)

UNTERMINATED_STRING = _code(
    "CC0003",
    "unterminated-string",
    E,
    "a string is never closed",
    """
Strings are written between double quotes on one line.
Bad:
  accelerator a { vendor = "Huawei }
Good:
  accelerator a { vendor = "Huawei" }
""",
)

MISSING_BODY = _code(
    "CC0004",
    "missing-body",
    E,
    "a block has no body",
    """
Every block has a body in braces; only `model NAME from "config.json"` may omit it,
because the config file supplies its figures.
Bad:
  accelerator a
Good:
  accelerator a { memory = 64 GiB }
""",
)

# ---- CC1xxx: names, imports, references, resolution -----------------------------------------

UNKNOWN_NAME = _code(
    "CC1001",
    "unknown-name",
    E,
    "a reference names nothing",
    """
A reference must name a block defined in this file or in a file it imports (the standard
catalog is imported with `import "std/..."`). The help suggests close names.
Bad:
  server s { accelerator = no_such_card  devices = 8 }
Good:
  import "std/ascend"
  server s { accelerator = ascend_910b  devices = 8 }
""",
)

WRONG_KIND = _code(
    "CC1002",
    "wrong-kind",
    E,
    "a reference names a block of another kind",
    """
Each key refers to one kind of block: a server's `accelerator` to an accelerator, a
deployment's `cluster` to a cluster, and `extends` to a block of the same kind.
Bad:
  interconnect link { scope = scale_up }
  server s { accelerator = link  devices = 8 }
Good:
  accelerator card { memory = 64 GiB }
  server s { accelerator = card  devices = 8 }
""",
)

IMPORT_NOT_FOUND = _code(
    "CC1003",
    "import-not-found",
    E,
    "an imported file does not exist",
    """
`import "x"` looks for x.cc next to the importing file, then in each `--catalog DIR`;
`import "std/x"` looks in each `--catalog DIR` and then in the bundled standard catalog.
Bad:
  import "no_such_file"
Good:
  import "std/ascend"
""",
)

IMPORT_CYCLE = _code(
    "CC1004",
    "import-cycle",
    E,
    "files import each other in a cycle",
    """
Imports form a tree: a file may not import itself, directly or through others.
Bad:
  import "bad"
Good:
  import "std/nvidia"
""",
)

DUPLICATE_DEFINITION = _code(
    "CC1005",
    "duplicate-definition",
    E,
    "two blocks share a name",
    """
Names are global across a contract and its imports. To change a catalog entry, give the new
block its own name and `extends` the old one.
Bad:
  accelerator a { memory = 64 GiB }
  accelerator a { memory = 96 GiB }
Good:
  accelerator a { memory = 64 GiB }
  accelerator b extends a { memory = 96 GiB }
""",
)

UNKNOWN_KEY = _code(
    "CC1006",
    "unknown-key",
    E,
    "a key this block does not have",
    """
Each block kind has a fixed set of keys (`ccc schema KIND` lists them); the help
suggests the closest one.
Bad:
  accelerator a { memroy = 64 GiB }
Good:
  accelerator a { memory = 64 GiB }
""",
)

UNKNOWN_KIND = _code(
    "CC1007",
    "unknown-block-kind",
    E,
    "a block of a kind ccc does not know",
    """
Block kinds: accelerator, interconnect, server, supernode, cluster, model, toolkit,
deployment.
Bad:
  acelerator a { memory = 64 GiB }
Good:
  accelerator a { memory = 64 GiB }
""",
)

EXTENDS_CYCLE = _code(
    "CC1008",
    "extends-cycle",
    E,
    "blocks extend each other in a cycle",
    """
`extends` copies the figures of another block and overrides some; a chain of `extends`
must end at a block that extends nothing.
Bad:
  accelerator a extends b { memory = 64 GiB }
  accelerator b extends a { memory = 96 GiB }
Good:
  accelerator a { memory = 64 GiB }
  accelerator b extends a { memory = 96 GiB }
""",
)

CONFIG_NOT_FOUND = _code(
    "CC1009",
    "config-not-found",
    E,
    "a model's config.json cannot be found",
    """
`model m from "path/config.json"` reads the file relative to the contract;
`model m from "hf:org/name"` reads config.json from the local Hugging Face cache
(HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub). ccc never downloads.
Bad:
  model m from "no/such/config.json"
Good:
  model m from "models/qwen3-32b/config.json"
""",
)

DUPLICATE_KEY = _code(
    "CC1010",
    "duplicate-key",
    E,
    "a key is given twice in one block",
    """
Each key appears once per block; the second would silently win otherwise.
Bad:
  accelerator a { memory = 64 GiB  memory = 96 GiB }
Good:
  accelerator a { memory = 96 GiB }
""",
)

FROM_NOT_ALLOWED = _code(
    "CC1011",
    "from-not-allowed",
    E,
    "only a model can be read from a file",
    """
`from "config.json"` imports a Hugging Face model config; other blocks are written out.
Bad:
  accelerator a from "card.json"
Good:
  model m from "config.json"
""",
)

# ---- CC2xxx: types, units, values, unknown figures -----------------------------------------

WRONG_DIMENSION = _code(
    "CC2001",
    "wrong-dimension",
    E,
    "a value has the wrong physical dimension",
    """
Each key expects one dimension (bytes, bytes/s, FLOP/s, seconds, watts, a count).
Bad:
  accelerator a { memory = 2 TB/s }
Good:
  accelerator a { memory = 96 GiB }
""",
)

WRONG_TYPE = _code(
    "CC2002",
    "wrong-type",
    E,
    "a value of the wrong type",
    """
A key expects a number, a string, a name, a list or a nested block; `ccc schema KIND`
shows which.
Bad:
  accelerator a { vendor = 3 }
Good:
  accelerator a { vendor = "Huawei" }
""",
)

UNKNOWN_UNIT = _code(
    "CC2003",
    "unknown-unit",
    E,
    "a unit ccc does not know",
    """
Units: bytes (KB MB GB TB PB, KiB MiB GiB TiB PiB, or `bytes`), bandwidth (GB/s TB/s
GiB/s Gb/s Gbit/s Tb/s), compute (TFLOPS PFLOPS TOPS), time (ns us ms s), counts (K M B T;
a bare `B` is a billion), power (W kW MW), rates (tok/s), fractions (%).
Bad:
  accelerator a { memory = 64 GiBs }
Good:
  accelerator a { memory = 64 GiB }
""",
)

MISSING_KEY = _code(
    "CC2004",
    "missing-key",
    E,
    "a required key is missing",
    """
Some keys have no default: a server names its accelerator and device count, a
deployment its model, cluster and toolkit.
Bad:
  server s { devices = 8 }
Good:
  import "std/ascend"
  server s { accelerator = ascend_910b  devices = 8 }
""",
)

OUT_OF_RANGE = _code(
    "CC2005",
    "out-of-range",
    E,
    "a value outside what the key allows",
    """
Counts and figures are positive; fractions lie between 0 and 1 (or 0% and 100%).
Bad:
  accelerator a { memory = -64 GiB }
Good:
  accelerator a { memory = 64 GiB }
""",
)

INVALID_CHOICE = _code(
    "CC2006",
    "invalid-choice",
    E,
    "a value not among the key's choices",
    """
Some keys take one of a fixed set of words: dtypes (bf16, fp8, int8, int4, ...), scopes,
topologies, attention kinds. The help suggests the closest.
Bad:
  interconnect l { scope = scale_sideways }
Good:
  interconnect l { scope = scale_up }
""",
)

NOT_AN_INTEGER = _code(
    "CC2007",
    "not-an-integer",
    E,
    "a whole number was expected",
    """
Device counts, degrees, layers and heads are whole numbers.
Bad:
  accelerator a { dies = 1.5 }
Good:
  accelerator a { dies = 2 }
""",
)

DIES_MISMATCH = _code(
    "CC2008",
    "dies-mismatch",
    E,
    "a device count that splits a multi-die package",
    """
A device is a die: a server of 8 two-die packages has 16 devices. A device count that is
not a multiple of the accelerator's dies would split a package.
Bad:
  accelerator pkg { dies = 2 }
  server s { accelerator = pkg  devices = 15 }
Good:
  accelerator pkg { dies = 2 }
  server s { accelerator = pkg  devices = 16 }
""",
)

INVALID_CONFIG = _code(
    "CC2009",
    "invalid-config",
    E,
    "a model config.json that cannot be read",
    """
The file must be JSON with at least num_hidden_layers, hidden_size and
num_attention_heads, as Hugging Face config.json files have.
Bad:
  model m from "bad.cc"
Good:
  model m from "models/qwen3-32b/config.json"
""",
)

WRONG_COMPARISON = _code(
    "CC2010",
    "wrong-comparison",
    E,
    "an objective written with the wrong comparison",
    """
Latency objectives are upper bounds (`ttft <= 2 s`), throughput objectives lower bounds
(`throughput >= 5000 tok/s`); plain keys use `=`.
Bad:
  deployment d { slo { ttft >= 2 s } }
Good:
  deployment d { slo { ttft <= 2 s } }
""",
)

CONFLICTING_KEYS = _code(
    "CC2011",
    "conflicting-keys",
    E,
    "keys that exclude each other",
    """
A cluster is built of servers (`server`, `nodes`) or of supernodes (`supernode`,
`supernodes`), not both; a deployment with `prefill`/`decode` roles gives each role its
own `parallel` block instead of a shared one.
Bad:
  cluster c { server = s  supernode = n }
Good:
  cluster c { server = s  nodes = 4 }
""",
)

INVALID_GROUPS = _code(
    "CC2012",
    "invalid-allocation-groups",
    E,
    "allocation groups that do not fit the server",
    """
Allocation groups list device indices of one server, each index at most once and below
the server's device count.
Bad:
  accelerator card { memory = 64 GiB }
  server s { accelerator = card  devices = 8  allocation_groups = [[0, 1, 2, 3], [3, 4, 5, 9]] }
Good:
  accelerator card { memory = 64 GiB }
  server s { accelerator = card  devices = 8  allocation_groups = [[0, 1, 2, 3], [4, 5, 6, 7]] }
""",
)

UNKNOWN_FIGURE = _code(
    "CC2101",
    "unknown-figure",
    W,
    "a check needs a figure nobody has published",
    """
A figure declared `unknown` (or never declared) cannot prove the checks that need it;
the check is skipped with this warning, or fails under `--strict`. State the figure in
your own catalog (`--catalog DIR`) or with `extends`, e.g.
  accelerator our_p800 extends kunlunxin_p800 { memory = 96 GiB }   # our datasheet
Bad:
  import "std/kunlunxin"
  import "std/models/qwen"
  import "std/toolkits/fastdeploy"
  cluster c { server = p800x8  nodes = 1 }
  deployment d { model = qwen3_8b  cluster = c  toolkit = fastdeploy  weights = bf16 }
Good:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_8b  cluster = c  toolkit = vllm  weights = bf16 }
""",
)

# ---- CC3xxx: feasibility -------------------------------------------------------------------
# Raised by placement (`ccc plan`, `ccc compile`); each Bad example is a whole contract.

MEMORY_EXCEEDED = _code(
    "CC3001",
    "memory-exceeded",
    E,
    "the model does not fit the devices' memory",
    """
Per device, the weights (by part), the activations of one prefill step and one request's
KV cache must fit the share of device memory the engine takes. The message lists each
term; the help computes a smaller precision or a larger cluster that fits.
Bad:
  import "std/ascend"
  import "std/models/deepseek"
  import "std/toolkits/mindie"
  cluster c { server = atlas_800t_a2  nodes = 1 }
  deployment d { model = deepseek_v3  cluster = c  toolkit = mindie  weights = bf16
    parallel { tp = 8  dp = 1  pp = 1  ep = 1 } }
Good:
  deployment d { model = deepseek_v3  cluster = c  toolkit = mindie  weights = int4 }
""",
)

TP_HEADS = _code(
    "CC3002",
    "tp-heads",
    E,
    "the tensor-parallel degree does not divide the attention heads",
    """
Tensor parallelism gives each rank the same number of query heads, so `tp` must divide
them; key/value heads are split evenly or replicated whole.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  parallel { tp = 3 } }
Good:
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  parallel { tp = 4 } }
""",
)

EP_DIVISIBILITY = _code(
    "CC3003",
    "ep-divisibility",
    E,
    "the expert-parallel degree does not divide the instance or the expert slots",
    """
Expert parallelism runs over the instance's `tp x dp` devices, and each EP rank holds
(routed + extra) / ep expert slots: `ep` must divide both.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_30b_a3b  cluster = c  toolkit = vllm
    parallel { tp = 2  dp = 1  ep = 3 } }
Good:
  deployment d { model = qwen3_30b_a3b  cluster = c  toolkit = vllm
    parallel { tp = 2  dp = 1  ep = 2 } }
""",
)

PP_LAYERS = _code(
    "CC3004",
    "pp-layers",
    E,
    "more pipeline stages than layers",
    """
Each pipeline stage needs at least one layer.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 16 }
  deployment d { model = qwen3_8b  cluster = c  toolkit = vllm  parallel { tp = 1  pp = 128 } }
Good:
  deployment d { model = qwen3_8b  cluster = c  toolkit = vllm  parallel { tp = 1  pp = 2 } }
""",
)

INSTANCE_DOES_NOT_FIT = _code(
    "CC3005",
    "instance-does-not-fit",
    E,
    "the instances or roles need more devices than there are",
    """
An instance spans `tp x dp x pp` devices and a cluster holds whole instances; the roles of
a disaggregated deployment share the cluster.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  replicas = 4
    parallel { tp = 4  dp = 1  pp = 1 } }
Good:
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  replicas = 2
    parallel { tp = 4  dp = 1  pp = 1 } }
""",
)

SHARD_NOT_WHOLE = _code(
    "CC3013",
    "shard-not-whole",
    E,
    "a degree splits a weight matrix into shards that are not whole",
    """
Tensor parallelism cuts each weight matrix into equal shards: attention, the dense FFN and
the shared experts over `tp`, each routed expert over the tp x dp / ep devices that share
an EP rank's experts. Every shard must be a whole number of columns and, for a
block-quantized checkpoint served as published (DeepSeek's and Kimi's 128 x 128 FP8
blocks), a whole number of blocks: vLLM and SGLang refuse to load it otherwise ("... is not
divisible by weight quantization block_n = 128"). The help names an EP the engine runs, or
a TP, that splits every matrix whole; `auto` degrees try only such splits.
Bad:
  import "std/nvidia"
  import "std/models/deepseek"
  import "std/toolkits/sglang"
  cluster c { server = hgx_h20  nodes = 14 }
  deployment d { model = deepseek_v3  cluster = c  toolkit = sglang
    parallel { tp = 1  dp = 112  ep = 16 } }   # each expert split 7 ways
Good:
  deployment d { ...  parallel { tp = 1  dp = 112  ep = 112 } }  # 80 redundant slots make 336
""",
)

CONTEXT_TOO_LONG = _code(
    "CC3014",
    "context-too-long",
    E,
    "the workload's requests are longer than the model's context window",
    """
An engine serves a request whole only when its input and output fit the context length it
was started with, which cannot exceed the model's window (`context`, from
max_position_embeddings). vLLM refuses a prompt that reaches the length and cuts the output
at it; SGLang refuses a request whose input + output reaches it and keeps 2 tokens spare,
so ccc writes a context 2 tokens longer for it. The help gives the longest output that fits.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/sglang"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_32b  cluster = c  toolkit = sglang
    workload { input_tokens = 40000  output_tokens = 960 } }
Good:
  deployment d { ...  workload { input_tokens = 40000  output_tokens = 958 } }
""",
)

TP_OUTSIDE_DOMAIN = _code(
    "CC3006",
    "tp-outside-domain",
    E,
    "tensor-parallel groups would leave the scale-up domain in a way the engine cannot run",
    """
TP's all-reduce runs every layer, so its groups belong on the scale-up link (a server, or
a supernode). vLLM, vllm-ascend, SGLang and FastDeploy also run a TP group across servers
(Ray or --nnodes, SGLang's documented `--tp 16 --nnodes 2`, FastDeploy's `--ips`), in whole
servers; MindIE only when TP is the instance's whole world. Such a plan is priced on the
scale-out network and ranks after one that keeps TP inside a server. A group that takes
part of a server, or an engine that cannot span, is this error.
Bad:
  import "std/sugon"
  import "std/models/llama"
  import "std/toolkits/vllm"
  cluster c { server = scalex40  nodes = 2 }
  deployment d { model = llama3_1_70b  cluster = c  toolkit = vllm  parallel { tp = 64 } }
Good:
  deployment d { model = llama3_1_70b  cluster = c  toolkit = vllm  parallel { tp = 8  pp = 2 } }
""",
)

ALLOCATION_GROUP = _code(
    "CC3007",
    "allocation-group",
    E,
    "a tensor-parallel group breaks the server's allocation rule",
    """
Some servers restrict which devices may form a group: the P800 8-card server forms 4-card
groups only on cards 0-3 or 4-7, an Atlas 800 A3 takes whole two-die modules.
Bad:
  server odd extends p800x8 { allocation_groups = [[0, 1, 2], [3, 4, 5], [6, 7]] }
  import "std/kunlunxin"
  import "std/models/ernie"
  import "std/toolkits/fastdeploy"
  cluster c { server = odd  nodes = 1 }
  deployment d { model = ernie4_5_300b_a47b  cluster = c  toolkit = fastdeploy
    weights = int4  parallel { tp = 4 } }
Good:
  cluster c { server = p800x8  nodes = 1 }
""",
)

TOOLKIT_UNSUPPORTED = _code(
    "CC3008",
    "toolkit-unsupported",
    E,
    "the toolkit does not support the accelerator, precision or parallelism",
    """
A toolkit lists the accelerators a source documents it on, the weight and KV-cache
precisions it serves and the parallelism it implements.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/mindie"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_32b  cluster = c  toolkit = mindie }
Good:
  import "std/toolkits/vllm"
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm }
""",
)

TOOLKIT_UNVERIFIED = _code(
    "CC3009",
    "toolkit-unverified",
    W,
    "the toolkit's support for the accelerator is claimed, not documented",
    """
The toolkit lists the accelerator as `unverified`: someone claims it runs, no source of the
toolkit documents it. The plan is computed; verify it on the hardware.
Bad:
  import "std/cambricon"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = mlu590x8  nodes = 1 }
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm }
Good:
  # a site catalog that documents it: toolkit my_vllm extends vllm { accelerators = [...] }
""",
)

KV_CACHE_CONCURRENCY = _code(
    "CC3010",
    "kv-cache-concurrency",
    E,
    "the requests in flight do not fit the KV cache",
    """
Each request in flight keeps its whole context's KV cache. After weights and activations,
what is left per device bounds the concurrency; the help gives the largest that fits.
Bad:
  import "std/nvidia"
  import "std/models/llama"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = llama3_1_70b  cluster = c  toolkit = vllm  replicas = 1
    parallel { tp = 8  dp = 1  pp = 1 }
    workload { input_tokens = 100 K  output_tokens = 28 K  concurrency = 512 } }
Good:
    workload { input_tokens = 100 K  output_tokens = 28 K  concurrency = 32 }
""",
)

NO_PLAN = _code(
    "CC3011",
    "no-plan",
    E,
    "no choice of the `auto` degrees gives a feasible plan",
    """
No choice of the degrees left `auto` gives an instance that fits the role's devices, or
every choice breaks a structural rule for different reasons (one reason alone, or a
memory or KV-cache shortfall, is reported as itself). The message counts the reasons; the
note and help give the choice that came closest.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  parallel { pp = 16 } }
Good:
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm  parallel { pp = 2 } }
""",
)

CLUSTER_OVERBOOKED = _code(
    "CC3012",
    "cluster-overbooked",
    E,
    "deployments that share a cluster need more devices than it has",
    """
Deployments on one cluster share its devices: each takes its `devices` (by default the whole
cluster; a disaggregated one, its roles' devices, decode from a fresh server). Taken in
the order they are written, the first that does not fit is reported, with what is left.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment chat { model = qwen3_32b  cluster = c  toolkit = vllm }
  deployment batch { model = qwen3_32b  cluster = c  toolkit = vllm  devices = 4 }
Good:
  deployment chat { model = qwen3_32b  cluster = c  toolkit = vllm  devices = 4 }
  deployment batch { model = qwen3_32b  cluster = c  toolkit = vllm  devices = 4 }
""",
)

# ---- CC4xxx: performance and SLO ------------------------------------------------------------

SLO_UNMET = _code(
    "CC4001",
    "slo-unmet",
    E,
    "no plan meets the deployment's SLO",
    """
Every feasible plan was predicted at the workload's concurrency (or, when the contract states
none, at every concurrency the KV cache holds) and none meets every `slo` key. The message
names the closest plan and the key it misses by most; the note shows that plan's decode step
term by term and which calibrated factors it used. Relax the key, lower the concurrency, or
give the deployment more (or faster) devices.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d {
    model = qwen3_32b  cluster = c  toolkit = vllm
    workload { input_tokens = 2048  output_tokens = 512  concurrency = 64 }
    slo { tpot <= 1 ms }
  }
Good:
  deployment d {
    model = qwen3_32b  cluster = c  toolkit = vllm
    workload { input_tokens = 2048  output_tokens = 512  concurrency = 64 }
    slo { tpot <= 50 ms }
  }
""",
)

UNPROVEN_PREDICTION = _code(
    "CC4002",
    "unproven-prediction",
    W,
    "the best plan's prediction rests on a figure the catalog does not know",
    """
The performance model needs each chip's compute and memory bandwidth and each link's
bandwidth. Where the catalog says `unknown`, the term is left out, or, for a chip that has
calibration rows, the peak is inferred from them; either way the prediction is not proven
and is labelled so. Stating the figure (in the catalog or a site catalog) removes the warning.
Bad:
  import "std/kunlunxin"
  import "std/models/qwen"
  import "std/toolkits/vllm_kunlun"
  cluster c { server = p800x8  nodes = 1 }
  deployment d {
    model = qwen3_8b  cluster = c  toolkit = vllm_kunlun  weights = fp16  kv_cache = fp16
    workload { input_tokens = 2048  output_tokens = 512 }
  }
Good:
  accelerator my_p800 extends kunlunxin_p800 { memory_bw = 2.76 TB/s }  # our datasheet
""",
)

MEASUREMENTS_INVALID = _code(
    "CC4003",
    "measurements-invalid",
    E,
    "a measurement file `ccc calibrate` cannot read",
    """
`ccc calibrate DATA.json` reads a JSON list of published measurements in the format of
`calibration.schema.json`: each row names the catalog's model, accelerator, system and
toolkit, the parallel degrees, the workload and at least one measured metric. A file that is
not UTF-8 JSON, a row with a missing or unknown field, or a value outside the format (a
degree below 1, a fraction above 1, a metric that is not positive) is refused where it is,
before anything is fitted.
Bad:
  [{"id": "h200-qwen3", "source": "...", "model": "qwen3_32b", "accelerator": "nvidia_h200_sxm",
    "system": "hgx_h200", "devices": 0, "toolkit": "vllm", "weights": "bf16",
    "parallel": {"tp": 8}, "workload": {}, "measured": {"tpot_ms": 20}}]
Good:
  [{"id": "h200-qwen3", ..., "devices": 8, ...}]
""",
)

ROW_NOT_MODELLED = _code(
    "CC4004",
    "row-not-modelled",
    E,
    "a measurement row ccc cannot predict",
    """
Each row of a measurement file is modelled with the catalog: its model, accelerator,
toolkit and system must be catalog names, the system must hold that accelerator, the
degrees must multiply to the devices (dies), and the chip's peaks must be known or
inferable from other rows of it. A row that fails is left out of the fit and reported
at the key at fault; the other rows are still fitted and scored. Each row is placed by
the placement `ccc plan` runs, at its stated degrees (an empty `parallel`: planned): a
layout the engine cannot express, a precision the toolkit does not serve or weights that
do not fit the devices is reported with placement's own code (CC3003, CC3008, CC3001)
at the row's key. A large EP gets the redundant expert slots the engine adds.
Bad:
  [{"id": "r1", "source": "...", "model": "qwen3_33b", "accelerator": "nvidia_h200_sxm",
    "system": "hgx_h200", "devices": 8, "toolkit": "vllm", "weights": "bf16",
    "parallel": {"tp": 8}, "workload": {}, "measured": {"tpot_ms": 20}}]
Good:
  [{"id": "r1", ..., "model": "qwen3_32b", ...}]
""",
)

REQUESTS_QUEUED = _code(
    "CC4005",
    "requests-queued",
    W,
    "more requests are in flight than the best plan decodes at once; the rest wait",
    """
An instance decodes as many sequences at once as its KV cache holds and its engine's batch
cap allows. With `queue = true` (or an engine cap below the concurrency) the requests
beyond that wait in the engine's queue for completions: the plan is still predicted, and
its TTFT counts the wait. The message says how many wait and which limit holds them back.
Bad:
  import "std/nvidia"
  import "std/models/llama"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = llama3_1_70b  cluster = c  toolkit = vllm  replicas = 1
    parallel { tp = 8  dp = 1  pp = 1 }
    workload { input_tokens = 100 K  output_tokens = 28 K  concurrency = 512  queue = true } }
Good:
    workload { input_tokens = 100 K  output_tokens = 28 K  concurrency = 32 }
""",
)

FACTORS_INVALID = _code(
    "CC4006",
    "factors-invalid",
    E,
    "a factor table (`--factors FILE`) ccc cannot read",
    """
`--factors FILE` predicts with a factor table instead of the one ccc ships: the JSON
`ccc calibrate --write-factors FILE` writes (`ccc schema factors`), its layers by key
("global", a toolkit, "vendor x toolkit", "chip x toolkit") with every factor of the model.
A file that is not UTF-8 JSON, a layer that lacks a factor or has one it does not know, a
fraction of peak outside (0, 1], a negative cost or a table without the `global` layer every
prediction falls back to is refused where it is, before anything is predicted.
Bad:
  {"layers": {"global": {"compute": 1.5, "decode_compute": 0.4, "bandwidth": 0.6,
    "network": 0.5, "network_out": 0.8, "imbalance": 1.2, "layer_latency": 2e-05,
    "sequence_overhead": 1e-05, "rows": []}}}
Good:
  {"layers": {"global": {"compute": 0.5, ...}}}
""",
)

# ---- CC5xxx: emitting targets ---------------------------------------------------------------

NO_LAUNCHER = _code(
    "CC5001",
    "no-launcher",
    W,
    "the deployment's toolkit has no engine target to emit launches for",
    """
Manifests wrap an engine's launch command, and only engines with a public launcher have
a target (vllm, vllm_ascend, sglang, fastdeploy, mindie). A serving stack known only from
its publications (CloudMatrix-Infer, xDeepServe, DeepSeek's own) gets plan.json and no
manifests; asked for a runner target explicitly (`--target k8s`), this is an error.
Bad:
  import "std/ascend"
  import "std/models/deepseek"
  import "std/toolkits/research"
  cluster c { supernode = cloudmatrix384  supernodes = 1 }
  deployment d {
    model = deepseek_r1  cluster = c  toolkit = cloudmatrix_infer  weights = int8
    kv_cache = int8  image = "registry.example.com/engine:1"
    parallel { tp = 1  dp = 32  ep = 32  pp = 1 }
    devices = 32
  }
Good:
  deployment d { ...  toolkit = vllm_ascend }
""",
)

TARGET_MISMATCH = _code(
    "CC5002",
    "target-mismatch",
    E,
    "an engine target was asked for a deployment that runs another engine",
    """
`--target sglang` on a deployment whose toolkit is vllm would emit a launch the plan was
not checked for (supported dtypes, degrees, memory reserve differ by engine). Ask for the
deployment's own engine target, or change its toolkit and compile again.
Bad:
  # ccc compile h200.cc -o out --target sglang, where h200.cc says `toolkit = vllm`
Good:
  # ccc compile h200.cc -o out --target vllm,k8s
""",
)

PLACEHOLDER = _code(
    "CC5003",
    "placeholder",
    W,
    "an emitted file carries a placeholder for a fact only the site knows",
    """
Some values cannot follow from the contract: the container image when `image` is not set,
host and device addresses for an HCCL rank table without `--inventory FILE`. The file is
still written, with a placeholder that names what to put there, and this warning says
which file and how to supply the fact. `--strict` makes it an error.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d {
    model = qwen3_32b  cluster = c  toolkit = vllm  weights = bf16
    parallel { tp = 2  dp = 1  pp = 1 }
    devices = 2
  }
Good:
  deployment d { ...  image = "vllm/vllm-openai:v0.11.0" }
""",
)

UNVERIFIED_ENGINE_VERSION = _code(
    "CC5004",
    "unverified-engine-version",
    W,
    "`engine_version` names a version whose flags ccc has not verified",
    """
Engine flags are data keyed by the versions whose sources were read (the README lists
them). For another version the flags of the nearest verified version not newer than it
are used (the oldest verified one if it is older than all), and this warning names it.
Check the engine's release notes for renamed flags, or pin a verified version.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d {
    model = qwen3_32b  cluster = c  toolkit = vllm  weights = bf16
    image = "vllm/vllm-openai:v0.3.0"  engine_version = "0.3.0"
    parallel { tp = 2  dp = 1  pp = 1 }
    devices = 2
  }
Good:
  deployment d { ...  engine_version = "0.11.0" }
""",
)

UNEXPRESSIBLE_PLAN = _code(
    "CC5005",
    "unexpressible-plan",
    E,
    "the engine has no flags for the plan's degrees",
    """
The plan is feasible, but the deployment's engine cannot be told to run it: vLLM's expert
parallelism always spans tp x dp ranks, so an `ep` between 1 and tp x dp has no flag.
Placement asks each engine what it can express (`CAPABILITIES` beside its flags), so a
contract's own `ep` is refused there first (CC3003, at its span); this code guards a plan
that reaches an engine target by another way. Pick degrees the engine can express, or
leave `ep = auto`. The example below is refused as CC3003 by `ccc plan`.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d {
    model = qwen3_30b_a3b  cluster = c  toolkit = vllm  weights = bf16
    image = "vllm/vllm-openai:v0.11.0"
    parallel { tp = 2  dp = 2  ep = 2  pp = 1 }
    devices = 4
  }
Good:
  deployment d { ...  parallel { tp = 2  dp = 2  ep = 4  pp = 1 } }
""",
)

NO_ROUTER = _code(
    "CC5006",
    "no-router",
    E,
    "the engine target starts no router for a prefill/decode deployment",
    """
A disaggregated deployment serves through a router: it sends each request to a prefill
instance, then to a decode instance that takes over the KV cache. ccc starts the router
each engine documents (SGLang's `sglang_router`, vLLM's `vllm-router`, vllm-ascend's
load-balancing proxy). For FastDeploy (whose prefill and decode roles refuse to start
without its router and RDMA ports) and MindIE (whose prefill/decode runs under MindIE
Motor's controller and coordinator) it writes none yet, so the instances would start with
nothing to route to them. Serve the deployment unified, or use an engine whose router ccc
starts.
Bad:
  import "std/ascend"
  import "std/models/llama"
  import "std/toolkits/mindie"
  cluster c { server = atlas_800t_a2  nodes = 2 }
  deployment d {
    model = llama3_1_70b  cluster = c  toolkit = mindie  weights = bf16
    prefill { devices = 8  parallel { tp = 8 } }
    decode { devices = 8  parallel { tp = 8 } }
  }
Good:
  deployment d { ...  devices = 16  parallel { tp = 8 } }
""",
)

WEIGHTS_DOWNLOADED = _code(
    "CC5007",
    "weights-downloaded",
    W,
    "every pod downloads the checkpoint again when it starts",
    """
The checkpoint is a Hugging Face repository id and the contract says nowhere to keep it: each
pod downloads the whole model into its own file system at every start (hundreds of GB for a
large model, and a gated model fails without a token). Keep the cache on a claim
(`storage { cache_claim = "..." }`, with `token_secret` naming a Secret whose key `token`
is the Hugging Face token), or point `checkpoint` at a copy the nodes hold (read where it
is, or from `storage { claim = "..." }`).
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d {
    model = qwen3_32b  cluster = c  toolkit = vllm  weights = bf16
    image = "vllm/vllm-openai:v0.11.0"
  }
Good:
  deployment d { ...  storage { cache_claim = "hf-cache" } }
""",
)

# ---- CC6xxx: manifest drift (`ccc validate`) ------------------------------------------------
# Raised by `ccc validate MANIFEST_DIR --contract FILE` at the manifest's key, flag or word;
# each Bad example is an edit of a manifest `ccc compile` wrote (tests/test_validate.py).

MANIFEST_VALUE_CHANGED = _code(
    "CC6001",
    "manifest-value-changed",
    E,
    "a manifest changed a value its contract decides",
    """
A degree, a device count, an engine flag the plan decides, the image or the checkpoint
differs from what `ccc compile` writes for the contract; or a flag the plan leaves to the
engine's default was added. The message says the value ccc writes and the plan decision
behind it. Change the contract and compile again instead of editing the manifest.
Bad:
  args: [serve, Qwen/Qwen3-32B, --tensor-parallel-size, '2']   # the plan has tp = 4
Good:
  args: [serve, Qwen/Qwen3-32B, --tensor-parallel-size, '4']
""",
)

MANIFEST_FILE_MISSING = _code(
    "CC6002",
    "manifest-file-missing",
    E,
    "a file `ccc compile` writes for the contract is missing",
    """
Every target checked in (a target's directory exists under some deployment, or `--target`
names it) must have all the files the contract compiles to, for every deployment. Also
raised when the directory holds no manifest of the contract at all.
Bad:
  rm out/qwen3_chat/k8s/qwen3-chat.yaml
Good:
  ccc compile contract.cc -o out/
""",
)

MANIFEST_VALUE_MISSING = _code(
    "CC6003",
    "manifest-value-missing",
    E,
    "a manifest removed a key, flag, document or command its contract decides",
    """
A resource limit, a flag, an environment variable, a Kubernetes object or a command that
`ccc compile` writes is gone. The site may add keys, labels, annotations and flags, but
not remove what the plan decides.
Bad:
  resources: {limits: {}}          # ccc writes nvidia.com/gpu: 4
Good:
  resources: {limits: {nvidia.com/gpu: 4}}
""",
)

MANIFEST_INFEASIBLE = _code(
    "CC6004",
    "manifest-infeasible",
    E,
    "a manifest's edited degrees no longer fit the devices",
    """
When a manifest states other engine degrees than the plan (tensor, pipeline, data or
expert parallelism, or the context), `ccc validate` places the role at those degrees as
`ccc plan` would and reports what breaks: memory (with the figures per device), attention
heads, layers or the scale-up domain.
Bad:
  --tensor-parallel-size 2   # 405B parameters over 2 devices per stage: no fit
Good:
  --tensor-parallel-size 8
""",
)

MANIFEST_MALFORMED = _code(
    "CC6005",
    "manifest-malformed",
    E,
    "a manifest does not parse",
    """
A checked-in manifest is not valid YAML, JSON or shell of the kind ccc writes (an
unclosed quote, a tab in YAML indentation, invalid UTF-8), uses YAML aliases (refused, so
that a small file cannot expand into a huge one), or is larger than 8 MiB.
Bad:
  args: [serve, "Qwen/Qwen3-32B]
Good:
  args: [serve, "Qwen/Qwen3-32B"]
""",
)

# ---- CC7xxx: limits and safety -------------------------------------------------------------

IMPORT_ESCAPES = _code(
    "CC7001",
    "import-escapes-project",
    E,
    "a path leaves the project directory",
    """
Imports and model configs are read from the project directory (the directory of the
file given to ccc), a `--catalog DIR`, the standard catalog or the Hugging Face cache;
a path that climbs out of them is refused, so a contract cannot read arbitrary files.
Bad:
  import "../../outside"
Good:
  import "shared/site"
""",
)

INPUT_TOO_LARGE = _code(
    "CC7002",
    "input-too-large",
    E,
    "a file beyond ccc's size limits",
    """
Contract files are at most 1 MiB, config files 4 MiB, and a contract loads at most 256
files; larger inputs are refused rather than read.
Bad:
  # a .cc file of more than 1 MiB
Good:
  # split the catalog into files that import each other
""",
)

TOO_DEEP = _code(
    "CC7003",
    "nesting-too-deep",
    E,
    "blocks, lists or imports nested too deeply",
    """
Blocks and lists nest at most 16 levels, and a chain of imports (a file importing a file
importing ...) is at most 32 files long; deeper input is refused before it is parsed.
Bad:
  server s { allocation_groups = [[[[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]]] }
Good:
  server s { allocation_groups = [[0, 1], [2, 3]] }
""",
)

NUMBER_TOO_LARGE = _code(
    "CC7004",
    "number-too-large",
    E,
    "a number beyond ccc's limits",
    """
A figure is at most 1e30 in SI units (bytes, FLOP/s, seconds, watts) and a count (devices,
nodes, requests, tokens) at most 1e15: far beyond any real cluster, and small enough that
the arithmetic of placement and prediction stays exact and finite.
Bad:
  import "std/nvidia"
  import "std/models/qwen"
  import "std/toolkits/vllm"
  cluster c { server = hgx_h200  nodes = 1 }
  deployment d { model = qwen3_32b  cluster = c  toolkit = vllm
    workload { concurrency = 1e308 } }
Good:
  deployment d { ...  workload { concurrency = 64 } }
""",
)

CLUSTER_TOO_LARGE = _code(
    "CC7005",
    "cluster-too-large",
    E,
    "a cluster beyond the number of devices ccc plans for",
    """
ccc plans clusters of up to 262,144 devices (2^18, more than the largest AI clusters
announced); every device gets a rank in plan.json, so a larger cluster is refused rather
than planned for minutes in gigabytes of memory. Split it into clusters per building or
supernode group.
Bad:
  import "std/nvidia"
  cluster c { server = hgx_h200  nodes = 1000000 }
Good:
  cluster c { server = hgx_h200  nodes = 1024 }
""",
)

LIST_TOO_LONG = _code(
    "CC7006",
    "list-too-long",
    E,
    "a list with more items than ccc reads",
    """
A list holds at most 16,384 items (every chip of an 8,192-chip supernode, twice); a longer
list is refused before it is parsed rather than read for seconds into hundreds of MB.
Bad:
  server s { allocation_groups = [[0, 1, 2, 3, ... 20,000 numbers]] }
Good:
  server s { allocation_groups = [[0, 1, 2, 3], [4, 5, 6, 7]] }
""",
)

# ---- CC9xxx: internal errors ----------------------------------------------------------------

INTERNAL_ERROR = _code(
    "CC9001",
    "internal-error",
    E,
    "ccc itself failed",
    """
An unexpected failure inside ccc, not a mistake in the contract. Run again with
`--debug` for a traceback and report it with the input that caused it.
Bad:
  # no contract causes this on purpose
Good:
  # report it
""",
)

"""Performance: predicted TTFT, TPOT and tokens/s of one instance, term by term.

In: a `Scenario` (model, per-device hardware peaks, links, degrees, the memory breakdown from
`ccc.hardware.memory`, the workload) and `Factors` (achievable fractions of peak, from calibration).
Out: a `Prediction` with every metric and the terms it came from.

The model is analytic (roofline-style), in two steps so calibration can refit factors cheaply:
`work()` turns a scenario into seconds *at peak* (compute, memory, link and latency seconds per
prefill chunk and per decode step), and `predict()` divides them by the factors and composes
the metrics. Every device is a die; figures are for the busiest device of an instance.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ccc.hardware.memory import Degrees, MemoryBreakdown, Precisions, param_counts
from ccc.ir import Model
from ccc.precision import DTYPE_BYTES

__all__ = [
    "Factors",
    "Hardware",
    "Link",
    "Links",
    "Prediction",
    "Scenario",
    "Work",
    "decode_step",
    "distinct_experts",
    "mixed_step",
    "predict",
    "prefill_step",
    "request_cost",
    "step_seconds",
    "tokens_per_step",
    "tpot_of",
    "work",
]

_ACTIVATION_BYTES = 2  # bf16 activations on the wire (TP all-reduce, EP combine)


class Factors(NamedTuple):
    """Achievable fractions of peak, and where they came from."""

    compute: float  # of the dense tensor throughput, in prefill (large matmuls)
    bandwidth: float  # of the memory bandwidth, for weight and KV reads
    network: float  # of a scale-up link's bandwidth (server or supernode fabric), collectives
    imbalance: float = 1.0  # busiest EP rank's expert load over the mean (1: ideal balance)
    # Fixed costs a roofline does not see: per layer of a forward step (kernel launches,
    # synchronisation, collectives' start-up), and per sequence of a step on one DP rank (the
    # engine's scheduling, sampling and detokenisation on the host).
    network_out: float = 1.0  # of a scale-out link's bandwidth (RDMA NICs between servers)
    # of the dense tensor throughput in decode, whose matmuls are skinny (a few rows per
    # expert) and whose attention reads the cache: kernels reach less of the peak there
    decode_compute: float = 1.0
    layer_latency: float = 0.0  # s
    sequence_overhead: float = 0.0  # s
    # Serving over HTTP (the `online` harness, not an offline benchmark or a profile):
    # request handling and tokenisation before the first token, and per sequence of a step
    # the API server's detokenising and streaming.
    request_latency: float = 0.0  # s per request, on its TTFT
    host_overhead: float = 0.0  # s per sequence per step
    # A collective's start-up, per hop of its ring, on a tier whose latency the catalog does
    # not know: inside a server or supernode, and between servers.
    hop_latency: float = 0.0  # s
    hop_latency_out: float = 0.0  # s
    # The routed experts' kernels' speed over the dense ones' (grouped matmuls over many small
    # experts, routing, permutation): an engine's MoE path may reach less than its matmuls.
    moe_efficiency: float = 1.0
    layer: str = "global"
    rows: tuple[str, ...] = ()


class Hardware(NamedTuple):
    """One device (die): peaks for the served dtype, None where the catalog says unknown."""

    compute: float | None  # FLOP/s of matmuls at the weights' rate
    compute_dtype: str
    attention: float | None  # FLOP/s of attention scores (16-bit activations)
    bandwidth: float | None  # bytes/s
    power: float | None  # W


class Link(NamedTuple):
    """The tier a group spans: per-direction bandwidth (bytes/s) and hop latency (s)."""

    bandwidth: float | None
    latency: float | None
    scale_out: bool = False  # the network between servers, not a server's or supernode's fabric


class Links(NamedTuple):
    tp: Link
    ep: Link
    pp: Link
    ep_servers: int = 1  # servers an EP group spans over the scale-out network (1: it doesn't)
    tp_servers: int = 1  # servers a TP group spans over the scale-out network (1: it doesn't)
    server: Link | None = None  # the link inside one server, where a group spans several


class Scenario(NamedTuple):
    model: Model
    hardware: Hardware
    links: Links
    degrees: Degrees
    dtypes: Precisions
    memory: MemoryBreakdown
    phase: str  # "both", "prefill" or "decode"
    input_tokens: int
    output_tokens: int
    concurrency: int | None  # requests offered to the instance; None: as many as fit
    max_batch: int | None  # the engine's cap on sequences decoded at once, per DP rank
    prefill_chunk: int  # tokens one DP rank prefills per step
    cached_fraction: float = 0.0  # prompt tokens served from the prefix cache
    draft_tokens: int = 0
    acceptance: float = 0.0
    ideal_balance: bool = False
    # Requests in a benchmark run (the first `concurrency` start together); None: a service
    # under sustained load, where only the steady state counts.
    run_requests: int | None = None
    # `online` (a client over HTTP), `offline` (the engine's own throughput benchmark) or
    # `profile` (step timings inside the engine): which fixed costs the figures include.
    harness: str = "online"
    # How the run's lengths spread about their means (`ccc.performance.lengths`), and the
    # rate its client sends at (None: all at once, `concurrency` in flight).
    dataset: str = "fixed"
    min_fraction: float | None = None
    request_rate: float | None = None
    schedule: str = "mixed"  # the engine's scheduler (`ccc.ir.SCHEDULES`)
    # how its KV cache admits: `reserved` (prompt and output at admission) or `computed`
    # (as tokens are computed, the newest sequence preempted by recompute when it fills)
    kv_admission: str = "reserved"


class Step(NamedTuple):
    """One forward step of the busiest device, in seconds at 100 % of each peak, by the class
    of kernel that spends them (each class bound by its own roofline: see `_core`)."""

    compute: float  # dense matmuls (attention projections, dense and shared FFNs, the head)
    expert_compute: float  # routed experts' matmuls (scaled by imbalance)
    memory: float  # dense weights read
    attention: float  # attention over the context (scores and values)
    kv: float  # KV cache read by attention
    expert_memory: float  # routed experts' weights read
    network: tuple[float, float]  # TP all-reduce and PP sends (scale-up, scale-out), in line
    expert_network: tuple[float, float]  # EP dispatch/combine, overlapped with compute
    latency: float  # hop latencies of the collectives, where the catalog knows them
    layers: int  # layers one step passes through on the critical path
    sequences: float  # sequences one DP rank handles in the step
    decode: bool = False
    online: bool = False  # the step's sequences stream to HTTP clients
    hops: tuple[float, float] = (0.0, 0.0)  # hops of unknown latency (scale-up, scale-out)


class Work(NamedTuple):
    """A scenario's steps at peak, and the batch they were computed for."""

    batch: int  # sequences decoded at once in the instance
    prefill: Step  # one chunk of `chunk` tokens on every DP rank
    chunk: int
    decode: Step  # one decode step of `batch` sequences
    unproven: tuple[str, ...]  # what the prediction could not count (unknown figures)


class Prediction(NamedTuple):
    ttft: float  # s, queueing included
    tpot: float  # s, as benchmark tools define it
    output_per_device: float  # tokens/s
    input_per_device: float  # tokens/s
    total_per_device: float  # tokens/s (input + output)
    per_user: float  # output tokens/s one request sees
    batch: int  # sequences decoded at once
    factors: Factors
    terms: tuple[tuple[str, float], ...]  # seconds per decode step, by cause
    unproven: tuple[str, ...]


# --- building blocks --------------------------------------------------------------------------


def tokens_per_step(draft_tokens: int, acceptance: float) -> float:
    """Tokens a sequence gains per decode step with speculative decoding: the verified token
    plus the accepted drafts (`acceptance` is the fraction of draft tokens accepted)."""
    return 1.0 + draft_tokens * acceptance


def distinct_experts(experts: int, chosen: int, tokens: float) -> float:
    """Expected number of distinct experts hit when `tokens` tokens each route to `chosen` of
    `experts` uniformly: experts * (1 - (1 - chosen/experts) ** tokens)."""
    if experts <= 0 or tokens <= 0:
        return 0.0
    missed: float = (1.0 - min(chosen, experts) / experts) ** tokens  # base >= 0: a real power
    return experts * (1.0 - missed)


def tpot_of(end_to_end: float, ttft: float, output_tokens: int) -> float:
    """Time per output token as benchmark tools define it: (E2E - TTFT) / (output - 1)."""
    return (end_to_end - ttft) / max(output_tokens - 1, 1)


class _Flops(NamedTuple):
    dense: float  # per token: everything but routed experts and attention scores
    experts: float  # per token: the routed experts it is sent to
    attention_per_context: float  # per token per context token: scores and weighted sum
    head: float  # per generated token: the output projection over the vocabulary


def _flops(model: Model) -> _Flops:
    """Matmul FLOPs per token (2 per multiply-add), from the same parameter counts as memory."""
    p = param_counts(model)  # the parameter split memory counts, not a second one
    layers = model.layers or 0
    moe = 0 if model.experts == 0 else layers - min(model.first_dense_layers, layers)
    dense_layers = layers - moe
    attention = layers * (p.attention_split + p.attention_replicated)
    dense = attention + dense_layers * p.dense_ffn + moe * (p.shared + p.router)
    experts = moe * model.experts_per_token * p.expert
    heads = model.heads or 1
    if model.kv_lora_rank:  # MLA, absorbed: scores over the latent plus rope, values in it
        per_context = heads * (2 * model.kv_lora_rank + (model.qk_rope_head_dim or 0))
    else:
        head_dim = model.head_dim or (model.hidden_size or 0) // heads
        per_context = heads * 2 * head_dim
    return _Flops(
        dense=2.0 * dense,
        experts=2.0 * experts,
        attention_per_context=2.0 * layers * per_context,
        head=2.0 * (model.vocab_size or 0) * (model.hidden_size or 0),
    )


# --- work at peak ------------------------------------------------------------------------------


def work(s: Scenario) -> Work:
    """Seconds at peak of one prefill chunk and one decode step of the busiest device."""
    d = s.degrees
    unproven: list[str] = []
    batch = _batch(s)
    chunk = s.prefill_chunk  # a busy engine packs prompts into full chunks
    prefill = _step(s, chunk * d.dp, _prefill_context(s), decode=False, notes=unproven)
    decode_context = s.input_tokens + s.output_tokens / 2
    decode_tokens = batch * (1 + s.draft_tokens)  # every draft is verified
    decode = _step(s, tokens=decode_tokens, context=decode_context, decode=True, notes=unproven)
    return Work(batch, prefill, chunk, decode, tuple(dict.fromkeys(unproven)))


def decode_step(s: Scenario, sequences: int, context: float) -> Step:
    """One decode step of `sequences` sequences over the instance at a mean `context`."""
    tokens = sequences * (1 + s.draft_tokens)
    return _step(s, tokens=tokens, context=context, decode=True, notes=[])


def prefill_step(s: Scenario, tokens: float) -> Step:
    """A prefill step of `tokens` prompt tokens over the instance (a chunk or less)."""
    return _step(s, tokens=tokens, context=_prefill_context(s), decode=False, notes=[])


def mixed_step(s: Scenario, sequences: int, context: float, prompt_tokens: float) -> Step:
    """One step that decodes `sequences` sequences at mean `context` and prefills
    `prompt_tokens` prompt tokens with them (continuous batching with chunked prefill): the
    weights are read once for all its tokens, the routed experts its tokens hit, and each
    part's matmuls, attention and traffic add up; its matmuls are as wide as its tokens."""
    d = decode_step(s, sequences, context)
    if prompt_tokens <= 0:
        return d
    p = prefill_step(s, prompt_tokens)
    total = sequences * (1 + s.draft_tokens) + prompt_tokens
    _, _, routed = _memory_seconds(s, total, 0.0, True, [])
    return d._replace(
        compute=d.compute + p.compute,
        expert_compute=d.expert_compute + p.expert_compute,
        attention=d.attention + p.attention,
        expert_memory=routed,
        network=(d.network[0] + p.network[0], d.network[1] + p.network[1]),
        expert_network=(
            d.expert_network[0] + p.expert_network[0],
            d.expert_network[1] + p.expert_network[1],
        ),
        sequences=d.sequences + p.sequences,
        decode=prompt_tokens < sequences * (1 + s.draft_tokens),
    )


def _prefill_context(s: Scenario) -> float:
    """The context a prompt token attends to in prefill: causal, half the prompt on average."""
    return s.input_tokens / 2 if s.input_tokens else 0.0


def request_cost(s: Scenario, f: Factors) -> float:
    """Seconds a request spends before the engine schedules it: an HTTP server's request
    handling and tokenisation (none for an offline benchmark or a profile)."""
    return f.request_latency if s.harness == "online" else 0.0


def step_seconds(s: Scenario, step: Step, f: Factors) -> float:
    """A step's seconds at the fractions `f` (the roofline `predict` composes)."""
    return _seconds(step, f, s.ideal_balance)


def _batch(s: Scenario) -> int:
    """Sequences decoded at once: what is offered, capped by the KV cache and the engine."""
    fits = s.memory.max_concurrency
    cap = s.max_batch * s.degrees.dp if s.max_batch else None
    limits = [v for v in (s.concurrency, fits, cap) if v is not None]
    return max(1, min(limits)) if limits else 1


def _step(s: Scenario, tokens: float, context: float, decode: bool, notes: list[str]) -> Step:
    """One step of `tokens` tokens over the instance (each DP rank `tokens / dp`)."""
    d, model, hw = s.degrees, s.model, s.hardware
    devices = d.tp * d.dp * d.pp
    f = _flops(model)
    head = f.head * (tokens if decode else d.dp)  # prefill: logits of the last token only
    flops = tokens * f.dense + head
    expert_flops = tokens * f.experts
    attention_flops = tokens * f.attention_per_context * context
    if hw.compute is None:
        notes.append(f"compute at {hw.compute_dtype}")
    peak = hw.compute or math.inf
    # Attention multiplies 16-bit activations whatever the weights are stored in.
    attention_peak = hw.attention or peak
    memory, kv, expert_memory = _memory_seconds(s, tokens, context, decode, notes)
    network, expert_network, latency, hops = _network_seconds(s, tokens, notes)
    per_sequence = 1 + s.draft_tokens if decode else max(s.input_tokens, 1)
    return Step(
        compute=flops / peak / devices,
        expert_compute=expert_flops / peak / devices,
        memory=memory,
        attention=attention_flops / attention_peak / devices,
        kv=kv,
        expert_memory=expert_memory,
        network=network,
        expert_network=expert_network,
        latency=latency,
        layers=model.layers or 0,
        sequences=tokens / d.dp / per_sequence,
        decode=decode,
        online=s.harness == "online",
        hops=hops,
    )


def _memory_seconds(
    s: Scenario, tokens: float, context: float, decode: bool, notes: list[str]
) -> tuple[float, float, float]:
    """Dense weights, KV and routed experts' weights read, over the memory bandwidth."""
    if s.hardware.bandwidth is None:
        notes.append("memory bandwidth")
        return 0.0, 0.0, 0.0
    d, model, m = s.degrees, s.model, s.memory
    routed = sum(t.bytes for t in m.weights if t.name == "routed experts")
    other = m.weight_bytes - routed
    if routed and model.experts:  # a local expert is read only when some token hits it
        routed *= distinct_experts(model.experts, model.experts_per_token, tokens) / model.experts
    # A pipeline stage reads its weights once per micro-batch, and decode keeps `pp` in flight.
    passes = d.pp if decode else 1
    sequences = tokens / max(1, 1 + s.draft_tokens) / d.dp if decode else 0.0
    kv = sequences * context * m.kv_bytes_per_token
    bandwidth = s.hardware.bandwidth
    return other * passes / bandwidth, kv / bandwidth, routed * passes / bandwidth


def _network_seconds(
    s: Scenario, tokens: float, notes: list[str]
) -> tuple[tuple[float, float], tuple[float, float], float, tuple[float, float]]:
    """TP all-reduce, EP dispatch/combine and PP send of one step, over each tier's link:
    (in-line seconds by scale-up/scale-out, overlapped EP seconds likewise, hop latency the
    catalog knows, hops of unknown latency by scale-up/scale-out)."""
    d, model = s.degrees, s.model
    hidden = model.hidden_size or 0
    layers = math.ceil((model.layers or 0) / d.pp)
    moe_layers = 0 if model.experts == 0 else layers - min(model.first_dense_layers, layers)
    per_rank = tokens / d.dp  # tokens of one attention group
    c = _Collectives(notes)
    if d.tp > 1:  # two all-reduces per layer (attention out, FFN out)
        _all_reduce(s, c, 2 * layers, per_rank * hidden * _ACTIVATION_BYTES)
    width = d.tp * d.dp
    if moe_layers and d.ep > 1:  # dispatch (at the weights' width, 1 byte for 8-bit) + combine
        dispatch = min(DTYPE_BYTES[s.dtypes.weights], _ACTIVATION_BYTES)
        copies = _remote_copies(d.ep, model.experts_per_token, s.links.ep_servers)
        volume = moe_layers * tokens / width * copies * hidden * (dispatch + _ACTIVATION_BYTES)
        c.over(s.links.ep, volume, 2 * moe_layers, "expert-parallel link", overlapped=True)
    elif moe_layers and width > d.tp:  # experts split over tp x dp: gather, then reduce-scatter
        volume = moe_layers * 2 * (width - 1) / width * tokens / d.tp * hidden * _ACTIVATION_BYTES
        c.over(s.links.ep, volume, 2 * moe_layers * (width - 1), "expert link")
    if d.pp > 1:  # each stage hands its activations on
        volume = tokens / width * hidden * _ACTIVATION_BYTES
        c.over(s.links.pp, volume, d.pp - 1, "pipeline link")
    return (
        (c.seconds[0], c.seconds[1]),
        (c.expert[0], c.expert[1]),
        c.latency,
        (c.hops[0], c.hops[1]),
    )


class _Collectives:
    """Bytes and hops of a step's collectives, summed by tier as `_network_seconds` adds them."""

    def __init__(self, notes: list[str]) -> None:
        self.notes = notes
        self.seconds, self.expert, self.hops = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
        self.latency = 0.0

    def over(
        self, link: Link, volume: float, hops: float, name: str, overlapped: bool = False
    ) -> None:
        """`volume` bytes over `link`; its hops' latency where the catalog knows it, else
        counted for the fitted hop latency of the tier.

        An unknown hop latency leaves no hole: the fitted factor of the tier stands for what
        collectives cost to start. An unknown bandwidth does, and the prediction says so."""
        tier = 1 if link.scale_out else 0
        if link.bandwidth is None:
            self.notes.append(f"{name} bandwidth")
        if link.bandwidth:
            (self.expert if overlapped else self.seconds)[tier] += volume / link.bandwidth
        if link.latency:
            self.latency += hops * link.latency
        else:
            self.hops[tier] += hops


def _all_reduce(s: Scenario, c: _Collectives, count: int, size: float) -> None:
    """`count` all-reduces of `size` bytes per rank over the TP group.

    Inside one tier, a ring: 2 (n - 1) / n of the data and 2 (n - 1) hops. A group that spans
    S servers of g devices each reduces hierarchically, as NCCL's and HCCL's multi-node
    algorithms do: reduce-scatter and all-gather inside each server (2 (g - 1) / g of the data
    over the server's link), and between servers an all-reduce of each device's 1/g share over
    its own NIC (2 (S - 1) / S x 1/g of the data, 2 (S - 1) hops)."""
    tp, servers = s.degrees.tp, s.links.tp_servers
    inner = s.links.server
    if servers <= 1 or inner is None or tp % servers:
        volume = count * 2 * (tp - 1) / tp * size
        c.over(s.links.tp, volume, count * 2 * (tp - 1), "tensor-parallel link")
        return
    g = tp // servers
    if g > 1:
        volume = count * 2 * (g - 1) / g * size
        c.over(inner, volume, count * 2 * (g - 1), "tensor-parallel link")
    volume = count * 2 * (servers - 1) / servers * size / g
    c.over(s.links.tp, volume, count * 2 * (servers - 1), "tensor-parallel link across servers")


def _remote_copies(ep: int, chosen: int, servers: int) -> float:
    """Copies of a token's hidden state sent off its device by EP dispatch (and back).

    Over a supernode's or a server's fabric, one per distinct remote rank its experts sit on.
    Across servers, hierarchical all-to-all (DeepEP's normal kernels) sends a token once to
    each remote server it needs and fans out on the scale-up link there, so the slow link
    carries one copy per distinct remote server.
    """
    if servers > 1:
        return (servers - 1) * (1 - (1 - 1 / servers) ** chosen)
    return (ep - 1) * (1 - (1 - 1 / ep) ** chosen)


# --- metrics -----------------------------------------------------------------------------------


def _seconds(step: Step, f: Factors, balanced: bool) -> float:
    """A step: its kernels (`_core`), EP traffic overlapped with them (two micro-batches take
    turns, as DeepSeek's and SGLang's two-batch overlap do), then the TP and PP traffic and
    the hop latencies on the critical path."""
    _, _, network, expert = _parts(step, f, balanced)
    core = _core(step, f, balanced)
    return max(core, expert) + network + _latency(step, f) + _overhead(step, f)


def _core(step: Step, f: Factors, balanced: bool) -> float:
    """The kernels of a step run one after another, each bound by its own roofline: the
    dense matmuls by their weights or their FLOPs, attention by the KV it reads or its
    FLOPs, the routed experts by their weights or their FLOPs. Summed per class, not one
    roofline of the totals: a decode step whose matmuls are bound by weight reads still
    spends its attention's time on top (a step grows with its batch before the weights
    stop binding it, as CloudMatrix-Infer's decode does: 14.9 ms at 8 per NPU, 49.4 at 96)."""
    fraction = f.decode_compute if step.decode else f.compute
    imbalance = 1.0 if balanced else f.imbalance
    bandwidth = f.bandwidth
    return (
        max(step.compute / fraction, step.memory / bandwidth)
        + max(step.attention / fraction, step.kv / bandwidth)
        + max(step.expert_compute * imbalance / fraction, step.expert_memory / bandwidth)
        / f.moe_efficiency
    )


def _latency(step: Step, f: Factors) -> float:
    """Collectives' start-up: the catalog's hop latencies, the fitted ones where unknown."""
    return step.latency + step.hops[0] * f.hop_latency + step.hops[1] * f.hop_latency_out


def _overhead(step: Step, f: Factors) -> float:
    host = f.host_overhead if step.online else 0.0
    return step.layers * f.layer_latency + step.sequences * (f.sequence_overhead + host)


def _parts(step: Step, f: Factors, balanced: bool) -> tuple[float, float, float, float]:
    """Compute and memory seconds in all (for reports), TP/PP and EP traffic seconds."""
    imbalance = 1.0 if balanced else f.imbalance
    fraction = f.decode_compute if step.decode else f.compute
    compute = (step.compute + step.attention + step.expert_compute * imbalance) / fraction
    memory = (step.memory + step.kv + step.expert_memory) / f.bandwidth
    expert = _network(step.expert_network, f) * imbalance
    return compute, memory, _network(step.network, f), expert


def _network(seconds: tuple[float, float], f: Factors) -> float:
    return seconds[0] / f.network + seconds[1] / f.network_out


def predict(s: Scenario, w: Work, f: Factors, explain: bool = True) -> Prediction:
    """The metrics of `s` from its work at peak and the achievable fractions `f`."""
    d = s.degrees
    devices = d.tp * d.dp * d.pp
    chunk_time = max(
        _seconds(w.prefill, f, s.ideal_balance), 1e-12
    )  # a chunk on every DP rank, a stage
    computed = w.chunk * d.dp / chunk_time  # prompt tokens computed per second, the instance
    uncached = max(1e-9, 1.0 - s.cached_fraction)
    # One prompt alone: its uncached tokens through every stage, at the chunk's pace.
    latency = max(s.input_tokens, 1) * uncached / w.chunk * chunk_time * d.pp
    step = max(_seconds(w.decode, f, s.ideal_balance), 1e-12)
    gained = tokens_per_step(s.draft_tokens, s.acceptance)
    # the decode step by cause, for reports (a fit asks for the metrics only)
    terms = _terms(w.decode, f, s.ideal_balance) if explain else ()
    if s.phase == "prefill":  # cached prompt tokens are counted, not computed
        ttft = latency + request_cost(s, f)
        return _result(ttft, 0.0, 0.0, computed / uncached / devices, 0.0, w, f, terms)
    if s.phase == "decode":
        tpot = step / gained
        return _result(0.0, tpot, w.batch / tpot / devices, 0.0, 1 / tpot, w, f, terms)
    timing = _Timing(computed / uncached, latency, step, gained, devices)
    return _aggregated(s, w, f, terms, timing)


class _Timing(NamedTuple):
    prefill_rate: float  # prompt tokens per second of the instance (cached ones counted)
    prefill_latency: float  # s, one prompt alone
    step: float  # s, one decode step of the batch
    gained: float  # tokens per sequence per step
    devices: int


def _aggregated(
    s: Scenario, w: Work, f: Factors, terms: tuple[tuple[str, float], ...], t: _Timing
) -> Prediction:
    """Prefill and decode share the instance (continuous batching, chunked prefill).

    `b` requests are active. While one of them decodes its `output - 1` tokens, the instance
    also prefills the prompts of the `b - 1` others that take turns with it, so a request is
    active for b * prompt + decode seconds and X = b / active complete per second.

    TTFT: a run of R requests at concurrency c starts with c requests issued together. The
    first min(b, c) are prefilled one after another; requests beyond b wait for completions
    (k - b of them for the k-th); after that first wave each new request waits for the
    running step, for the prompts ahead of it (M/D/1 at utilisation X * prompt) and, when c
    exceeds b, for c - b completions. A sustained service (R unset) is that steady state.
    """
    b = w.batch
    prompt = max(s.input_tokens, 1) / t.prefill_rate  # instance seconds per prompt
    decode = max(s.output_tokens - 1, 0) * t.step / t.gained
    active = b * prompt + decode
    rate = b / active
    offered = s.concurrency or b
    queued = max(offered - b, 0)
    busy = min(rate * prompt, 0.95)
    steady = t.step / 2 + busy / (2 * (1 - busy)) * prompt + t.prefill_latency + queued / rate
    ttft = steady
    if s.run_requests is not None:
        run = max(s.run_requests, offered)
        admitted = min(b, offered)
        first = prompt * admitted * (admitted + 1) / 2  # the first prompts, one after another
        first += queued * t.prefill_latency + queued**2 / (2 * rate)  # beyond b: completions
        ttft = (first + (run - offered) * steady) / run
    ttft += request_cost(s, f)
    tpot = (active - prompt) / max(s.output_tokens - 1, 1) if s.output_tokens > 1 else 0.0
    out = rate * s.output_tokens / t.devices
    inp = rate * s.input_tokens / t.devices
    return _result(ttft, tpot, out, inp, 1 / tpot if tpot else 0.0, w, f, terms)


def _result(
    ttft: float,
    tpot: float,
    out: float,
    inp: float,
    per_user: float,
    w: Work,
    f: Factors,
    terms: tuple[tuple[str, float], ...],
) -> Prediction:
    return Prediction(ttft, tpot, out, inp, out + inp, per_user, w.batch, f, terms, w.unproven)


def _terms(step: Step, f: Factors, balanced: bool) -> tuple[tuple[str, float], ...]:
    compute, memory, network, expert = _parts(step, f, balanced)
    return (
        ("compute", compute),
        ("memory", memory),
        ("expert all-to-all (overlapped)", expert),
        ("tensor and pipeline traffic", network),
        ("latency", _latency(step, f)),
        ("fixed overheads", _overhead(step, f)),
    )

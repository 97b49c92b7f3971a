"""Performance: a benchmark run simulated as the engine runs it, on the model's own step costs.

In: a `Scenario` whose run is stated (`run_requests` requests, their data set and an arrival
rate or all at once, at most `concurrency` in flight), its `Work` and the `Factors`. Out: the
same `Prediction` as the closed form, with TTFT, TPOT and throughput as the run's averages the
benchmark clients report: TTFT and TPOT = (E2E - TTFT) / (output - 1) per request, averaged;
throughput = tokens over the run's duration.

The engine is continuous batching with chunked prefill, scheduled as the toolkit's engine
does it (`schedule`): a `mixed` step (vLLM V1, TensorRT-LLM) decodes every running sequence and
fills the rest of its token budget (the prefill chunk on every DP rank) with waiting prompts in
arrival order; a `prefill_first` engine (SGLang: scheduler.py get_next_batch_to_run, "Run
prefill first if possible") runs a step of prompts alone, up to the chunk, whenever one is
admitted, and its running sequences wait for it; a `prefill_first_rotating` engine (MindIE)
does the same but admits what its KV cache holds, past its batch cap, and each decode step
takes the cap's worth of the running sequences in turn (an even share of the steps each, the
fluid limit of its round robin). A request is admitted while the running batch is under the
engine's cap (but for a rotating engine) and its whole length fits the KV cache; a completion
frees both. A
step costs what its tokens cost together (`mixed_step`: the weights read once, the experts
its tokens hit, each part's matmuls and attention), so a short prompt alone still reads every
weight, and a steady load comes close to the closed form (which prices prompts at the chunk's
rate).

Events, not steps: every running sequence gains the same tokens per step, so the step at which
each will finish is known when it starts decoding; between admissions the run jumps from one
completion (or arrival) to the next.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import deque
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ccc.performance.lengths import lengths
from ccc.performance.model import (
    Factors,
    Prediction,
    Scenario,
    Step,
    Work,
    decode_step,
    mixed_step,
    predict,
    prefill_step,
    request_cost,
    step_seconds,
    tokens_per_step,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MAX_REQUESTS", "Costs", "Engine", "Run", "Timeline", "run_of", "simulate"]

_SEED = 0  # the arrival process is seeded, as the clients' --seed defaults are (0)
# Runs longer than this are left to the closed form's run formula (a burst, then the steady
# state): their first wave is a small part of them, and simulating a million requests takes
# seconds. The longest published run (trtllm-bench) has 30,000.
MAX_REQUESTS = 50_000


class Run(NamedTuple):
    """Each request's lengths and the earliest time its client may send it."""

    prompt: np.ndarray
    output: np.ndarray
    arrival: np.ndarray  # s from the start of the run
    concurrency: int  # requests the client keeps in flight


def run_of(s: Scenario) -> Run:
    """The run `s` states: `run_requests` requests drawn from its data set, sent all at once
    (as many as `concurrency` allows) or at `request_rate` per second, Poisson as
    `vllm bench serve` sends them (burstiness 1: exponential gaps)."""
    import numpy as np

    n = s.run_requests or 1
    drawn = lengths(s.dataset, s.input_tokens, s.output_tokens, n, s.min_fraction)
    arrival = np.zeros(n)
    if s.request_rate:
        gaps = np.random.default_rng(_SEED).exponential(1 / s.request_rate, n)
        arrival = np.concatenate(([0.0], np.cumsum(gaps[:-1])))
    return Run(drawn.prompt, drawn.output, arrival, s.concurrency or n)


class _Costs:
    """Step seconds at the factors: decode steps cached by batch (context enters linearly:
    attention FLOPs and KV reads grow with it, nothing else does), steps with prompts priced
    whole (`mixed_step`)."""

    def __init__(self, s: Scenario, f: Factors) -> None:
        self.s, self.f = s, f

    @functools.lru_cache(maxsize=4096)  # noqa: B019  (one instance per simulation)
    def _decode(self, n: int) -> tuple[Step, float, float]:
        at_zero = decode_step(self.s, n, 0.0)
        at_one = decode_step(self.s, n, 1.0)
        return at_zero, at_one.attention - at_zero.attention, at_one.kv - at_zero.kv

    def step(self, decoding: int, context: float, prompt_tokens: float) -> float:
        """One step: `decoding` sequences at mean `context`, plus `prompt_tokens` prefilled."""
        if decoding == 0:
            return max(step_seconds(self.s, prefill_step(self.s, prompt_tokens), self.f), 1e-12)
        if prompt_tokens > 0:
            mixed = mixed_step(self.s, decoding, context, prompt_tokens)
            return step_seconds(self.s, mixed, self.f)
        base, d_attention, d_kv = self._decode(decoding)
        at = base._replace(
            attention=base.attention + context * d_attention, kv=base.kv + context * d_kv
        )
        return step_seconds(self.s, at, self.f)


class Timeline(NamedTuple):
    sent: list[float]
    first: list[float]
    done: list[float]


def simulate(s: Scenario, w: Work, f: Factors, run: Run | None = None) -> Prediction:
    """The run's averages, as its benchmark client reports them."""
    run = run or run_of(s)
    engine = Engine(s, _Costs(s, f), request_cost(s, f), run)
    return _averages(s, w, f, engine, engine.run())


class Costs(Protocol):
    def step(self, decoding: int, context: float, prompt_tokens: float) -> float: ...


class Engine:
    """One instance's scheduler over a run, on `costs` (`_Costs`, or a test's own)."""

    def __init__(self, s: Scenario, costs: Costs, delay: float, run: Run) -> None:
        self.costs = costs
        self.mixed = s.schedule == "mixed"
        self.draft_tokens = s.draft_tokens
        self.run_ = run
        n = len(run.prompt)
        self.prompt = [float(x) for x in run.prompt]
        self.output = [max(1, round(x)) for x in run.output]
        uncached = 1.0 - s.cached_fraction
        self.left = [p * uncached for p in self.prompt]  # prompt tokens still to compute
        self.gained = tokens_per_step(s.draft_tokens, s.acceptance)
        self.budget = s.prefill_chunk * s.degrees.dp  # tokens per step, the instance
        d, m = s.degrees, s.memory
        batch = s.max_batch * d.dp if s.max_batch else n
        # A rotating engine admits what its KV cache holds and decodes `batch` of them a step,
        # in turn; the others cap what runs at all.
        self.rotating = s.schedule == "prefill_first_rotating"
        self.cap = n if self.rotating else batch
        self.decode_cap = batch
        per_rank = m.sequences_per_rank
        self.kv = math.inf if per_rank is None else per_rank * m.context_tokens * d.dp
        # An engine that allocates the cache as tokens are computed admits on the prompt and
        # preempts its newest sequence by recompute when the cache fills (vLLM V1, MindIE);
        # one that reserves admits on the whole length and never preempts (`kv_admission`).
        self.computed = s.kv_admission == "computed"
        self.done_tokens = [0] * n  # tokens a preempted request had generated
        self.held = [0.0] * n  # cache tokens reserved at its admission
        self.base = [0.0] * n  # its term of context_base
        self.admitted: list[int] = []  # in admission order, for the newest to preempt
        self.is_decoding = [False] * n
        self.join_sum = 0.0  # sum of the decoders' join steps
        self.times = Timeline([math.nan] * n, [math.nan] * n, [math.nan] * n)
        self.completed: list[float] = []  # completion times in order, for the client
        self.next_request = 0
        self.queued: deque[tuple[float, int]] = deque()  # (when it reaches the engine, id)
        self.waiting: deque[int] = deque()
        self.prefilling: deque[int] = deque()
        self.running = 0  # admitted and not finished
        self.kv_used = 0.0
        self.finishing: list[tuple[float, int]] = []  # (step it finishes at, request)
        # Decode steps each running sequence has taken so far (the clock every sequence decodes
        # on; a rotating engine's sequences take a share of the steps, the same for each).
        self.steps = 0.0
        self.decoding = 0
        self.context_base = 0.0  # sum of (prompt + 1 - gained x join step) over decoders
        self.join = [0.0] * n  # the decode step after which each request started decoding
        self.now = 0.0
        self.delay = delay  # from the client's send to the engine's queue

    # --- the client ---------------------------------------------------------------------------

    def _ready_time(self, i: int) -> float | None:
        """When the client may send request i: its arrival, once a slot of its concurrency
        is free (the (i - c)-th completion); None while that completion is still to come."""
        c = self.run_.concurrency
        arrival = float(self.run_.arrival[i])
        if i < c:
            return arrival
        if len(self.completed) <= i - c:
            return None
        return max(arrival, self.completed[i - c])

    def _send(self) -> None:
        while self.next_request < len(self.prompt):
            ready = self._ready_time(self.next_request)
            if ready is None or ready > self.now:
                break
            self.times.sent[self.next_request] = ready
            self.queued.append((ready + self.delay, self.next_request))
            self.next_request += 1
        while self.queued and self.queued[0][0] <= self.now:
            self.waiting.append(self.queued.popleft()[1])

    def _next_arrival(self) -> float | None:
        """When the next request reaches the engine's queue (None: none is on its way)."""
        times = [self.queued[0][0]] if self.queued else []
        if self.next_request < len(self.prompt):
            ready = self._ready_time(self.next_request)
            if ready is not None:
                times.append(max(ready, self.now) + self.delay)
        return min(times) if times else None

    # --- the scheduler --------------------------------------------------------------------------

    def _admit(self) -> None:
        while self.waiting and self.running < self.cap:
            i = self.waiting[0]
            context = self.prompt[i] + self.done_tokens[i]
            need = context if self.computed else self.prompt[i] + self.output[i]
            if self.running and self._kv_in_use() + need > self.kv:
                return
            self.waiting.popleft()
            self.running += 1
            self.kv_used += need
            self.held[i] = need
            self.admitted.append(i)
            self.prefilling.append(i)

    def _kv_in_use(self, extra_steps: float = 0.0) -> float:
        """Cache tokens held: what admission reserved, plus (where the cache is allocated as
        tokens are computed) what the decoders have generated since they joined."""
        if not self.computed:
            return self.kv_used
        grown = self.gained * (self.decoding * (self.steps + extra_steps) - self.join_sum)
        return self.kv_used + grown

    def _preempt_newest(self) -> bool:
        """Preempt the newest decoding sequence by recompute (vLLM V1 scheduler.py:
        `self.running.pop()`, `_preempt_request`: its computed tokens dropped, prepended to
        the waiting queue); False when only one decodes."""
        if self.decoding <= 1:
            return False
        for index in range(len(self.admitted) - 1, -1, -1):
            i = self.admitted[index]
            if not self.is_decoding[i]:  # finished, or prefilling
                continue
            del self.admitted[index]
            self.is_decoding[i] = False
            generated = self.done_tokens[i] + 1 + int(self.gained * (self.steps - self.join[i]))
            self.done_tokens[i] = min(generated, self.output[i] - 1)
            self.finishing = [(f, j) for f, j in self.finishing if j != i]
            heapq.heapify(self.finishing)
            self.decoding -= 1
            self.context_base -= self.base[i]
            self.join_sum -= self.join[i]
            self.running -= 1
            self.kv_used -= self.held[i]
            self.left[i] = self.prompt[i] + self.done_tokens[i]
            self.waiting.appendleft(i)
            return True
        return False

    def run(self) -> Timeline:
        total = len(self.prompt)
        while len(self.completed) < total:
            self._send()
            self._admit()
            if self.running == 0:
                arrival = self._next_arrival()
                assert arrival is not None, "an idle engine has a request to wait for"
                self.now = max(self.now, arrival)
                continue
            if self.prefilling:
                self._prefill_step()
            else:
                self._decode_until_event()
        return self.times

    def _context(self, extra_steps: float = 0.0) -> float:
        total = self.context_base + self.decoding * self.gained * (self.steps + extra_steps)
        return total / self.decoding if self.decoding else 0.0

    def _prefill_step(self) -> None:
        """One step that prefills up to the budget: beside every running sequence's decode
        (`mixed`), or alone while they wait (`prefill_first`)."""
        decoding = self.decoding if self.mixed else 0
        room = max(self.budget - decoding * (1 + self.draft_tokens), 1)
        tokens, started = 0.0, []
        while self.prefilling and room - tokens > 0:
            i = self.prefilling[0]
            take = min(self.left[i], room - tokens)
            self.left[i] -= take
            tokens += take
            if self.left[i] > 1e-9:
                break
            started.append(self.prefilling.popleft())
        self.now += self.costs.step(decoding, self._context(), tokens)
        if decoding:
            self.steps += 1.0
            self._finish_decodes()
        for i in started:
            self._first_token(i)

    def _first_token(self, i: int) -> None:
        """A (re)prefill's token: the request's first unless it was preempted."""
        if math.isnan(self.times.first[i]):
            self.times.first[i] = self.now
        remaining = self.output[i] - self.done_tokens[i] - 1
        if remaining <= 0:
            self._complete(i)
            return
        join = self.steps  # it decodes from the next step on
        self.join[i] = join
        finish = join + math.ceil(remaining / self.gained - 1e-9)
        heapq.heappush(self.finishing, (float(finish), i))
        self.decoding += 1
        self.is_decoding[i] = True
        self.join_sum += join
        self.base[i] = self.prompt[i] + self.done_tokens[i] + 1 - self.gained * join
        self.context_base += self.base[i]

    def _decode_until_event(self) -> None:
        """Pure decode steps up to the next completion, or to the next send that the
        scheduler could admit, whichever is first."""
        share = min(1.0, self.decode_cap / self.decoding)  # of the steps, each sequence's
        batch = min(self.decoding, self.decode_cap)
        k = max(1, math.ceil((self.finishing[0][0] - self.steps) / share - 1e-9))
        if self.computed and self.kv < math.inf:  # steps until the cache is full
            room = math.floor((self.kv - self._kv_in_use()) / (batch * self.gained))
            if room < 1 and self._preempt_newest():
                return
            k = min(k, max(room, 1))
        arrival = self._next_arrival()
        dt = self.costs.step(batch, self._context(), 0.0)
        if arrival is not None and self.running < self.cap:
            k = max(1, min(k, math.ceil((arrival - self.now) / dt - 1e-9)))
        dt = self.costs.step(batch, self._context((k - 1) * share / 2), 0.0)
        self.now += k * dt
        self.steps += k * share
        self._finish_decodes()

    def _finish_decodes(self) -> None:
        while self.finishing and self.finishing[0][0] <= self.steps + 1e-9:
            _, i = heapq.heappop(self.finishing)
            self.decoding -= 1
            self.is_decoding[i] = False
            self.context_base -= self.base[i]
            self.join_sum -= self.join[i]
            self._complete(i)

    def _complete(self, i: int) -> None:
        self.times.done[i] = self.now
        self.completed.append(self.now)
        self.running -= 1
        self.kv_used -= self.held[i]


def _averages(s: Scenario, w: Work, f: Factors, engine: Engine, t: Timeline) -> Prediction:
    import numpy as np

    sent, first, done = (np.array(x) for x in t)
    output = np.array(engine.output)  # the lengths the engine ran, whole tokens
    ttft = float(np.mean(first - sent))
    many = output > 1
    tpot = float(np.mean((done - first)[many] / (output[many] - 1))) if many.any() else 0.0
    duration = max(float(np.max(done)), 1e-12)
    d = s.degrees
    devices = d.tp * d.dp * d.pp
    out = float(output.sum()) / duration / devices
    inp = float(np.sum(engine.prompt)) / duration / devices
    per_user = 1 / tpot if tpot else 0.0
    steady = predict(s, w, f)  # for the decode step's terms: what a step is made of
    return steady._replace(
        ttft=ttft,
        tpot=tpot,
        output_per_device=out,
        input_per_device=inp,
        total_per_device=out + inp,
        per_user=per_user,
    )

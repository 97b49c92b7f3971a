"""Targets, bench: the engine's own load test of the contract's workload, beside the prediction.

`bench.sh` runs `vllm bench serve` (vLLM, vllm-ascend, and the OpenAI-compatible servers of
FastDeploy and MindIE) or `sglang.bench_serving` at the plan's operating point: fixed input
and output lengths (random tokens, EOS ignored, so every request is as long as the contract
says) and the deployment's concurrency. `bench.json` holds the same command and the predicted
TTFT, TPOT and throughput, so a user can measure the prediction. The client saves its result
file (`bench-result.json`: vLLM's --save-result; `bench-result.jsonl`: SGLang's --output-file,
one line a run, appended), which `ccc calibrate --bench FILE --contract CONTRACT.cc` turns into
a site layer of factors.
"""

from __future__ import annotations

from ccc.targets import engine_for, launched_toolkit
from ccc.targets._base import Artifact, Build, Command, Output, Raw, Ref, Word, service_url
from ccc.targets._flags import version_key
from ccc.targets._launch import EngineOutput, header, text_word
from pydantic import BaseModel, ConfigDict

NAME = "bench"
KIND = "runner"
WRAPS_ENGINE = False  # it drives the engine's HTTP API, not its launches
NOT_OWNED = ("predicted",)  # `ccc validate`: predictions change with ccc's model
DESCRIPTION = "the engine's load test for the workload, with the predicted figures beside it"
PROMPTS_PER_SLOT = 8  # requests per concurrent slot: enough for the steady state to dominate
BASE_URL = Ref("CCC_BASE_URL")


class Predicted(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    concurrency: int
    ttft_s: float
    tpot_s: float
    output_tokens_per_s: float
    output_tokens_per_s_per_device: float
    meets_slo: bool


class BenchFile(BaseModel):
    """`bench.json`: the load test and what ccc predicts it will measure."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    version: int = 1
    deployment: str
    tool: str
    argv: list[str]
    input_tokens: int
    output_tokens: int
    concurrency: int
    prompts: int
    result: str  # the file the client saves its result to, in its working directory
    predicted: Predicted | None
    note: str


def applies(build: Build) -> bool:
    workload = build.deployment.workload
    has_lengths = workload.input_tokens is not None and workload.output_tokens is not None
    return has_lengths and engine_for(build.toolkits) is not None


def emit(build: Build, engine: EngineOutput | None) -> Output:
    concurrency = _concurrency(build)
    # The run the contract states (the prediction averages that run), else a steady one.
    prompts = build.deployment.workload.requests or max(concurrency * PROMPTS_PER_SLOT, 64)
    version = engine.flags.version if engine is not None else None
    tool, argv = _command(build, concurrency, prompts, version)
    result = _result_file(build)
    default_url = service_url(build)
    lines: list = [
        Raw(
            f': "${{{BASE_URL.name}:={default_url}}}"  # the Service, or any node 0 of an instance'
        ),
        Command(argv),
        Raw(
            f"# the result is {result}: `ccc calibrate --bench {result} --contract CONTRACT.cc "
            "--write-factors site.json`, then `ccc plan --factors site.json`"
        ),
    ]
    document = BenchFile(
        deployment=build.name,
        tool=tool,
        argv=[text_word(w) for w in argv],
        input_tokens=int(build.deployment.workload.input_tokens or 0),
        output_tokens=int(build.deployment.workload.output_tokens or 0),
        concurrency=concurrency,
        prompts=prompts,
        result=result,
        predicted=_predicted(build),
        note=_note(build),
    )
    return Output(
        [
            Artifact("bench.sh", "shell", lines, header=header(build, f"Load test ({tool})")),
            Artifact("bench.json", "json", document.model_dump(mode="json")),
        ]
    )


def _concurrency(build: Build) -> int:
    """Requests in flight over the whole deployment at the plan's operating point."""
    performance = build.plan.performance
    serving = build.roles[-1]  # decode sets the pace of a disaggregated deployment
    if performance is not None:
        return performance.concurrency * serving.replicas
    return build.deployment.workload.concurrency or serving.replicas


RESULT = "bench-result.json"  # vllm bench serve --save-result --result-filename
SGLANG_RESULT = "bench-result.jsonl"  # SGLang's --output-file: a JSON line a run, appended


def _result_file(build: Build) -> str:
    return SGLANG_RESULT if launched_toolkit(build.toolkits) == "sglang" else RESULT


def _sglang_tool(version: str | None) -> str:
    """`sglang.bench_serving` until 0.5.23 made it a deprecated alias of
    `sglang.benchmark.serving` (the sglang-0.5.23 wheel, sglang/bench_serving.py)."""
    if version is not None and version_key(version) < version_key("0.5.23"):
        return "sglang.bench_serving"
    return "sglang.benchmark.serving"


def _command(
    build: Build, concurrency: int, prompts: int, version: str | None
) -> tuple[str, list[Word]]:
    w = build.deployment.workload
    lengths = [str(int(w.input_tokens or 0)), str(int(w.output_tokens or 0))]
    if launched_toolkit(build.toolkits) == "sglang":
        tool = _sglang_tool(version)
        return tool, [
            "python3", "-m", tool, "--backend", "sglang",
            "--base-url", BASE_URL, "--dataset-name", "random",
            "--random-input-len", lengths[0], "--random-output-len", lengths[1],
            "--random-range-ratio", "1", "--num-prompts", str(prompts),
            "--max-concurrency", str(concurrency), "--output-file", SGLANG_RESULT,
        ]  # fmt: skip
    backend = "vllm" if launched_toolkit(build.toolkits) in ("vllm", "vllm_ascend") else "openai"
    # FastDeploy answers to the checkpoint it loaded; the others to the served name
    model = (
        build.checkpoint if launched_toolkit(build.toolkits) == "fastdeploy" else build.served_name
    )
    return "vllm bench serve", [
        "vllm", "bench", "serve", "--backend", backend, "--base-url", BASE_URL,
        "--endpoint", "/v1/completions", "--model", model, "--tokenizer", build.checkpoint,
        "--dataset-name", "random", "--random-input-len", lengths[0],
        "--random-output-len", lengths[1], "--ignore-eos", "--num-prompts", str(prompts),
        "--max-concurrency", str(concurrency), "--percentile-metrics", "ttft,tpot,itl,e2el",
        "--save-result", "--result-filename", RESULT,
    ]  # fmt: skip


def _predicted(build: Build) -> Predicted | None:
    p = build.plan.performance
    if p is None:
        return None
    return Predicted(
        concurrency=_concurrency(build),
        ttft_s=p.ttft_s,
        tpot_s=p.tpot_s,
        output_tokens_per_s=p.output_tokens_per_s,
        output_tokens_per_s_per_device=p.output_tokens_per_s_per_device,
        meets_slo=p.meets_slo,
    )


def _note(build: Build) -> str:
    if len(build.roles) > 1:
        return (
            "disaggregated: the default URL is the router's Service on Kubernetes; under "
            "Slurm the router serves on node 0 of the job (its port is in the sbatch script)"
        )
    return "TPOT as the tool reports it is (end-to-end - TTFT) / (output tokens - 1), as predicted"

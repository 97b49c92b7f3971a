"""Hardware, the second stage: where each device sits, how fast its links are, what it holds.

`topology` resolves a cluster into a `System` (tiers, servers, supernodes) and its graph,
`graph` draws it small for `ccc graph`, `memory` is the one per-device memory model.
"""

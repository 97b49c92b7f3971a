"""Core: every size, depth and count past which ccc refuses an input or stops a search.

In: nothing. Out: constants, each set once with the reason for its value. The front end, the
measurement and manifest readers, placement and the search import them from here, so a limit a
user meets (CC7002-CC7006, or a search that stops short) is stated in one place.
"""

from __future__ import annotations

__all__ = [
    "MAX_CONFIG_BYTES",
    "MAX_COUNT",
    "MAX_DATA_BYTES",
    "MAX_DEVICES",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_IMPORT_DEPTH",
    "MAX_LEAVE_ONE_OUT_ROWS",
    "MAX_LIST_ITEMS",
    "MAX_MAGNITUDE",
    "MAX_MANIFEST_BYTES",
    "MAX_MANIFEST_DEPTH",
    "MAX_NESTING",
    "MAX_PAIRINGS",
    "MAX_PP",
    "MAX_ROWS",
    "MAX_SUGGESTED_SERVERS",
    "MAX_SWEEP",
]

# --- contracts (the front end) ---------------------------------------------------------------

# A `.cc` file: the largest of the standard catalog is 12 kB; a 1 MiB file of list numbers
# already takes the parser seconds.
MAX_FILE_BYTES = 1 << 20
# Files one contract reads, imports included: the standard catalog is about 20.
MAX_FILES = 256
# Files in one chain of imports; the standard catalog's longest is 4.
MAX_IMPORT_DEPTH = 32
# Blocks and lists nested in one another: a contract nests about 4 deep; the parser recurses.
MAX_NESTING = 16
# Items one list may hold: 2^14 lists every chip of the largest supernode (8,192) twice over,
# while a list of 300,000 numbers (a 1 MiB file) takes the parser 7 s and 300 MB.
MAX_LIST_ITEMS = 1 << 14
# A Hugging Face config.json a model imports: real ones are a few kB.
MAX_CONFIG_BYTES = 4 << 20
# Limits on numbers (CC7004), far beyond any real figure, so arithmetic downstream stays in
# range: 1e30 in SI units is a million times a zettaFLOP/s; 1e15 of anything counted (devices,
# requests, tokens) is a million times the largest cluster's tokens in flight.
MAX_MAGNITUDE = 1e30
MAX_COUNT = 10**15
# Devices a cluster may have (CC7005): 2^18, beyond the largest AI clusters announced. Every
# device gets a rank in plan.json, so the output grows with it; past this it is refused.
MAX_DEVICES = 2**18

# --- measurement files (`ccc calibrate`) ------------------------------------------------------

MAX_DATA_BYTES = 8 << 20  # the public data set is 60 kB; 8 MiB as for manifests
MAX_ROWS = 4096  # a fit takes about 20 ms per row: 4,096 rows in about 80 s
# A leave-one-out report fits once per row on every other row, so its time grows with the
# square of the rows: 128 rows take about 5 minutes (30 take 15 s).
MAX_LEAVE_ONE_OUT_ROWS = 128

# --- manifests (`ccc validate`) ---------------------------------------------------------------

MAX_MANIFEST_BYTES = 8 * 2**20  # a manifest ccc writes is a few KiB; refuse to parse huge ones
MAX_MANIFEST_DEPTH = 64  # manifests ccc writes nest about 12 deep; the YAML parser recurses

# --- searches -----------------------------------------------------------------------------------

MAX_PP = 64  # pipeline stages `auto` tries at most: past 64, bubbles dominate any model
MAX_PAIRINGS = 64  # prefill x decode pairings predicted, best placements first
MAX_SWEEP = 65536  # the highest concurrency per instance a sweep tries
# The memory advice tries clusters of 1, 2, 4, ... servers up to this many, beyond any cluster
# a single deployment is planned on.
MAX_SUGGESTED_SERVERS = 1 << 12

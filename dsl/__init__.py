"""Language, before every stage: `.cc` text to syntax tree to IR field values.

`parser` (lark, with stored `tables`) builds the `ast`, `lower` turns a block's syntax into
IR values in SI `units`, `hfconfig` reads a Hugging Face config.json, `formatter` is `ccc
fmt`, and `stdcache` holds the standard catalog's (`std/`) syntax trees.
"""

from pathlib import Path

# The package's own files (grammar, stored tables, std/) sit beside this module in a wheel
# and in an editable install alike; ccc is never imported from a zip, so a plain path
# serves, and it spares `ccc check` importlib.resources (with zipfile and tempfile, ~5 ms).
HERE = Path(__file__).resolve().parent

"""Language, before every stage: `.cc` text to syntax tree to IR field values.

`parser` (lark, with stored `tables`) builds the `ast`, `lower` turns a block's syntax into
IR values in SI `units`, `hfconfig` reads a Hugging Face config.json, `formatter` is `ccc
fmt`, and `stdcache` holds the standard catalog's (`std/`) syntax trees.
"""

"""Validation, for pull requests: do checked-in manifests still match their contract?

`manifests` parses what is checked in (with positions), `drift` compares it as data,
`compare` runs the contract's compile in memory and reports drift and refits.
"""

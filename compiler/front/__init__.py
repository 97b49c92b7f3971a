"""Front end, the first stage: read a contract's files, resolve them into IR, check its values.

`loader` reads and parses files within the project's bounds, `resolve` turns them into one
`Contract`, `checks` proves what can be proven of the contract alone (and names the unknown
figures that block later checks).
"""

"""Performance, the fourth stage: predict each placement, rank them under the SLO.

`model` is the analytic model of one instance, `scenarios` reads its inputs from the IR,
`factors` looks up the calibrated efficiency factors, `search` sweeps and ranks plans,
`report` turns the ranked plans into plan values, `recommend` answers `ccc estimate`.
"""

"""Calibration, off the compile path: measurement files in, fitted efficiency factors out.

`measurements` reads and diagnoses a measurement file, `fit` fits and scores the layered
factors that `ccc.performance.factors` looks up at run time.
"""

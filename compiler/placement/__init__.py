"""Placement, the third stage: choose each role's TP/DP/PP/EP degrees and pin ranks to devices.

It enumerates what the toolkit can express, drops every choice that breaks a constraint (each
its own code) and never imports the performance model.
"""

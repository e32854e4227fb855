"""Benchmarks: scripts that print figures against the budgets of the performance issue.

Not part of the test run. `python -m benchmarks` runs them all and prints the table.
"""

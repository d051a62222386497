"""Benchmarks (`python -m benchmarks.run`): a synthetic graph shaped like ours, timed sections.

Not part of the test suite. Each `bench_*.py` module is one section; see run.py.
"""

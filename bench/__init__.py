"""Benchmarks of the suite (not tests): ``python -m bench.benchmark``."""

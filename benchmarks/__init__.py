"""Timed runs of dcplan's hot paths; see ``python -m benchmarks --help``."""

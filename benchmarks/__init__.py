"""Benchmarks and evaluations, each run as `uv run python -m benchmarks.<name>`."""

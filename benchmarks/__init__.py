"""Benchmarks: figures printed by ``nox -s bench``; nothing here asserts a time."""

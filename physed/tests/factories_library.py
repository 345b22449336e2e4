"""Factories: library (registered with tests.registry for the walkers)."""

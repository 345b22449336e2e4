"""Factories: adaptation (registered with tests.registry for the walkers)."""

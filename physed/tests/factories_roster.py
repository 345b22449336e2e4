"""Factories: roster (registered with tests.registry for the walkers)."""

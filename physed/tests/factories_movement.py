"""Factories: movement (registered with tests.registry for the walkers)."""

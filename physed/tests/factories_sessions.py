"""Factories: sessions (registered with tests.registry for the walkers)."""

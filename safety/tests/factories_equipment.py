"""Factories: equipment."""

"""Factories: monitoring."""

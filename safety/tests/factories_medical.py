"""Factories: medical."""

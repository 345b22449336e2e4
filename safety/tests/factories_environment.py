"""Factories: environment."""

"""Factories: incidents."""

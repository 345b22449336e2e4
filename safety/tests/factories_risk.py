"""Factories: risk."""

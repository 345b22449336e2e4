"""Factories: protocols."""

"""Adaptation and recommendations (PE core §6–7)."""

__all__: list[str] = []

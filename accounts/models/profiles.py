"""profiles models (user-system issue)."""

__all__: list[str] = []

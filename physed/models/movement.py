"""Movement analysis (PE core §5): pose keypoint sequences and their analyses."""

__all__: list[str] = []

"""Long-term memory (issue 9 §1)."""

from memory.models.memories import Memory, MemoryKind, MemoryQuerySet, MemorySource

__all__ = ["Memory", "MemoryKind", "MemoryQuerySet", "MemorySource"]

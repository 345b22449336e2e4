"""Content writes: one module per area."""

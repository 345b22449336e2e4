"""Content reads: one module per area."""

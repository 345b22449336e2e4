"""The personal-data registry (DESIGN §5b) and what runs through it: export, erasure, retention."""

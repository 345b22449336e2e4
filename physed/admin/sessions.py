"""Admin: sessions."""

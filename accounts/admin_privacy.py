"""Admin for the privacy area; imported from accounts/admin.py."""

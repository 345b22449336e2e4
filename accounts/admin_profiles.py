"""Admin for the profiles area; imported from accounts/admin.py."""

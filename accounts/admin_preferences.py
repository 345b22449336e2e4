"""Admin for the preferences area; imported from accounts/admin.py."""

"""Admin for the activity area; imported from accounts/admin.py."""

"""Assistant admin: personas are edited here; conversations and what hangs off them are browsed
read-only and can be deleted (platform staff clean-up)."""

from assistant.admin import conversations, personas  # noqa: F401 - registers the models

"""The full-text index: GIN over ``Memory.search_vector``, on PostgreSQL only (SQLite has no
tsvector; its search path is ``memory.selectors.search``'s fallback)."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS memory_search_gin ON memory_memory USING gin (search_vector)"
DROP = "DROP INDEX IF EXISTS memory_search_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("memory", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

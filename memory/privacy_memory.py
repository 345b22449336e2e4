"""Personal-data declarations for memories (DESIGN §5b).

A memory is what the assistant learned about one person's work: it is theirs alone, so it is
exported (every field but the derived ``search_vector``) and deleted on erasure — nothing of it
is school material worth keeping.
"""

from accounts.privacy import registry

CATEGORY = "memory"


def _export(queryset):
    yield from registry.default_exporter(queryset, exclude_fields=("search_vector",))


def register() -> None:
    from memory.models import Memory

    registry.register(
        Memory,
        category=CATEGORY,
        user_path="owner",
        exporter=_export,
        erase=registry.DELETE,
        school_path="school",
        date_field="created_at",
    )

"""Personal-data declarations: library. Activities and exercises are teaching material, not data
about a person; the only person link is ``created_by`` (which staff member added a school's own
item). Export lists what the person added; erasure keeps the material for the school and clears
the link."""

from accounts.privacy.registry import register as register_model


def _exporter(queryset):
    for row in queryset.order_by("pk").values("pk", "school_id", "slug", "name", "created_at"):
        yield {**row, "created_at": row["created_at"].isoformat() if row["created_at"] else None}


def register() -> None:
    """Register every library model that links to a person."""
    from physed.models import Activity, Exercise

    for model in (Activity, Exercise):
        register_model(
            model,
            category="library",
            user_path="created_by",
            exporter=_exporter,
            erase={"created_by": None},
        )

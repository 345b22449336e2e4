"""Personal-data declarations: movement.

Movement analyses (scores, per-repetition metrics, raw keypoints) and their videos describe a
student's body and movement: personal data of the student, exported with their account and
deleted (video files included) on erasure."""


def _export(queryset):
    for row in queryset.order_by("pk").defer("keypoints_gz"):
        yield {
            "id": row.pk,
            "movement": row.movement,
            "created_at": row.created_at.isoformat(),
            "score": row.score,
            "rep_count": row.rep_count,
            "layout": row.layout,
            "dimensions": row.dimensions,
            "fps": row.fps,
            "duration_seconds": row.duration_seconds,
            "note": row.note,
            "results": row.results,
            "keypoints": row.keypoints(),
            "video": row.video.name or None,
        }


def _erase(queryset, user):
    from django.core.files.storage import default_storage

    from accounts.privacy.registry import DELETE

    names = [name for name in queryset.values_list("video", flat=True) if name]
    count, _ = queryset.delete()
    for name in names:
        default_storage.delete(name)
    return DELETE, count


def _files(user):
    from django.core.files.storage import default_storage

    from physed.models import MovementAnalysis

    for row in MovementAnalysis.objects.filter(student__user=user).exclude(video="").only("pk", "video"):
        name = row.video.name
        if default_storage.exists(name):
            yield f"movement-{row.pk}.{name.rsplit('.', 1)[-1]}", default_storage.open(name, "rb")


def register() -> None:
    """Register (or exclude with a reason) every movement model that links to a person."""
    from accounts.privacy.registry import register as declare
    from physed.models import MovementAnalysis

    declare(
        MovementAnalysis,
        category="movement",
        user_path="student__user",
        exporter=_export,
        erase=_erase,
        files=_files,
        date_field="created_at",
        school_path="student__school",
    )

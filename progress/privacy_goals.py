"""Personal-data declarations: goals.

* ``Goal`` (a student's own goal; class goals have no student) and ``ProgressEntry`` (a student's
  measured values) are exported with the student's linked account and deleted on the student's
  erasure. Staff who created/approved a goal or recorded an entry only lose that link when their
  own account is erased.
* ``Milestone`` belongs to a goal: exported and deleted with the student's goals.

Rows are found through ``student__user``, so these entries must run before physed's ``Student``
entry unlinks the account (same ordering note as safety's medical entry).
"""

from accounts.privacy import registry

CATEGORY = "progress_goals"


def _goals_of(user):
    from progress.models import Goal

    return Goal.objects.filter(student__user_id=user.pk)


def _milestones_of(user):
    from progress.models import Milestone

    return Milestone.objects.filter(goal__student__user_id=user.pk)


def _entries_of(user):
    from progress.models import ProgressEntry

    return ProgressEntry.objects.filter(student__user_id=user.pk)


def _erase_goals(queryset, user):
    from progress.models import Goal

    Goal._base_manager.filter(created_by_id=user.pk).update(created_by=None)
    Goal._base_manager.filter(approved_by_id=user.pk).update(approved_by=None)
    count, _detail = queryset.delete()
    return registry.DELETE, count


def _erase_entries(queryset, user):
    from progress.models import ProgressEntry

    ProgressEntry._base_manager.filter(recorded_by_id=user.pk).update(recorded_by=None)
    count, _detail = queryset.delete()
    return registry.DELETE, count


def _export_goals(queryset):
    yield from registry.default_exporter(queryset, exclude_fields=("created_by_id", "approved_by_id"))


def _export_entries(queryset):
    yield from registry.default_exporter(queryset, exclude_fields=("recorded_by_id",))


def register() -> None:
    from progress.models import Goal, Milestone, ProgressEntry

    registry.register(
        Goal,
        category=CATEGORY,
        rows=_goals_of,
        exporter=_export_goals,
        erase=_erase_goals,
        school_path="school",
    )
    registry.register(Milestone, category=CATEGORY, rows=_milestones_of, school_path="goal__school")
    registry.register(
        ProgressEntry,
        category=CATEGORY,
        rows=_entries_of,
        exporter=_export_entries,
        erase=_erase_entries,
        school_path="school",
    )

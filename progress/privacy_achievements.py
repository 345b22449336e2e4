"""Personal-data declarations: achievements.

* ``Achievement`` (a badge awarded to a student, with the evidence) is exported with the
  student's linked account and deleted on the student's erasure.
* ``AchievementDefinition`` is a badge's rule (shipped or the school's): no person is linked.
"""

from accounts.privacy import registry


def _awards_of(user):
    from progress.models import Achievement

    return Achievement.objects.filter(student__user_id=user.pk)


def register() -> None:
    from progress.models import Achievement

    registry.exclude("progress.AchievementDefinition", "A badge definition (name and rule); no person is linked.")
    registry.register(Achievement, category="progress_achievements", rows=_awards_of, school_path="student__school")

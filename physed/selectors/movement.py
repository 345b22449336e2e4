"""Reads for movement analysis, always scoped by the requesting user.

Staff read analyses with ``physed.view_movementanalysis`` in the student's school; a student or
guardian reads the analyses of a student on whom they hold the django-guardian object grant
``physed.view_student`` (made by the roster service for the linked accounts).
"""

from django.http import FileResponse, Http404

from accounts.permissions import allowed_on_object
from physed.models import MovementAnalysis, Student
from physed.movement.data import rule_set, text

VIEW = "physed.view_movementanalysis"
LIST_FIELDS_DEFERRED = ("results", "keypoints_gz")


def base_queryset():
    return MovementAnalysis.objects.select_related("student", "exercise", "session__pe_class", "created_by")


def can_view_student_analyses(user, student) -> bool:
    if not user.is_authenticated:
        return False
    return allowed_on_object(user, VIEW, student) or user.has_perm("physed.view_student", student)


def can_view_analysis(user, analysis: MovementAnalysis) -> bool:
    return allowed_on_object(user, VIEW, analysis) or user.has_perm("physed.view_student", analysis.student)


def visible_student(user, student_id) -> Student | None:
    try:
        student_id = int(student_id)
    except (TypeError, ValueError):
        return None
    if not 0 < student_id < 2**63:
        return None
    return Student.objects.visible_to(user).filter(pk=student_id).first()


def student_analyses(user, student, movement: str | None = None):
    """A student's analyses, newest first (empty if the user may not see them)."""
    if not can_view_student_analyses(user, student):
        return MovementAnalysis.objects.none()
    rows = base_queryset().filter(student=student).defer(*LIST_FIELDS_DEFERRED)
    return rows.filter(movement=movement) if movement else rows


def score_trend(analyses) -> dict[str, list]:
    """{movement: [(created_at, score), ...] oldest first} for analyses with a score."""
    trend: dict[str, list] = {}
    for row in sorted(analyses, key=lambda a: a.created_at):
        if row.score is not None:
            trend.setdefault(row.movement, []).append((row.created_at, row.score))
    return trend


def rule_texts(movement: str, language: str) -> dict:
    """Fault labels and cues in the reader's language, from the rule data."""
    rules = rule_set(movement)
    return {
        rule["code"]: {"label": text(rule["label"], language), "cue": text(rule["cue"], language)}
        for rule in rules["faults"]
    }


def video_response(analysis: MovementAnalysis) -> FileResponse:
    if not analysis.video:
        raise Http404
    try:
        handle = analysis.video.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=analysis.video_content_type or "application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="movement-{analysis.pk}.{analysis.video.name.rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

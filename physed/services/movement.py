"""Writes for movement analysis: analyse a keypoint sequence, re-analyse, delete (audited).

The analysis itself is ``physed.movement`` (plain Python); this module checks who may write for
which student, links the optional exercise and session (same school only), keeps the raw
keypoints compressed for re-analysis and records an audit row.
"""

import json
import zlib

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import allowed_on_object
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import Exercise, MovementAnalysis
from physed.movement import KeypointError, analyze, parse_sequence, rule_set
from physed.movement.data import settings as movement_settings

ADD = "physed.add_movementanalysis"
DELETE = "physed.delete_movementanalysis"


def _require(actor, perm: str, obj) -> None:
    if not allowed_on_object(actor, perm, obj):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


def run_analysis(keypoints, movement: str):
    """(sequence, results) for a payload, or ``ServiceError`` naming the bad field."""
    if movement not in {choice for choice, _label in MovementAnalysis._meta.get_field("movement").choices}:
        raise ServiceError(_("Unknown movement."), field="movement", code="invalid_choice")
    try:
        sequence = parse_sequence(keypoints, movement=movement)
        return sequence, analyze(sequence, movement)
    except KeypointError as exc:
        raise ServiceError(exc.message, field=exc.field, code=exc.code) from exc


def compress_keypoints(payload: dict) -> bytes:
    blob = zlib.compress(json.dumps(payload, separators=(",", ":")).encode("utf-8"), 6)
    limit = movement_settings()["limits"]["max_stored_keypoints_bytes"]
    if len(blob) > limit:
        raise ServiceError(
            _("The keypoints take %(size)d bytes compressed; the limit is %(limit)d.")
            % {"size": len(blob), "limit": limit},
            field="keypoints",
            code="too_large",
        )
    return blob


def default_exercise(movement: str):
    """The shipped library exercise for the movement (e.g. slug "squat"), if the library has it."""
    return Exercise.objects.shipped().filter(slug=rule_set(movement)["exercise_slug"]).first()


def _check_links(student, exercise, session) -> None:
    if exercise is not None and exercise.school_id not in (None, student.school_id):
        raise ServiceError(_("The exercise belongs to another school."), field="exercise", code="does_not_exist")
    if session is not None and session.pe_class.school_id != student.school_id:
        raise ServiceError(_("The session belongs to another school."), field="session", code="does_not_exist")


def _apply(analysis: MovementAnalysis, sequence, results) -> None:
    analysis.layout = sequence.layout
    analysis.dimensions = sequence.dimensions
    analysis.fps = sequence.fps
    analysis.frame_count = sequence.frame_count
    analysis.duration_seconds = round(sequence.duration, 3)
    analysis.rules_version = results["rules_version"]
    analysis.score = results["score"]
    analysis.rep_count = results["rep_count"]
    analysis.results = results


@transaction.atomic
def analyse_movement(
    *, actor, student, movement: str, keypoints, exercise=None, session=None, note: str = ""
) -> MovementAnalysis:
    """Validates and analyses ``keypoints`` for ``student`` and stores the result."""
    _require(actor, ADD, student)
    _check_links(student, exercise, session)
    sequence, results = run_analysis(keypoints, movement)
    analysis = MovementAnalysis(
        student=student,
        movement=movement,
        exercise=exercise or default_exercise(movement),
        session=session,
        note=note,
        keypoints_gz=compress_keypoints(sequence.payload),
        created_by=actor,
    )
    _apply(analysis, sequence, results)
    analysis.save()
    record_event(
        "physed.movement_analysed",
        actor=actor,
        school=student.school,
        target=analysis,
        changes={"movement": movement, "score": analysis.score, "reps": analysis.rep_count},
    )
    return analysis


@transaction.atomic
def reanalyse(*, actor, analysis: MovementAnalysis) -> MovementAnalysis:
    """Runs the stored keypoints through the current rules (e.g. after a rule-set update)."""
    _require(actor, ADD, analysis)
    before = analysis.score
    sequence, results = run_analysis(analysis.keypoints(), analysis.movement)
    _apply(analysis, sequence, results)
    analysis.save()
    record_event(
        "physed.movement_reanalysed",
        actor=actor,
        school=analysis.student.school,
        target=analysis,
        changes={"score": [before, analysis.score], "rules_version": analysis.rules_version},
    )
    return analysis


@transaction.atomic
def delete_analysis(*, actor, analysis: MovementAnalysis) -> None:
    _require(actor, DELETE, analysis)
    school = analysis.student.school
    record_event(
        "physed.movement_analysis_deleted",
        actor=actor,
        school=school,
        target=analysis,
        changes={"movement": analysis.movement, "had_video": analysis.has_video},
    )
    name = analysis.video.name if analysis.video else ""
    analysis.delete()
    if name:
        transaction.on_commit(lambda: _delete_file(name))


def _delete_file(name: str) -> None:
    from django.core.files.storage import default_storage

    default_storage.delete(name)

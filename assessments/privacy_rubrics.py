"""Personal-data declarations: rubrics and skill assessments.

* ``Rubric`` names its author (``owner``): exported with that account; on erasure the rubric stays
  (it is the school's teaching material) and loses its owner.
* ``RubricCriterion``, ``PerformanceLevel``, ``LevelDescriptor``: rubric text, no person linked.
* ``SkillAssessment`` is about a student: exported with the student's account (and the assessments
  a user made as teacher/peer assessor); on erasure the student's assessments and their evidence
  files are deleted, and an erased assessor only loses the link.
* ``CriterionScore`` belongs to an assessment: exported with the student, deleted with it.
* ``EvidenceFile`` (photos/videos of the student): exported with the files themselves; deleted with
  their files on erasure; an erased uploader only loses the link.
"""

from django.db.models import Q

from accounts.privacy import registry

CATEGORY = "skill_assessments"


def _assessments(user):
    from assessments.models import SkillAssessment

    return SkillAssessment._base_manager.filter(Q(student__user_id=user.pk) | Q(assessor_id=user.pk))


def _delete_files(evidence_rows) -> None:
    for item in evidence_rows:
        if item.file:
            item.file.storage.delete(item.file.name)


def _erase_assessments(queryset, user):
    from assessments.models import EvidenceFile, SkillAssessment

    SkillAssessment._base_manager.filter(assessor_id=user.pk).exclude(student__user_id=user.pk).update(assessor=None)
    about = SkillAssessment._base_manager.filter(student__user_id=user.pk)
    _delete_files(EvidenceFile._base_manager.filter(assessment__in=about))
    count, _detail = about.delete()
    return registry.DELETE, count


def _evidence(user):
    from assessments.models import EvidenceFile

    return EvidenceFile._base_manager.filter(Q(assessment__student__user_id=user.pk) | Q(uploaded_by_id=user.pk))


def _erase_evidence(queryset, user):
    from assessments.models import EvidenceFile

    EvidenceFile._base_manager.filter(uploaded_by_id=user.pk).exclude(assessment__student__user_id=user.pk).update(
        uploaded_by=None
    )
    about = EvidenceFile._base_manager.filter(assessment__student__user_id=user.pk)
    _delete_files(about)
    count, _detail = about.delete()
    return registry.DELETE, count


def _evidence_files(user):
    from assessments.models import EvidenceFile

    for item in EvidenceFile._base_manager.filter(assessment__student__user_id=user.pk):
        if item.file and item.file.storage.exists(item.file.name):
            yield f"evidence-{item.pk}-{item.original_name}", item.file.storage.open(item.file.name, "rb")


def register() -> None:
    from assessments.models import CriterionScore, EvidenceFile, Rubric, SkillAssessment

    registry.register(Rubric, category=CATEGORY, user_path="owner", erase={"owner": None})
    for label in ("assessments.RubricCriterion", "assessments.PerformanceLevel", "assessments.LevelDescriptor"):
        registry.exclude(label, "Rubric text written for teaching; no person is linked or described.")
    registry.register(
        SkillAssessment, category=CATEGORY, rows=_assessments, erase=_erase_assessments, school_path="student__school"
    )
    registry.register(
        CriterionScore,
        category=CATEGORY,
        user_path="assessment__student__user",
        school_path="assessment__student__school",
    )
    registry.register(
        EvidenceFile,
        category=CATEGORY,
        rows=_evidence,
        erase=_erase_evidence,
        files=_evidence_files,
        school_path="assessment__student__school",
    )

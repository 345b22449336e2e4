"""Feedback: kind rules, who reads what (the matrix), guardians notified, the edit window."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Notification, Role
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from assessments.models import Feedback
from assessments.selectors.feedback import teacher_comments
from assessments.services import feedback as services
from assessments.tests.factories import RubricFactory, SkillAssessmentFactory, link_student_user
from physed.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(school, student, guardian):
    kid = link_student_user(StudentFactory(school=school, first_name="Ana"), user=student, guardian=guardian)
    return kid


def _ids(client, **params):
    return sorted(row["id"] for row in client.get("/api/v1/assessments/feedback/", params).json()["results"])


def test_visibility_matrix(
    school, other_school, teacher, assistant, student, guardian, family, client_for, django_capture_on_commit_callbacks
):
    classmate_user = make_member(school, Role.STUDENT)
    classmate = link_student_user(StudentFactory(school=school), user=classmate_user)
    other_parent = make_member(school, Role.GUARDIAN)
    with django_capture_on_commit_callbacks(execute=True):
        family_note = services.add_feedback(
            actor=teacher, student=family, kind="teacher_comment", body="Great throw", visibility="family"
        )
        staff_note = services.add_feedback(
            actor=teacher, student=family, kind="teacher_comment", body="Watch knee", visibility="staff"
        )
    reflection = services.add_feedback(
        actor=student, student=family, kind="student_reflection", body="I practised", visibility="staff"
    )
    parent_note = services.add_feedback(actor=guardian, student=family, kind="guardian_comment", body="Thanks!")
    about_classmate = services.add_feedback(actor=teacher, student=classmate, kind="teacher_comment", body="Nice")
    assert reflection.visibility == "family"  # reflections are always for the family
    everything = sorted([family_note.pk, staff_note.pk, reflection.pk, parent_note.pk, about_classmate.pk])
    assert _ids(client_for(teacher)) == everything
    assert _ids(client_for(assistant)) == everything  # staff with view_feedback
    family_view = sorted([family_note.pk, reflection.pk, parent_note.pk])
    assert _ids(client_for(student)) == family_view
    assert _ids(client_for(guardian)) == family_view
    assert _ids(client_for(classmate_user)) == [about_classmate.pk]
    assert _ids(client_for(other_parent)) == []
    assert _ids(client_for(make_member(other_school, Role.SCHOOL_ADMIN))) == []
    assert client_for(student).get(f"/api/v1/assessments/feedback/{staff_note.pk}/").status_code == 404
    # guardians notified once of the family-visible teacher comment only
    assert list(Notification.objects.filter(user=guardian).values_list("kind", flat=True)) == [
        "assessments.feedback_for_family"
    ]
    assert teacher_comments(
        family, start=timezone.localdate() - datetime.timedelta(days=1), end=timezone.localdate()
    ) == [family_note]


def test_kind_rules(school, teacher, student, guardian, family, client_for):
    classmate = StudentFactory(school=school)
    refusals = [
        (student, classmate, "student_reflection"),
        (guardian, classmate, "guardian_comment"),
        (student, family, "teacher_comment"),
        (guardian, family, "teacher_comment"),
        (teacher, family, "guardian_comment"),
    ]
    for actor, about, kind in refusals:
        response = client_for(actor).post(
            "/api/v1/assessments/feedback/", {"student": about.pk, "kind": kind, "body": "Hi"}, format="json"
        )
        assert response.status_code == 403, (actor, kind)
    response = client_for(teacher).post(
        "/api/v1/assessments/feedback/", {"student": family.pk, "kind": "teacher_comment", "body": "  "}, format="json"
    )
    assert response.status_code == 400
    other = SkillAssessmentFactory(rubric=RubricFactory(school=school), student=classmate)
    response = client_for(teacher).post(
        "/api/v1/assessments/feedback/",
        {"student": family.pk, "kind": "teacher_comment", "body": "Ok", "skill_assessment": other.pk},
        format="json",
    )
    assert response.status_code == 400 and "skill_assessment" in response.json()["error"]["fields"]
    assert Feedback.objects.count() == 0
    response = client_for(teacher).post(
        "/api/v1/assessments/feedback/",
        {"student": family.pk, "kind": "teacher_comment", "body": "Ok", "visibility": "staff"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["visibility"] == "staff"


def test_edit_window(school, teacher, student, family, client_for):
    note = services.add_feedback(actor=student, student=family, kind="student_reflection", body="First try")
    response = client_for(student).patch(
        f"/api/v1/assessments/feedback/{note.pk}/", {"body": "Second try"}, format="json"
    )
    assert response.status_code == 200 and response.json()["body"] == "Second try"
    Feedback.objects.filter(pk=note.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    response = client_for(student).patch(f"/api/v1/assessments/feedback/{note.pk}/", {"body": "Late"}, format="json")
    assert response.status_code == 403
    assert Feedback.objects.get(pk=note.pk).body == "Second try"
    note.refresh_from_db()
    with pytest.raises(ServiceError):
        services.delete_feedback(actor=student, feedback=note)
    # staff moderate
    assert client_for(teacher).delete(f"/api/v1/assessments/feedback/{note.pk}/").status_code == 204
    assert not Feedback.objects.exists()

"""Rubric and skill pages: list/detail/form, quick scoring with htmx, student skills page for the
student and guardian, evidence download, feedback thread and forms."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Feedback, Rubric, SkillAssessment
from assessments.services import rubrics as services
from assessments.tests.factories import RubricFactory, class_with_students, link_student_user
from physed.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 6)


def _levels(rubric, *names):
    levels = {lv.name: lv.pk for lv in rubric.levels.all()}
    return {c.pk: levels[n] for c, n in zip(rubric.criteria.order_by("position"), names, strict=True)}


def test_list_detail_and_form(client, school, teacher, guardian):
    RubricFactory(school=school, title="Overhand throw", shared=True)
    RubricFactory(school=school, title="Dribbling", owner=teacher)
    client.force_login(teacher)
    page = client.get(reverse("assessments-rubric-list"), {"scope": "templates"})
    assert page.status_code == 200
    assert b"Overhand throw" in page.content and b"Dribbling" not in page.content
    page = client.get(reverse("assessments-rubric-list"), {"q": "dribb"})
    assert b"Dribbling" in page.content and b"Overhand throw" not in page.content
    response = client.post(
        reverse("assessments-rubric-create"),
        {
            "title": "Cooperative play",
            "grade_from": 3,
            "grade_to": 5,
            "levels_text": "Beginning = 1\nDeveloping = 2\nProficient = 3",
            "criteria_text": "Shares equipment | 1 | Rarely; Sometimes; Always\nEncourages others | 2",
        },
    )
    rubric = Rubric.objects.get(title="Cooperative play")
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessments-rubric-detail", args=[rubric.pk]
    )
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert b"Shares equipment" in detail.content and b"Sometimes" in detail.content
    bad = client.post(
        reverse("assessments-rubric-create"),
        {"title": "X", "grade_from": 0, "grade_to": 12, "levels_text": "Only = 1", "criteria_text": "A"},
    )
    assert bad.status_code == 200 and b"at least two performance levels" in bad.content
    assert Rubric.objects.filter(title="X").count() == 0
    client.force_login(guardian)
    assert client.get(reverse("assessments-rubric-list")).status_code == 403


def test_quick_scoring_page_with_htmx(client, school, teacher):
    rubric = RubricFactory(school=school)
    pe_class, (kid, other) = class_with_students(school)
    client.force_login(teacher)
    url = reverse("assessments-assess", args=[rubric.pk])
    page = client.get(url, {"pe_class": pe_class.pk, "date": "2026-10-06"})
    assert page.status_code == 200
    assert str(kid).encode() in page.content and str(other).encode() in page.content
    criteria = list(rubric.criteria.order_by("position"))
    levels = {lv.name: lv.pk for lv in rubric.levels.all()}
    response = client.post(
        url,
        {
            "student": kid.pk,
            "pe_class": pe_class.pk,
            "date": "2026-10-06",
            f"c{criteria[0].pk}": levels["Developing"],
            f"c{criteria[1].pk}": levels["Proficient"],
            "comment": "Nice",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"77.8" in response.content and b'id="student-' in response.content
    assessment = SkillAssessment.objects.get()
    assert str(assessment.score) == "77.8" and assessment.comment == "Nice" and assessment.pe_class == pe_class
    # one criterion left out: the row shows the error, nothing more is stored
    response = client.post(
        url,
        {"student": other.pk, "pe_class": pe_class.pk, "date": "2026-10-06", f"c{criteria[0].pk}": levels["Beginning"]},
        HTTP_HX_REQUEST="true",
    )
    assert b"outside levels" in response.content
    assert SkillAssessment.objects.count() == 1


def test_student_and_guardian_pages(client, school, teacher, student, guardian):
    rubric = RubricFactory(school=school, shared=True, title="Overhand throw")
    kid = link_student_user(StudentFactory(school=school), user=student, guardian=guardian)
    classmate = StudentFactory(school=school)
    services.score_student(
        actor=teacher, rubric=rubric, student=kid, levels=_levels(rubric, "Developing", "Proficient"), date=DAY
    )
    theirs = services.score_student(
        actor=teacher, rubric=rubric, student=classmate, levels=_levels(rubric, "Beginning", "Beginning"), date=DAY
    )
    for user in (student, guardian):
        client.force_login(user)
        page = client.get(reverse("assessments-student-skills", args=[kid.pk]))
        assert page.status_code == 200 and b"77.8" in page.content
        assert client.get(reverse("assessments-student-skills", args=[classmate.pk])).status_code == 404
        assert client.get(reverse("assessments-skill-detail", args=[theirs.pk])).status_code == 404
    # the student self-assesses on the page
    client.force_login(student)
    url = reverse("assessments-assess", args=[rubric.pk])
    assert client.get(url).status_code == 200
    criteria = list(rubric.criteria.order_by("position"))
    levels = {lv.name: lv.pk for lv in rubric.levels.all()}
    response = client.post(
        url,
        {
            "student": kid.pk,
            "date": "2026-10-06",
            f"c{criteria[0].pk}": levels["Proficient"],
            f"c{criteria[1].pk}": levels["Proficient"],
        },
    )
    assert response.status_code == 302
    mine = SkillAssessment.objects.get(mode="self")
    assert mine.student == kid and mine.score == 100
    # a student reflection and a guardian comment through the thread forms
    client.post(
        reverse("assessments-feedback-add", args=[kid.pk]),
        {"kind": "student_reflection", "body": "I tried hard", "visibility": "family"},
    )
    client.force_login(guardian)
    client.post(
        reverse("assessments-feedback-add", args=[kid.pk]),
        {"kind": "guardian_comment", "body": "Proud of you", "visibility": "family"},
    )
    client.post(
        reverse("assessments-feedback-add", args=[kid.pk]),
        {"kind": "teacher_comment", "body": "Nope", "visibility": "family"},
    )
    assert sorted(Feedback.objects.values_list("kind", "body")) == [
        ("guardian_comment", "Proud of you"),
        ("student_reflection", "I tried hard"),
    ]
    page = client.get(reverse("assessments-student-skills", args=[kid.pk]))
    assert b"Proud of you" in page.content and b"I tried hard" in page.content


def test_evidence_page_upload_and_download(client, school, teacher, student):
    rubric = RubricFactory(school=school)
    kid = StudentFactory(school=school)
    assessment = services.score_student(
        actor=teacher, rubric=rubric, student=kid, levels=_levels(rubric, "Beginning", "Beginning"), date=DAY
    )
    client.force_login(teacher)
    url = reverse("assessments-skill-detail", args=[assessment.pk])
    png = b"\x89PNG\r\n\x1a\n" + b"\x01" * 30
    response = client.post(url, {"file": SimpleUploadedFile("catch.png", png, content_type="image/png")})
    assert response.status_code == 302
    bad = client.post(url, {"file": SimpleUploadedFile("catch.png", b"not an image", content_type="image/png")})
    assert bad.status_code == 200 and assessment.evidence.count() == 1
    evidence = assessment.evidence.get()
    download = client.get(reverse("assessments-evidence-download", args=[assessment.pk, evidence.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == png
    client.force_login(student)
    assert client.get(reverse("assessments-evidence-download", args=[assessment.pk, evidence.pk])).status_code == 404

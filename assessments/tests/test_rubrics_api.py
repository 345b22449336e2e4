"""Rubric and skill-assessment API: nested create, copy, scoring with 400s that store nothing,
students' own records, evidence upload checks and private download."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import AuditEvent
from assessments.models import EvidenceFile, Rubric, SkillAssessment
from assessments.services import rubrics as services
from assessments.tests.factories import RubricFactory, class_with_students, link_student_user
from physed.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 6)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40


def _levels(rubric, *names):
    levels = {lv.name: lv.pk for lv in rubric.levels.all()}
    return {str(c.pk): levels[n] for c, n in zip(rubric.criteria.order_by("position"), names, strict=True)}


def test_create_rubric_with_grid(school, teacher, client_for):
    payload = {
        "title": "Overhand throw",
        "shared": True,
        "criteria": [
            {"name": "Step with opposite foot", "weight": "2", "descriptors": ["Same foot", "Sometimes", "Always"]},
            {"name": "Follow through", "weight": "1"},
        ],
        "levels": [
            {"name": "Beginning", "points": "1"},
            {"name": "Developing", "points": "2"},
            {"name": "Proficient", "points": "3"},
        ],
    }
    response = client_for(teacher).post("/api/v1/assessments/rubrics/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Overhand throw" and body["owner"] == teacher.pk and body["can_edit"] is True
    assert [c["name"] for c in body["criteria_detail"]] == ["Step with opposite foot", "Follow through"]
    assert [lv["points"] for lv in body["levels_detail"]] == ["1.00", "2.00", "3.00"]
    assert [d["text"] for d in body["criteria_detail"][0]["descriptors"]] == ["Same foot", "Sometimes", "Always"]


def test_create_rubric_bad_input_400_nothing_stored(school, teacher, client_for):
    payload = {"title": "X", "criteria": [{"name": "A"}], "levels": [{"name": "Only", "points": "1"}]}
    response = client_for(teacher).post("/api/v1/assessments/rubrics/", payload, format="json")
    assert response.status_code == 400
    assert "levels" in response.json()["error"]["fields"]
    assert Rubric.objects.count() == 0


def test_rubric_permissions(school, other_school, teacher, guardian, assistant, client_for):
    rubric = RubricFactory(school=school)
    foreign = RubricFactory(school=other_school)
    assert client_for(guardian).get("/api/v1/assessments/rubrics/").status_code == 403
    assert client_for(teacher).get(f"/api/v1/assessments/rubrics/{foreign.pk}/").status_code == 404
    listed = client_for(assistant).get("/api/v1/assessments/rubrics/").json()["results"]
    assert [row["id"] for row in listed] == [rubric.pk]
    assert (
        client_for(assistant)
        .patch(f"/api/v1/assessments/rubrics/{rubric.pk}/", {"title": "Y"}, format="json")
        .status_code
        == 403
    )


def test_copy_action(school, teacher, client_for):
    template = RubricFactory(school=school, shared=True, title="Dribbling")
    response = client_for(teacher).post(f"/api/v1/assessments/rubrics/{template.pk}/copy/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["title"] == "Dribbling (copy)" and response.json()["owner"] == teacher.pk


def test_score_via_api_and_outside_levels(school, teacher, client_for):
    rubric = RubricFactory(school=school)
    pe_class, (kid, _x) = class_with_students(school)
    client = client_for(teacher)
    bad = _levels(rubric, "Beginning", "Beginning")
    bad[next(iter(bad))] = RubricFactory(school=school).levels.first().pk
    response = client.post(
        "/api/v1/assessments/skill-assessments/",
        {"rubric": rubric.pk, "student": kid.pk, "levels": bad, "date": "2026-10-06"},
        format="json",
    )
    assert response.status_code == 400
    assert "outside levels" in response.json()["error"]["fields"]["levels"][0]
    assert SkillAssessment.objects.count() == 0
    response = client.post(
        "/api/v1/assessments/skill-assessments/",
        {
            "rubric": rubric.pk,
            "student": kid.pk,
            "levels": _levels(rubric, "Developing", "Proficient"),
            "date": "2026-10-06",
            "pe_class": pe_class.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["score"] == "77.8" and body["mode"] == "teacher"
    assert [(s["criterion_name"], s["level_name"]) for s in body["scores"]] == [
        ("Technique", "Developing"),
        ("Effort", "Proficient"),
    ]
    assert response["Cache-Control"] == "private, no-store"
    listed = client.get("/api/v1/assessments/skill-assessments/", {"student": kid.pk}).json()
    assert listed["count"] == 1


def test_students_and_guardians_read_only_their_own(school, teacher, student, guardian, client_for):
    rubric = RubricFactory(school=school, shared=True)
    kid = link_student_user(StudentFactory(school=school), user=student, guardian=guardian)
    classmate = StudentFactory(school=school)
    mine = services.score_student(
        actor=teacher,
        rubric=rubric,
        student=kid,
        levels={int(k): v for k, v in _levels(rubric, "Beginning", "Beginning").items()},
        date=DAY,
    )
    theirs = services.score_student(
        actor=teacher,
        rubric=rubric,
        student=classmate,
        levels={int(k): v for k, v in _levels(rubric, "Beginning", "Beginning").items()},
        date=DAY,
    )
    for user in (student, guardian):
        rows = client_for(user).get("/api/v1/assessments/skill-assessments/").json()["results"]
        assert [row["id"] for row in rows] == [mine.pk]
        assert client_for(user).get(f"/api/v1/assessments/skill-assessments/{theirs.pk}/").status_code == 404
    # self-assessment through the API
    response = client_for(student).post(
        "/api/v1/assessments/skill-assessments/",
        {"rubric": rubric.pk, "student": kid.pk, "levels": _levels(rubric, "Proficient", "Proficient"), "mode": "self"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["score"] == "100.0"
    response = client_for(student).post(
        "/api/v1/assessments/skill-assessments/",
        {
            "rubric": rubric.pk,
            "student": classmate.pk,
            "levels": _levels(rubric, "Proficient", "Proficient"),
            "mode": "self",
        },
        format="json",
    )
    assert response.status_code == 403
    assert SkillAssessment.objects.filter(mode="self").count() == 1


@override_settings(ASSESSMENTS_MAX_EVIDENCE_BYTES=100)
def test_evidence_upload_checks_and_private_download(school, teacher, student, client_for, tmp_path, settings):
    rubric = RubricFactory(school=school)
    kid = StudentFactory(school=school)
    assessment = services.score_student(
        actor=teacher,
        rubric=rubric,
        student=kid,
        levels={int(k): v for k, v in _levels(rubric, "Beginning", "Beginning").items()},
        date=DAY,
    )
    client = client_for(teacher)
    url = f"/api/v1/assessments/skill-assessments/{assessment.pk}/evidence/"
    cases = [
        (SimpleUploadedFile("clip.png", b"GIF89a" + b"\x00" * 20, content_type="image/png"), "unsupported"),
        (SimpleUploadedFile("clip.pdf", PNG, content_type="application/pdf"), "unsupported"),
        (SimpleUploadedFile("clip.png", PNG + b"\x00" * 200, content_type="image/png"), "larger"),
        (SimpleUploadedFile("clip.png", b"", content_type="image/png"), "empty"),
    ]
    for upload, _why in cases:
        response = client.post(url, {"file": upload}, format="multipart")
        assert response.status_code == 400, response.json()
        assert "file" in response.json()["error"]["fields"]
    assert EvidenceFile.objects.count() == 0
    response = client.post(
        url, {"file": SimpleUploadedFile("jump.mp4", MP4, content_type="video/mp4")}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "video/mp4"
    response = client.post(
        url, {"file": SimpleUploadedFile("form.png", PNG, content_type="image/png")}, format="multipart"
    )
    assert response.status_code == 201
    evidence = EvidenceFile.objects.get(original_name="form.png")
    download = f"{url}{evidence.pk}/download/"
    got = client.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PNG
    assert got["Cache-Control"] == "private, no-store" and got["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="assessments.evidence_read").count() == 1
    # a student of the school who is not the assessed student: 404
    assert client_for(student).get(download).status_code == 404
    assert client_for(student).get(url).status_code == 404
    assert [row["original_name"] for row in client.get(url).json()] == ["jump.mp4", "form.png"]

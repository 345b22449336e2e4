"""The movement analysis API: analyse, read, delete, re-analyse, video — values and permissions."""

import json

import pytest
from guardian.shortcuts import assign_perm

from accounts.models import AuditEvent, Role
from physed.models import MovementAnalysis
from physed.movement import synthetic
from physed.tests.factories_library import ExerciseFactory
from physed.tests.factories_movement import MovementAnalysisFactory
from physed.tests.factories_roster import StudentFactory
from physed.tests.factories_sessions import ClassSessionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/physed/movement-analyses/"


@pytest.fixture
def pupil(school):
    return StudentFactory(school=school)


def body(student, movement="squat", **options):
    faults = options.pop("faults", {})
    payload = synthetic.generate(movement, layout="coco17", reps=options.pop("reps", 4), faults=faults).payload
    return {"student": student.pk, "movement": movement, "keypoints": payload, **options}


def error_of(response):
    data = response.json()["error"]
    assert {"code", "message", "fields"} <= set(data)
    return data


def test_teacher_analyses_a_sequence(client_for, teacher, pupil):
    response = client_for(teacher).post(URL, body(pupil, faults={"shallow_depth": [2, 4]}), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["student"] == pupil.pk and data["student_name"] == pupil.display_name
    assert data["rep_count"] == 4
    assert data["score"] == 85  # 100 − 30 × 2/4
    assert data["results"]["faults"][0]["code"] == "shallow_depth"
    assert data["results"]["faults"][0]["reps"] == [2, 4]
    assert data["layout"] == "coco17" and data["dimensions"] == 2 and data["fps"] == 30
    assert response["Cache-Control"] == "private, no-store"
    analysis = MovementAnalysis.objects.get(pk=data["id"])
    assert analysis.created_by == teacher
    assert analysis.keypoints()["layout"] == "coco17"
    assert AuditEvent.objects.filter(action="physed.movement_analysed", target_id=str(analysis.pk)).exists()


def test_the_library_exercise_is_linked_by_default_and_links_are_checked(client_for, teacher, pupil, other_school):
    shipped = ExerciseFactory(school=None, slug="squat", name="Squat")
    response = client_for(teacher).post(URL, body(pupil), format="json")
    assert response.json()["exercise"] == shipped.pk
    session = ClassSessionFactory(pe_class__school=pupil.school)
    response = client_for(teacher).post(URL, body(pupil, session=session.pk), format="json")
    assert response.status_code == 201 and response.json()["session"] == session.pk
    foreign_session = ClassSessionFactory(pe_class__school=other_school)
    response = client_for(teacher).post(URL, body(pupil, session=foreign_session.pk), format="json")
    assert response.status_code == 400
    assert "session" in error_of(response)["fields"]


def test_a_student_of_another_school_does_not_exist(client_for, teacher, other_school):
    stranger = StudentFactory(school=other_school)
    response = client_for(teacher).post(URL, body(stranger), format="json")
    assert response.status_code == 400
    assert "does not exist" in error_of(response)["fields"]["student"][0]
    assert not MovementAnalysis.objects.exists()


def test_bad_sequences_are_a_clear_400(client_for, teacher, pupil):
    client = client_for(teacher)
    cases = [
        ({"layout": "openpose"}, "keypoints.layout", "Unknown layout"),
        ({"fps": 0}, "keypoints.fps", "fps must be between 1 and 240"),
        ({"layout": "blazepose33"}, "keypoints.frames[0]", "The layout has 33 landmarks per frame; frame 0 has 17."),
    ]
    for change, field, text in cases:
        data = body(pupil, reps=1)
        data["keypoints"].update(change)
        response = client.post(URL, data, format="json")
        assert response.status_code == 400
        error = error_of(response)
        assert text in error["fields"][field][0]
        assert text in error["message"]
    missing = body(pupil, reps=1)
    for frame in missing["keypoints"]["frames"]:
        frame[13][2] = 0.0  # left knee never visible
    response = client.post(URL, missing, format="json")
    assert "left_knee (100% of frames)" in error_of(response)["fields"]["keypoints.frames"][0]
    response = client.post(URL, {**body(pupil), "movement": "burpee"}, format="json")
    assert response.status_code == 400 and "movement" in error_of(response)["fields"]
    response = client.post(URL, {**body(pupil), "extra": 1}, format="json")
    assert error_of(response)["fields"]["extra"] == ["Unknown field."]


def test_nan_in_the_json_body_is_refused(client_for, teacher, pupil):
    data = body(pupil, reps=1)
    text = json.dumps(data).replace("0.99]", "NaN]", 1)
    response = client_for(teacher).post(URL, text, content_type="application/json")
    assert response.status_code == 400
    assert "Out of range float values" in error_of(response)["message"] or "NaN" in error_of(response)["message"]
    assert not MovementAnalysis.objects.exists()


def test_100000_frames_are_refused(client_for, teacher, pupil):
    frames = [[[0.5, 0.5]] * 17] * 100_000
    data = {"student": pupil.pk, "movement": "squat", "keypoints": {"layout": "coco17", "fps": 30, "frames": frames}}
    response = client_for(teacher).post(URL, data, format="json")
    assert response.status_code == 413  # the body limit answers first
    assert error_of(response)["code"] == "payload_too_large"
    # the service refuses it by itself too (e.g. the page upload), before reading any frame
    from accounts.services.errors import ServiceError
    from physed.services.movement import analyse_movement

    with pytest.raises(ServiceError) as info:
        analyse_movement(actor=teacher, student=pupil, movement="squat", keypoints=data["keypoints"])
    assert info.value.code == "too_many_frames" and info.value.field == "keypoints.frames"
    assert info.value.message == "100000 frames is more than the limit of 18000."


def test_permissions_by_role(client_for, member, school, pupil):
    assistant = member(school, Role.ASSISTANT)
    assert client_for(assistant).post(URL, body(pupil), format="json").status_code == 403
    analysis = MovementAnalysisFactory(student=pupil)
    assert client_for(assistant).get(f"{URL}{analysis.pk}/").status_code == 200
    teacher = member(school, Role.TEACHER)
    assert client_for(teacher).delete(f"{URL}{analysis.pk}/").status_code == 403
    head = member(school, Role.DEPARTMENT_HEAD)
    assert client_for(head).delete(f"{URL}{analysis.pk}/").status_code == 204
    assert not MovementAnalysis.objects.filter(pk=analysis.pk).exists()
    assert AuditEvent.objects.filter(action="physed.movement_analysis_deleted").exists()


def test_other_school_is_404_and_anonymous_401(client_for, api_client, other_teacher, pupil):
    analysis = MovementAnalysisFactory(student=pupil)
    assert client_for(other_teacher).get(f"{URL}{analysis.pk}/").status_code == 404
    assert client_for(other_teacher).get(URL).json()["count"] == 0
    assert api_client.get(URL).status_code == 401


def test_guardian_of_the_student_reads_and_another_guardian_does_not(client_for, member, school, pupil):
    analysis = MovementAnalysisFactory(student=pupil)
    MovementAnalysisFactory(student=StudentFactory(school=school))
    guardian = member(school, Role.GUARDIAN)
    assign_perm("physed.view_student", guardian, pupil)
    client = client_for(guardian)
    response = client.get(URL, {"student": pupil.pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [analysis.pk]
    assert client.get(f"{URL}{analysis.pk}/").json()["results"]["rep_count"] == 3
    assert client.get(URL).status_code == 403  # no student given: not a staff list
    assert client.delete(f"{URL}{analysis.pk}/").status_code == 403
    stranger = member(school, Role.GUARDIAN)
    assert client_for(stranger).get(f"{URL}{analysis.pk}/").status_code == 403
    assert client_for(stranger).get(URL, {"student": pupil.pk}).status_code == 403
    student_user = member(school, Role.STUDENT)
    pupil.user = student_user
    pupil.save()
    assign_perm("physed.view_student", student_user, pupil)
    assert client_for(student_user).get(f"{URL}{analysis.pk}/").status_code == 200


def test_list_filters_search_and_ordering(client_for, teacher, school):
    ada = StudentFactory(school=school, first_name="Ada", last_name="Lovelace")
    bob = StudentFactory(school=school, first_name="Bob", last_name="Builder")
    low = MovementAnalysisFactory(student=ada, movement="push_up", score=40)
    high = MovementAnalysisFactory(student=bob, score=95)
    client = client_for(teacher)
    assert [r["id"] for r in client.get(URL, {"student": ada.pk}).json()["results"]] == [low.pk]
    assert [r["id"] for r in client.get(URL, {"movement": "squat"}).json()["results"]] == [high.pk]
    assert [r["id"] for r in client.get(URL, {"search": "lovelace"}).json()["results"]] == [low.pk]
    assert [r["id"] for r in client.get(URL, {"ordering": "score"}).json()["results"]] == [low.pk, high.pk]
    assert [r["id"] for r in client.get(URL, {"min_score": 50}).json()["results"]] == [high.pk]
    assert client.get(URL, {"created_after": "2999-01-01"}).json()["count"] == 0
    assert "results" not in client.get(URL).json()["results"][0]
    assert client.get(URL, {"movement": "burpee"}).status_code == 400


def test_reanalyse_uses_the_stored_keypoints(client_for, teacher, pupil):
    analysis = MovementAnalysisFactory(student=pupil, score=1, rep_count=0)
    response = client_for(teacher).post(f"{URL}{analysis.pk}/reanalyse/")
    assert response.status_code == 200
    assert response.json()["score"] == 100 and response.json()["rep_count"] == 3
    analysis.refresh_from_db()
    assert analysis.score == 100


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 100


def test_video_upload_download_and_remove(client_for, member, school, pupil, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    teacher = member(school, Role.TEACHER)
    analysis = MovementAnalysisFactory(student=pupil)
    url = f"{URL}{analysis.pk}/video/"
    client = client_for(teacher)
    bad = client.post(url, {"video": SimpleUploadedFile("clip.mp4", b"<html>not a video</html>")}, format="multipart")
    assert bad.status_code == 400 and error_of(bad)["fields"]["video"] == ["Upload an MP4, MOV or WebM video."]
    wrong_ext = client.post(url, {"video": SimpleUploadedFile("clip.webm", MP4)}, format="multipart")
    assert wrong_ext.status_code == 400
    assert client.post(url, {}, format="multipart").status_code == 400
    response = client.post(url, {"video": SimpleUploadedFile("my clip.mp4", MP4, "video/mp4")}, format="multipart")
    assert response.status_code == 200 and response.json()["has_video"] is True
    analysis.refresh_from_db()
    assert analysis.video.name.startswith("movement-videos/") and "clip" not in analysis.video.name
    assert analysis.video_content_type == "video/mp4" and analysis.video_size == len(MP4)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == MP4
    assert download["Content-Type"] == "video/mp4" and download["Cache-Control"] == "private, no-store"
    guardian = member(school, Role.GUARDIAN)
    assert client_for(guardian).get(url).status_code == 403
    assign_perm("physed.view_student", guardian, pupil)
    assert client_for(guardian).get(url).status_code == 200
    assert (
        client_for(guardian).post(url, {"video": SimpleUploadedFile("a.webm", WEBM)}, format="multipart").status_code
        == 403
    )
    replaced = client.post(url, {"video": SimpleUploadedFile("b.webm", WEBM)}, format="multipart")
    assert replaced.json()["video_content_type"] == "video/webm"
    assert client.delete(url).status_code == 403  # removing needs the delete permission
    head = member(school, Role.DEPARTMENT_HEAD)
    assert client_for(head).delete(url).status_code == 204
    analysis.refresh_from_db()
    assert not analysis.video
    assert client.get(url).status_code == 404

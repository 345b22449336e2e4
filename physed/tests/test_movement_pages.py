"""Movement pages: list, upload, analysis page, history, panel, video, delete — values and permissions."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from guardian.shortcuts import assign_perm

from accounts.models import Role
from physed.models import MovementAnalysis
from physed.movement import synthetic
from physed.tests.factories_movement import MovementAnalysisFactory
from physed.tests.factories_roster import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(school):
    return StudentFactory(school=school, first_name="Rosa", last_name="Parks")


@pytest.fixture
def logged_in(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def keypoints_json(**options):
    return json.dumps(synthetic.generate("squat", layout="coco17", reps=3, **options).payload)


def test_upload_a_keypoints_file_then_see_the_analysis(logged_in, teacher, pupil):
    client = logged_in(teacher)
    page = client.get("/movement/new/", {"student": pupil.pk})
    assert page.status_code == 200 and b"Rosa Parks" in page.content
    upload = SimpleUploadedFile("squat.json", keypoints_json(faults={"shallow_depth": [2]}).encode())
    response = client.post("/movement/new/", {"student": pupil.pk, "movement": "squat", "keypoints_file": upload})
    analysis = MovementAnalysis.objects.get()
    assert response.status_code == 302 and response.url == f"/movement/{analysis.pk}/"
    assert analysis.score == 90 and analysis.rep_count == 3
    detail = client.get(response.url)
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "Squat not deep enough" in html and "Sit back and down" in html and "−10.0" in html
    assert "<svg" in html and "Range of motion per repetition" in html
    assert "style=" not in html and "<script>" not in html


def test_pasted_json_and_a_video(logged_in, teacher, pupil, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    client = logged_in(teacher)
    video = SimpleUploadedFile("clip.mov", b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 64)
    response = client.post(
        "/movement/new/",
        {"student": pupil.pk, "movement": "squat", "keypoints_text": keypoints_json(), "video": video},
    )
    analysis = MovementAnalysis.objects.get()
    assert response.status_code == 302
    assert analysis.video_content_type == "video/quicktime"
    download = client.get(f"/movement/{analysis.pk}/video/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"keypoints_text": '{"layout": "coco17", "fps": NaN, "frames": []}'}, "NaN and Infinity are not valid"),
        ({"keypoints_text": "{not json"}, "not valid JSON"),
        ({}, "Upload a keypoints file or paste the JSON."),
        ({"keypoints_text": '{"layout": "openpose", "fps": 30, "frames": [[]]}'}, "Unknown layout"),
        ({"keypoints_text": '{"layout": "coco17", "fps": 0, "frames": [[]]}'}, "fps must be between 1 and 240"),
    ],
)
def test_upload_errors_are_shown_on_the_form(logged_in, teacher, pupil, data, message):
    response = logged_in(teacher).post("/movement/new/", {"student": pupil.pk, "movement": "squat", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MovementAnalysis.objects.exists()


def test_upload_refuses_a_bad_video_before_analysing(logged_in, teacher, pupil):
    video = SimpleUploadedFile("clip.mp4", b"GIF89a....")
    response = logged_in(teacher).post(
        "/movement/new/", {"student": pupil.pk, "movement": "squat", "keypoints_text": keypoints_json(), "video": video}
    )
    assert response.status_code == 400 and "Upload an MP4, MOV or WebM video." in response.content.decode()
    assert not MovementAnalysis.objects.exists()


def test_list_page_filters_and_permissions(logged_in, teacher, assistant, guardian, school, pupil, other_school):
    mine = MovementAnalysisFactory(student=pupil, movement="push_up")
    MovementAnalysisFactory(student=StudentFactory(school=school, first_name="Zed"))
    MovementAnalysisFactory(student=StudentFactory(school=other_school, first_name="Far"))
    page = logged_in(teacher).get("/movement/", {"q": "rosa"})
    html = page.content.decode()
    assert page.status_code == 200 and "Rosa Parks" in html and "Zed" not in html and "Far" not in html
    assert f"/movement/{mine.pk}/" in html and "New analysis" in html
    assert "Zed" not in logged_in(teacher).get("/movement/", {"movement": "push_up"}).content.decode()
    assert "New analysis" not in logged_in(assistant).get("/movement/").content.decode()
    assert logged_in(assistant).get("/movement/new/").status_code == 403
    assert logged_in(guardian).get("/movement/").status_code == 403


def test_analysis_page_permissions(logged_in, client, member, school, pupil, other_teacher):
    analysis = MovementAnalysisFactory(student=pupil)
    url = f"/movement/{analysis.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    assert logged_in(other_teacher).get(url).status_code == 404
    guardian = member(school, Role.GUARDIAN)
    assert logged_in(guardian).get(url).status_code == 403
    assign_perm("physed.view_student", guardian, pupil)
    html = logged_in(guardian).get(url).content.decode()
    assert "No form faults found" in html and "Delete" not in html and "Re-run" not in html
    assert logged_in(guardian).get(f"/movement/students/{pupil.pk}/").status_code == 200
    assert logged_in(member(school, Role.GUARDIAN)).get(f"/movement/students/{pupil.pk}/").status_code == 403
    assert logged_in(other_teacher).get(f"/movement/students/{pupil.pk}/").status_code == 404


def test_student_history_shows_the_score_trend(logged_in, teacher, pupil):
    MovementAnalysisFactory(student=pupil, score=60)
    MovementAnalysisFactory(student=pupil, score=90)
    MovementAnalysisFactory(student=pupil, movement="push_up", score=70)
    html = logged_in(teacher).get(f"/movement/students/{pupil.pk}/").content.decode()
    assert "Form score over time" in html and "<polyline" in html and "Push-up" in html
    only = logged_in(teacher).get(f"/movement/students/{pupil.pk}/", {"movement": "push_up"})
    assert only.content.decode().count('class="card mv-card"') == 1


def test_delete_asks_for_confirmation(logged_in, teacher, department_head, pupil):
    analysis = MovementAnalysisFactory(student=pupil)
    url = f"/movement/{analysis.pk}/delete/"
    assert logged_in(teacher).get(url).status_code == 403
    client = logged_in(department_head)
    page = client.get(url)
    assert page.status_code == 200 and "Delete this analysis?" in page.content.decode()
    assert client.post(url, {}).status_code == 400
    assert MovementAnalysis.objects.filter(pk=analysis.pk).exists()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response.url == f"/movement/students/{pupil.pk}/"
    assert not MovementAnalysis.objects.filter(pk=analysis.pk).exists()


def test_reanalyse_button(logged_in, teacher, assistant, pupil):
    analysis = MovementAnalysisFactory(student=pupil, score=3)
    assert logged_in(assistant).post(f"/movement/{analysis.pk}/reanalyse/").status_code == 403
    response = logged_in(teacher).post(f"/movement/{analysis.pk}/reanalyse/")
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.score == 100


def _panel(user, student):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load physed_movement %}{% student_movement_panel student %}")
    return template.render(Context({"request": request, "student": student}))


def test_student_panel(teacher, member, school, pupil):
    assert "No movement analyses yet." in _panel(teacher, pupil)
    MovementAnalysisFactory(student=pupil, score=77)
    html = _panel(teacher, pupil)
    assert "77" in html and "Form score over time" in html and "New analysis" in html
    guardian = member(school, Role.GUARDIAN)
    assert _panel(guardian, pupil).strip() == ""
    assign_perm("physed.view_student", guardian, pupil)
    html = _panel(guardian, pupil)
    assert "77" in html and "New analysis" not in html

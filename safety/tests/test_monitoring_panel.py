"""The live safety panel page and its polled fragment: the acceptance scenario ("a teacher starts
a session on a hot afternoon and the live panel tells them what to change and who needs an
inhaler"), conditional GET (304 unchanged, 200 after a new reading or incident), audit once per
page load, permissions."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from physed.models import ClassSession
from physed.tests.factories_roster import PEClassFactory
from safety.models import EnvironmentReading, Incident, SafetyAlert
from safety.tests.factories_monitoring import HEAT_ACTIONS, hot_afternoon

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def scenario(school, teacher):
    return hot_afternoon(school, teacher)


def test_hot_afternoon_panel_tells_the_teacher_what_to_change_and_who_needs_an_inhaler(client, teacher, scenario):
    client.force_login(teacher)
    response = client.get(reverse("safety-live-panel", args=[scenario["session"].pk]))
    assert response.status_code == 200
    text = text_of(response)
    # what to change: the decision and every required modification of the heat-index band
    assert "Go with modifications" in text
    assert "Required changes" in text
    for action in HEAT_ACTIONS:
        assert action in text
    assert "Heat index: 100 °F — 91-103" in text
    assert "Reading of" in text and "33.0 °C" in text
    # who needs an inhaler: the present student, her instruction and her medication
    assert "Maya Ortiz" in text
    assert "Inhaler before PE" in text
    assert "Salbutamol inhaler (Before PE, Carried by the student)" in text
    assert "Exercise-induced asthma" in text
    # the absent student is not on the panel; the late one is (participating)
    assert "Ines Absent" not in text
    assert "Leo Park" in text
    assert "Present students (2)" in text
    # the environment alert was raised once, for the teacher (and department heads)
    alert = SafetyAlert.objects.get(session=scenario["session"])
    assert alert.key == "environment:modify"
    assert alert.level == "warning"
    assert "Water break every 15 minutes" in alert.message
    assert alert.message in text


def test_page_has_htmx_polling_without_inline_script_or_style(client, teacher, scenario):
    client.force_login(teacher)
    html = client.get(reverse("safety-live-panel", args=[scenario["session"].pk])).content.decode()
    fragment_url = reverse("safety-live-panel-fragment", args=[scenario["session"].pk])
    assert f'hx-get="{fragment_url}"' in html
    assert 'hx-trigger="every 30s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, ' in html
    assert '{"code": "304", "swap": false}' in html  # htmx 2 would otherwise swap a 304's empty body
    etag = client.get(fragment_url)["ETag"]
    expected = 'hx-headers=\'{"If-None-Match": "\\"' + etag.strip('"') + '\\""}\''
    assert expected in html
    assert re.search(r'<script src="[^"]*django_htmx/htmx-2.min.js"', html)
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None


def _fragment(client, session, etag=None):
    headers = {"HTTP_HX_REQUEST": "true"}
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(reverse("safety-live-panel-fragment", args=[session.pk]), **headers)


def test_fragment_answers_304_while_unchanged_and_200_after_a_new_reading(client, teacher, scenario):
    client.force_login(teacher)
    session = scenario["session"]
    first = _fragment(client, session)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert first["Cache-Control"] == "private, no-cache"
    assert 'id="live-panel"' in first.content.decode()
    assert "<html" not in first.content.decode()

    again = _fragment(client, session, etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    # a new, hotter reading changes the panel: 200 with the new decision
    EnvironmentReading.objects.create(
        school=session.pe_class.school,
        recorded_at=timezone.now() - datetime.timedelta(minutes=1),
        space="field",
        temperature_c=Decimal("38.0"),
        relative_humidity=Decimal("60.0"),
    )
    changed = _fragment(client, session, etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Move indoors" in text_of(changed)
    assert SafetyAlert.objects.filter(session=session, key="environment:indoors", level="danger").exists()


def test_fragment_answers_200_after_a_new_incident(client, teacher, scenario):
    client.force_login(teacher)
    session = scenario["session"]
    etag = _fragment(client, session)["ETag"]
    assert _fragment(client, session, etag).status_code == 304
    incident = Incident.objects.create(
        school=session.pe_class.school,
        reference="INC-TEST-1",
        kind="injury",
        occurred_at=timezone.now(),
        location="Field",
        pe_class=session.pe_class,
        session=session,
        description="Rolled an ankle.",
    )
    changed = _fragment(client, session, etag)
    assert changed.status_code == 200
    assert incident.reference in changed.content.decode()


def test_needs_read_is_audited_once_per_page_load_not_per_poll(client, teacher, scenario):
    client.force_login(teacher)
    session = scenario["session"]
    client.get(reverse("safety-live-panel", args=[session.pk]))
    events = AuditEvent.objects.filter(action="safety.class_needs_viewed")
    assert events.count() == 1
    event = events.get()
    assert event.changes["context"] == f"session:{session.pk}"
    assert event.changes["students"] == [scenario["maya"].pk]
    for _ in range(3):
        _fragment(client, session)
    assert events.count() == 1
    client.get(reverse("safety-live-panel", args=[session.pk]))
    assert events.count() == 2


def test_alert_is_raised_once_across_polls_and_notifies_teacher_and_heads(client, teacher, department_head, scenario):
    from accounts.models import Notification

    client.force_login(teacher)
    session = scenario["session"]
    for _ in range(3):
        _fragment(client, session)
    assert SafetyAlert.objects.filter(session=session).count() == 1
    notes = Notification.objects.filter(kind="safety.live_alert")
    assert sorted(notes.values_list("user_id", flat=True)) == sorted([teacher.pk, department_head.pk])
    assert all(n.url == reverse("safety-live-panel", args=[session.pk]) for n in notes)


def test_acknowledge_from_the_panel(client, teacher, scenario):
    client.force_login(teacher)
    session = scenario["session"]
    client.get(reverse("safety-live-panel", args=[session.pk]))
    alert = SafetyAlert.objects.get(session=session)
    response = client.post(
        reverse("safety-alert-acknowledge", args=[alert.pk]), {"next": reverse("safety-live-panel", args=[session.pk])}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == teacher and alert.acknowledged_at is not None
    text = text_of(client.get(reverse("safety-live-panel", args=[session.pk])))
    assert "Acknowledged by" in text
    # a second acknowledgement is refused with a message, nothing changes
    before = alert.acknowledged_at
    client.post(reverse("safety-alert-acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.acknowledged_at == before


def test_no_reading_says_so_and_raises_no_environment_alert(client, school, teacher):
    data = hot_afternoon(school, teacher, reading=False)
    client.force_login(teacher)
    text = text_of(client.get(reverse("safety-live-panel", args=[data["session"].pk])))
    assert "No current reading: take one before going outside." in text
    assert not SafetyAlert.objects.filter(session=data["session"], kind="environment").exists()


def test_guardian_gets_403_and_other_school_404(client, guardian, other_teacher, scenario):
    session = scenario["session"]
    client.force_login(guardian)
    assert client.get(reverse("safety-live-panel", args=[session.pk])).status_code == 403
    assert client.get(reverse("safety-live-panel-fragment", args=[session.pk])).status_code == 403
    client.force_login(other_teacher)
    assert client.get(reverse("safety-live-panel", args=[session.pk])).status_code == 404
    assert client.get(reverse("safety-session-risk", args=[session.pk])).status_code == 404


def test_planned_session_before_attendance_shows_enrolled_students(client, school, teacher):
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    session = ClassSession.objects.create(pe_class=pe_class, date=timezone.localdate())
    client.force_login(teacher)
    text = text_of(client.get(reverse("safety-live-panel", args=[session.pk])))
    assert "Enrolled students (attendance not taken yet) (0)" in text
    assert "No flagged equipment is needed for this plan." in text
    assert "No open incidents." in text

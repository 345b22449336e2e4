"""Adaptation pages and panels, the personal-data registry entries and the demo seed."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from accounts.models import AuditEvent, Role
from accounts.privacy import registry
from physed.models import (
    AdaptationProfile,
    AdaptationProposal,
    AttendanceStatus,
    ProposalStatus,
    RecommendationFeedback,
    SessionBlock,
    SessionStatus,
)
from physed.tests.factories import (
    ActivityFactory,
    AttendanceRecordFactory,
    ClassSessionFactory,
    EnrollmentFactory,
    PEClassFactory,
    SessionBlockFactory,
    StudentFactory,
)
from physed.tests.factories_adaptation import (
    AdaptationProfileFactory,
    AdaptationProposalFactory,
    RecommendationFeedbackFactory,
    record,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 15)


@pytest.fixture
def live(school, teacher):
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    student = StudentFactory(school=school, first_name="Tia", last_name="Reyes", preferred_name="")
    EnrollmentFactory(pe_class=pe_class, student=student)
    for days in (9, 5, 2):
        past = ClassSessionFactory(pe_class=pe_class, date=TODAY - datetime.timedelta(days=days))
        record(past, student, "rpe", 9)
    session = ClassSessionFactory(pe_class=pe_class, date=TODAY, status=SessionStatus.IN_PROGRESS)
    activity = ActivityFactory(
        school=school,
        name="Capture the flag",
        modifications=[{"kind": "intensity", "easier": "Walk-only zones.", "harder": "Smaller safe zones."}],
    )
    SessionBlockFactory(session=session, order=1, activity=activity)
    AttendanceRecordFactory(session=session, student=student, status=AttendanceStatus.PRESENT)
    return {"class": pe_class, "session": session, "student": student, "activity": activity}


def render(template: str, user, **context) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return Template("{% load physed_adaptation %}" + template).render(Context({"request": request, **context}))


def test_profile_page_edits_restrictions_and_logs_reading_notes(client, teacher, live):
    student = live["student"]
    AdaptationProfileFactory(student=student, notes="Uses a wheelchair for long distances.")
    client.force_login(teacher)
    url = f"/adaptation/students/{student.pk}/"
    page = client.get(url, {"next": "/back/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Uses a wheelchair for long distances." in html and 'name="restrict_no_contact"' in html
    assert AuditEvent.objects.filter(action="physed.adaptation_profile_viewed").count() == 1
    response = client.post(
        url,
        {
            "has_504": "on",
            "skill_level": "2",
            "preferred_modifications": ["equipment"],
            "restrict_no_contact": "on",
            "until_no_contact": "2026-12-01",
            "restrict_no_running": "on",
            "notes": "Updated",
            "next": "/back/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/back/"
    profile = AdaptationProfile.objects.get(student=student)
    assert profile.has_504 and profile.skill_level == 2 and profile.notes == "Updated"
    assert profile.restrictions == [
        {"kind": "no_contact", "until": "2026-12-01"},
        {"kind": "no_running", "until": None},
    ]
    bad = client.post(url, {"skill_level": "9"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    offsite = client.post(url, {"skill_level": "3", "next": "https://evil.example/"})
    assert offsite["Location"] == url


def test_profile_page_permissions(client, member, school, other_teacher, live):
    url = f"/adaptation/students/{live['student'].pk}/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(member(school, Role.ASSISTANT))
    assert client.get(url).status_code == 403
    client.force_login(other_teacher)
    assert client.get(url).status_code == 404


def test_student_panel_shows_flags_to_staff_and_nothing_to_students(teacher, member, school, live):
    AdaptationProfileFactory(
        student=live["student"], has_iep=True, restrictions=[{"kind": "no_contact", "until": "2026-12-01"}]
    )
    html = render("{% student_adaptation_panel student %}", teacher, student=live["student"])
    assert "IEP" in html and "No contact" in html and "until 2026-12-01" in html
    assert f"/adaptation/students/{live['student'].pk}/" in html
    assistant_html = render(
        "{% student_adaptation_panel student %}", member(school, Role.ASSISTANT), student=live["student"]
    )
    assert "IEP" in assistant_html and "/adaptation/students/" not in assistant_html
    assert (
        render("{% student_adaptation_panel student %}", member(school, Role.STUDENT), student=live["student"]).strip()
        == ""
    )


def test_live_panel_lists_proposals_with_reasons_and_decision_buttons(teacher, member, school, live):
    html = render("{% live_adaptation_panel session %}", teacher, session=live["session"])
    assert "Tia Reyes" in html and "Walk-only zones." in html
    assert "RPE 9 average over the last 3 sessions" in html
    assert 'value="accept"' in html and 'value="reject"' in html
    assistant_html = render(
        "{% live_adaptation_panel session %}", member(school, Role.ASSISTANT), session=live["session"]
    )
    assert "Walk-only zones." in assistant_html and 'value="accept"' not in assistant_html
    assert (
        render("{% live_adaptation_panel session %}", member(school, Role.GUARDIAN), session=live["session"]).strip()
        == ""
    )


def test_decide_page_records_the_decision(client, teacher, live, other_school):
    render("{% live_adaptation_panel session %}", teacher, session=live["session"])
    proposal = AdaptationProposal.objects.get(session=live["session"])
    client.force_login(teacher)
    url = f"/adaptation/sessions/{live['session'].pk}/decide/"
    response = client.post(url, {"proposal": proposal.pk, "decision": "accept", "next": "/sessions/x/"})
    assert response.status_code == 302 and response["Location"] == "/sessions/x/"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == teacher
    # deciding twice, a foreign proposal, or a broken form: a message, no change
    for data in (
        {"proposal": proposal.pk, "decision": "reject"},
        {"proposal": AdaptationProposalFactory(session__pe_class__school=other_school).pk, "decision": "reject"},
        {"decision": "maybe"},
    ):
        assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert client.get(url).status_code == 405


def test_session_adaptation_page(client, teacher, member, school, live):
    client.force_login(teacher)
    page = client.get(f"/adaptation/sessions/{live['session'].pk}/")
    assert page.status_code == 200 and "Walk-only zones." in page.content.decode()
    client.force_login(member(school, Role.STUDENT))
    assert client.get(f"/adaptation/sessions/{live['session'].pk}/").status_code == 403


def test_recommendations_page_panel_and_feedback(client, teacher, member, school, live):
    other = ActivityFactory(school=school, name="Yoga flow", fitness_components=["flexibility"], category="fitness")
    client.force_login(teacher)
    url = f"/adaptation/classes/{live['class'].pk}/recommendations/"
    page = client.get(url, {"duration": "20", "space": "gym", "session": live["session"].pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Yoga flow" in html and "Score breakdown" in html and "Pick: add to session" in html
    assert client.get(url, {"duration": "0"}).status_code == 200  # invalid filter: ignored, form shows the error
    panel = render(
        "{% recommendations_panel pe_class session %}", teacher, pe_class=live["class"], session=live["session"]
    )
    assert "Yoga flow" in panel and "score-bar-fill" in panel
    feedback = f"/adaptation/classes/{live['class'].pk}/recommendations/feedback/"
    response = client.post(
        feedback, {"activity": other.pk, "action": "pick", "session": live["session"].pk, "score": "1.5"}
    )
    assert response.status_code == 302
    assert SessionBlock.objects.filter(session=live["session"], activity=other).exists()
    client.post(feedback, {"activity": other.pk, "action": "dismiss", "reason": "Too calm"})
    assert list(RecommendationFeedback.objects.values_list("action", flat=True).order_by("pk")) == ["pick", "dismiss"]
    for data in ({"activity": 99999999, "action": "pick"}, {"activity": other.pk, "action": "hug"}):
        client.post(feedback, data)
    assert RecommendationFeedback.objects.count() == 2
    client.force_login(member(school, Role.ASSISTANT))
    assistant_page = client.get(url).content.decode()
    assert "Yoga flow" in assistant_page and 'value="pick"' not in assistant_page
    assert client.post(feedback, {"activity": other.pk, "action": "pick"}).status_code == 403
    client.force_login(member(school, Role.GUARDIAN))
    assert client.get(url).status_code == 403


def test_privacy_registry_exports_and_erases_the_students_adaptation_data(school, teacher, member, live):
    user = member(school, Role.STUDENT)
    live["student"].user = user
    live["student"].save()
    profile = AdaptationProfileFactory(student=live["student"], notes="private", updated_by=teacher)
    proposal = AdaptationProposalFactory(session=live["session"], student=live["student"], decided_by=teacher)
    feedback = RecommendationFeedbackFactory(pe_class=live["class"], actor=teacher)
    profiles = registry.entry_for("physed.AdaptationProfile")
    assert [row["id"] for row in profiles.export_rows(profiles.queryset_for(user))] == [profile.pk]
    assert list(profiles.queryset_for(teacher)) == []  # staff never export the students' profiles they edited
    feedback_entry = registry.entry_for("physed.RecommendationFeedback")
    assert list(feedback_entry.queryset_for(teacher)) == [feedback]
    # the teacher's erasure clears links, the student's erasure deletes the rows
    for label in ("physed.AdaptationProfile", "physed.AdaptationProposal"):
        entry = registry.entry_for(label)
        entry.erase(entry.queryset_for(teacher), teacher)
    profile.refresh_from_db()
    proposal.refresh_from_db()
    assert profile.updated_by is None and proposal.decided_by is None
    for label in ("physed.AdaptationProfile", "physed.AdaptationProposal"):
        entry = registry.entry_for(label)
        action, count = entry.erase(entry.queryset_for(user), user)
        assert (action, count) == (registry.DELETE, 1)
    assert not AdaptationProfile.objects.exists() and not AdaptationProposal.objects.exists()
    feedback_entry.queryset_for(teacher).update(**feedback_entry.erase)
    feedback.refresh_from_db()
    assert feedback.actor is None


def test_demo_seed_is_idempotent(school, teacher, live):
    from physed import demo_adaptation

    for _ in range(4):
        EnrollmentFactory(pe_class=live["class"], student=StudentFactory(school=school))
    live["session"].status = SessionStatus.COMPLETED
    live["session"].save()
    teacher.email = f"teacher@{school.slug}.demo"
    teacher.save()
    for _ in range(3):
        ActivityFactory(school=school)
    ActivityFactory.create_batch(4, school=school)
    demo_adaptation.seed({"schools": {school.slug: school}})
    first = (
        AdaptationProfile.objects.count(),
        AdaptationProposal.objects.exclude(status="pending").count(),
        RecommendationFeedback.objects.count(),
    )
    demo_adaptation.seed({"schools": {school.slug: school}})
    second = (
        AdaptationProfile.objects.count(),
        AdaptationProposal.objects.exclude(status="pending").count(),
        RecommendationFeedback.objects.count(),
    )
    assert first == second
    assert first[0] == 3 and first[2] == 2
    assert AdaptationProfile.objects.filter(has_iep=True).count() == 1
    assert AdaptationProfile.objects.filter(has_504=True).count() == 1
    assert AdaptationProfile.objects.filter(restrictions__icontains="no_contact").count() == 1
    assert first[1] >= 1

"""Risk services beyond the API: review reminders (task), assessments due, demo data, privacy
registry and admin pages."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Notification, Role
from accounts.privacy import registry
from physed.tests.factories import ActivityFactory, PEClassFactory
from safety import notifications as events
from safety.models import Hazard, RiskAssessment, RiskAssessmentStatus, RiskBand
from safety.selectors.risk import assessments_due
from safety.services import risk as services
from safety.services.risk_data import load_default_bands
from safety.tasks_risk import remind_assessment_reviews
from safety.tests.factories_risk import HazardFactory, RiskAssessmentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def default_bands(db):
    load_default_bands()


def test_due_assessments_and_reminders_go_to_the_owner_once(school, other_school, teacher, department_head):
    due = RiskAssessmentFactory(
        school=school, status="approved", owner=teacher, review_date=TODAY - datetime.timedelta(days=3)
    )
    today = RiskAssessmentFactory(school=school, status="approved", created_by=department_head, review_date=TODAY)
    RiskAssessmentFactory(school=school, status="approved", review_date=TODAY + datetime.timedelta(days=1))
    RiskAssessmentFactory(school=school, status="draft", review_date=TODAY - datetime.timedelta(days=9))
    RiskAssessmentFactory(school=other_school, status="approved", review_date=TODAY - datetime.timedelta(days=9))
    assert [a.pk for a in assessments_due(school, TODAY)] == [due.pk, today.pk]
    assert remind_assessment_reviews.apply().get() == 3  # includes the other school's
    reminders = Notification.objects.filter(kind=events.REVIEW_DUE)
    assert sorted(reminders.values_list("user_id", flat=True)) == sorted([teacher.pk, department_head.pk])
    assert remind_assessment_reviews.apply().get() == 0
    due.refresh_from_db()
    assert due.review_reminded_on == TODAY
    # approving again after a reopen re-arms the reminder
    services.reopen_assessment(actor=teacher, assessment=due)
    due.refresh_from_db()
    HazardFactory(assessment=due)
    due.review_date = TODAY + datetime.timedelta(days=30)
    due.save()
    services.submit_assessment(actor=teacher, assessment=due)
    services.decide_assessment(actor=department_head, assessment=due, approve=True)
    due.refresh_from_db()
    assert due.review_reminded_on is None and due.status == RiskAssessmentStatus.APPROVED


def test_services_refuse_users_of_other_schools_and_edits_outside_draft(school, other_teacher, teacher):
    with pytest.raises(services.ServiceError) as exc:
        services.create_assessment(
            actor=other_teacher, school=school, title="x", subject="venue", venue="Gym", review_date=TODAY
        )
    assert exc.value.status == 403
    submitted = RiskAssessmentFactory(school=school, status="submitted", owner=teacher, created_by=teacher)
    with pytest.raises(services.ServiceError) as exc:
        services.update_assessment(actor=teacher, assessment=submitted, title="changed")
    assert exc.value.code == "not_draft"
    assert RiskAssessment.objects.get(pk=submitted.pk).title.startswith("Sports hall")


def test_privacy_export_and_erase_keep_the_record_and_drop_the_links(school, teacher, department_head):
    assessment = RiskAssessmentFactory(school=school, owner=teacher, created_by=teacher, decided_by=department_head)
    entry = registry.entry_for("safety.RiskAssessment")
    rows = list(entry.export_rows(entry.queryset_for(teacher)))
    assert [(row["id"], row["owner"], row["decided_by"]) for row in rows] == [
        (assessment.pk, teacher.pk, department_head.pk)
    ]
    assert list(entry.queryset_for(department_head)) == [assessment]
    action, count = entry.erase(entry.queryset_for(teacher), teacher)
    assessment.refresh_from_db()
    assert action == registry.ANONYMIZED and count == 2
    assert (assessment.owner_id, assessment.created_by_id, assessment.decided_by_id) == (None, None, department_head.pk)


def test_demo_seed_makes_four_assessments_per_school_and_is_idempotent(school, member):
    from safety import demo_risk

    member(school, Role.TEACHER, email=f"teacher@{school.slug}.demo")
    member(school, Role.TEACHER, email=f"teacher2@{school.slug}.demo")
    head = member(school, Role.DEPARTMENT_HEAD, email=f"head@{school.slug}.demo")
    ActivityFactory(school=None, slug="vaulting-box", name="Vaulting box")
    PEClassFactory(school=school)
    context = {"schools": {school.slug: school}}
    demo_risk.seed(context)
    first = (RiskAssessment.objects.count(), Hazard.objects.count(), AuditEvent.objects.count())
    demo_risk.seed(context)
    assert (RiskAssessment.objects.count(), Hazard.objects.count(), AuditEvent.objects.count()) == first
    assert first[:2] == (4, 12)
    rows = {a.title: a for a in RiskAssessment.objects.all()}
    gym = rows["Gymnastics apparatus: vaulting box and tumbling"]
    assert gym.status == "approved" and gym.activity.slug == "vaulting-box" and gym.decided_by == head
    assert not gym.is_due_for_review(TODAY)
    assert rows["Outdoor field and running track"].is_due_for_review(TODAY)
    assert rows["Climbing wall traverse"].status == "submitted" and rows["Climbing wall traverse"].pe_class_id
    assert rows["Sports day"].status == "draft" and rows["Sports day"].subject == "event"
    assert [a.pk for a in assessments_due(school, TODAY)] == [rows["Outdoor field and running track"].pk]


def test_admin_pages_load(client, school, teacher):
    from accounts.tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assessment = RiskAssessmentFactory(school=school, owner=teacher)
    HazardFactory(assessment=assessment)
    RiskBand.objects.create(school=school, code="gap", name="Gap", min_score=1, max_score=3, required_action="x")
    for url in (
        "/admin/safety/riskassessment/",
        "/admin/safety/riskassessment/add/",
        f"/admin/safety/riskassessment/{assessment.pk}/change/",
        "/admin/safety/hazard/",
        "/admin/safety/riskband/add/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.get("/admin/safety/riskband/")
    assert response.status_code == 200
    assert "scores not in any band: 4–25" in response.content.decode()
    # an overlapping band is refused by the admin form
    response = client.post(
        "/admin/safety/riskband/add/",
        {
            "school": school.pk,
            "code": "x",
            "name": "X",
            "min_score": 2,
            "max_score": 10,
            "colour": "#000000",
            "required_action": "y",
        },
    )
    assert response.status_code == 200 and "overlap" in response.content.decode()
    assert not RiskBand.objects.filter(code="x").exists()

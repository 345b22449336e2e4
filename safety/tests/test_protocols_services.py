"""Protocols selectors (the cross-area contract) and the review/drill reminders task."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Notification
from safety.models import SafetySettings
from safety.notifications import DRILL_DUE, REVIEW_DUE
from safety.selectors.protocols import overdue_drills, protocols_for, supervision_ratio_for
from safety.services.protocols import refresh_drill_dates
from safety.services.protocols_reminders import remind_reviews
from safety.tasks_protocols import remind_reviews as remind_task
from safety.tests.factories_protocols import DrillFactory, EmergencyProcedureFactory, SafetyProtocolFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_protocols_for_and_supervision_ratio(school, other_school):
    general = SafetyProtocolFactory(
        school=school, title="General", activity_category="", space="", supervision_ratio=30
    )
    gym = SafetyProtocolFactory(
        school=school, title="Gymnastics", activity_category="gymnastics", space="", supervision_ratio=16
    )
    pool = SafetyProtocolFactory(school=school, title="Pool", activity_category="", space="pool", supervision_ratio=10)
    SafetyProtocolFactory(
        school=school, title="Retired", activity_category="gymnastics", status="retired", supervision_ratio=2
    )
    SafetyProtocolFactory(school=other_school, title="Elsewhere", activity_category="gymnastics", supervision_ratio=1)
    assert protocols_for(school, {"gymnastics"}, "gym") == [general, gym]
    assert protocols_for(school, {"invasion"}, "pool") == [general, pool]
    assert protocols_for(school, set(), None) == [general]
    assert supervision_ratio_for(school, {"gymnastics"}, None) == 16
    assert supervision_ratio_for(school, {"gymnastics"}, "pool") == 10
    assert supervision_ratio_for(school, {"invasion"}, "field") == 30
    general.supervision_ratio = None
    general.save()
    assert supervision_ratio_for(school, {"invasion"}, "field") is None
    SafetySettings.objects.create(school=school, default_supervision_ratio=25)
    assert supervision_ratio_for(school, {"invasion"}, "field") == 25


def test_overdue_drills_contract(school):
    today = _today()
    never = EmergencyProcedureFactory(school=school, title="Never")
    late = EmergencyProcedureFactory(school=school, title="Late", drill_interval_days=30)
    DrillFactory(procedure=late, held_on=today - datetime.timedelta(days=40))
    due_today = EmergencyProcedureFactory(school=school, title="Today", drill_interval_days=30)
    DrillFactory(procedure=due_today, held_on=today - datetime.timedelta(days=30))
    fine = EmergencyProcedureFactory(school=school, title="Fine", drill_interval_days=30)
    DrillFactory(procedure=fine, held_on=today - datetime.timedelta(days=5))
    EmergencyProcedureFactory(school=school, title="Inactive", is_active=False)
    EmergencyProcedureFactory(school=school, title="No drill", drill_interval_days=None)
    for procedure in (late, due_today, fine):
        refresh_drill_dates(procedure)
    assert overdue_drills(school, today) == [
        (never, None),
        (late, today - datetime.timedelta(days=10)),
        (due_today, today),
    ]


def test_reminders_once_per_cycle_and_due_date(school, department_head, school_admin, teacher):
    today = _today()
    owned = SafetyProtocolFactory(
        school=school, title="Owned", owner=teacher, last_reviewed_on=today - datetime.timedelta(days=360)
    )
    orphan = SafetyProtocolFactory(school=school, title="Orphan", last_reviewed_on=today - datetime.timedelta(days=400))
    SafetyProtocolFactory(school=school, title="Fresh", last_reviewed_on=today)
    SafetyProtocolFactory(
        school=school, title="Retired", status="retired", last_reviewed_on=today - datetime.timedelta(days=900)
    )
    procedure = EmergencyProcedureFactory(school=school, title="Lockdown", drill_interval_days=30)
    DrillFactory(procedure=procedure, held_on=today - datetime.timedelta(days=25))
    refresh_drill_dates(procedure)

    assert remind_task.delay().get() == {"reviews": 2, "drills": 1}
    review = Notification.objects.filter(kind=REVIEW_DUE)
    assert sorted(review.values_list("user__email", flat=True)) == sorted(
        [teacher.email, department_head.email, school_admin.email]
    )
    assert review.get(user=teacher).title == "Protocol review due soon: Owned"
    assert review.get(user=department_head).title == "Protocol review overdue: Orphan"
    drills = Notification.objects.filter(kind=DRILL_DUE)
    assert sorted(drills.values_list("user_id", flat=True)) == sorted([department_head.pk, school_admin.pk])
    assert "Lockdown" in drills.first().title
    owned.refresh_from_db()
    assert owned.review_reminded_on == today

    assert remind_reviews(today) == {"reviews": 0, "drills": 0}  # nothing repeats
    assert Notification.objects.count() == 5
    # a new drill moves the due date: the next due date is announced again when it comes
    DrillFactory(procedure=procedure, held_on=today)
    refresh_drill_dates(procedure)
    assert remind_reviews(today + datetime.timedelta(days=20)) == {"reviews": 0, "drills": 1}
    # a sign-off starts a new cycle
    from safety.services.protocols import sign_off_protocol

    sign_off_protocol(actor=department_head, protocol=orphan, note="")
    orphan.refresh_from_db()
    assert orphan.review_reminded_on is None
    # the drill due on today + 30 was announced already
    assert remind_reviews(today + datetime.timedelta(days=360)) == {"reviews": 2, "drills": 0}

"""The daily protocol-review and drill reminders (Celery task ``safety.remind_reviews``).

Why it remembers: a protocol's owner (or, with no owner, the school's leads) is told once per
review cycle — ``review_reminded_on`` is set when the reminder goes out and cleared by a sign-off;
leads are told once per drill due date — ``drill_reminded_for`` holds the due date already
announced (a never-drilled procedure is keyed by the day it was created)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School
from accounts.services import preferences
from accounts.services.notifications import notify
from safety.models import EmergencyProcedure
from safety.notifications import DRILL_DUE, REVIEW_DUE, safety_leads
from safety.selectors.protocols import drills_falling_due, protocol_config, protocols_needing_review


def _review_recipients(protocol, leads: list) -> list:
    owner = protocol.owner
    return [owner] if owner is not None and owner.is_active else leads


def _needs_review_reminder(protocol, lead_days: int) -> bool:
    window_start = protocol.review_due_on - datetime.timedelta(days=lead_days)
    return protocol.review_reminded_on is None or protocol.review_reminded_on < window_start


def _drill_key(procedure) -> datetime.date:
    return procedure.next_drill_due or timezone.localdate(procedure.created_at)


@transaction.atomic
def remind_school(school: School, today: datetime.date | None = None) -> dict:
    """Sends the due reminders of one school; returns ``{"reviews": n, "drills": n}`` (protocols
    and procedures announced this run)."""
    today = today or timezone.localdate()
    lead_days = protocol_config()["review_due_soon_days"]
    leads = safety_leads(school)
    counts = {"reviews": 0, "drills": 0}
    for protocol in protocols_needing_review(school, today):
        if not _needs_review_reminder(protocol, lead_days):
            continue
        url = reverse("safety-protocol-detail", args=[protocol.pk])
        for user in _review_recipients(protocol, leads):
            with preferences.user_language(user):
                if protocol.review_due_on < today:
                    title = _("Protocol review overdue: %(title)s") % {"title": protocol.title}
                else:
                    title = _("Protocol review due soon: %(title)s") % {"title": protocol.title}
                body = _("Review the protocol and sign it off by %(date)s.") % {
                    "date": protocol.review_due_on.isoformat()
                }
            notify(user, REVIEW_DUE, title, body, url)
        protocol.review_reminded_on = today
        protocol.save(update_fields=["review_reminded_on"])
        counts["reviews"] += 1
    for procedure in drills_falling_due(school, today):
        key = _drill_key(procedure)
        if procedure.drill_reminded_for == key:
            continue
        url = reverse("safety-procedure-detail", args=[procedure.pk])
        for user in leads:
            with preferences.user_language(user):
                title = _("Emergency drill due: %(title)s") % {"title": procedure.title}
                if procedure.next_drill_due is None:
                    body = _("This procedure has never been drilled.")
                else:
                    body = _("The next drill is due on %(date)s.") % {"date": procedure.next_drill_due.isoformat()}
            notify(user, DRILL_DUE, title, body, url)
        EmergencyProcedure.objects.filter(pk=procedure.pk).update(drill_reminded_for=key)
        counts["drills"] += 1
    return counts


def remind_reviews(today: datetime.date | None = None) -> dict:
    """Every school's reminders: ``{"reviews": n, "drills": n}`` in total."""
    total = {"reviews": 0, "drills": 0}
    for school in School.objects.order_by("pk"):
        counts = remind_school(school, today)
        total = {key: total[key] + counts[key] for key in total}
    return total

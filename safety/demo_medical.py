"""Demo data: medical profiles. In each demo school, three students per active class get a
profile from the five examples below (asthma with an inhaler before PE, a severe peanut allergy
with an epinephrine auto-injector kept by the teacher, type 1 diabetes, a concussion with a
no-contact restriction ending in three weeks, epilepsy), each with two emergency contacts; the
demo guardian's child (Sky) gets the asthma profile with the guardian as first contact.

Idempotent: rows are matched (profile by student, conditions by kind, medications by name,
restrictions by kind, contacts by call order) and updated in place; run on the same day it
changes nothing. Written directly (no audit rows or notifications for seeded data)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from physed.demo_scale import base_only
from physed.models import Enrollment, EnrollmentStatus, Guardianship, PEClass
from safety.models import ActivityRestriction, EmergencyContact, MedicalCondition, MedicalProfile, Medication

PER_CLASS = 3

PROFILES = [
    {
        "pe_instructions": "Inhaler before PE; stop at the first wheeze and let them use it.",
        "conditions": [
            {
                "kind": "asthma",
                "name": "Exercise-induced asthma",
                "severity": "moderate",
                "pe_instructions": "Inhaler 15 minutes before PE; longer warm-up.",
            }
        ],
        "medications": [
            {"name": "Salbutamol inhaler", "dose": "2 puffs", "schedule": "before_pe", "location": "student"}
        ],
    },
    {
        "pe_instructions": "No food in the gym. Auto-injector travels with the class.",
        "conditions": [
            {
                "kind": "allergy",
                "name": "Peanut allergy",
                "trigger": "Peanuts",
                "severity": "life_threatening",
                "pe_instructions": "Anaphylaxis: auto-injector in the outer thigh, call 911, then the contacts.",
            }
        ],
        "medications": [
            {"name": "Epinephrine auto-injector", "dose": "0.3 mg", "schedule": "emergency", "location": "teacher"}
        ],
    },
    {
        "pe_instructions": "Check blood glucose before PE; fast sugar in the teacher's bag.",
        "conditions": [
            {
                "kind": "diabetes",
                "name": "Type 1 diabetes",
                "severity": "severe",
                "pe_instructions": "Shaky, pale or confused: give glucose tablets and let them sit out.",
            }
        ],
        "medications": [
            {"name": "Glucose tablets", "dose": "15 g", "schedule": "as_needed", "location": "teacher"},
            {"name": "Insulin pump", "schedule": "daily", "location": "student"},
        ],
    },
    {
        "pe_instructions": "Return-to-play protocol: no contact, no headers, stop at any symptom.",
        "conditions": [
            {
                "kind": "concussion",
                "name": "Concussion (soccer)",
                "severity": "moderate",
                "occurred_days_ago": 10,
                "pe_instructions": "Report headache, dizziness or nausea at once.",
            }
        ],
        "restrictions": [
            {
                "kind": "no_contact",
                "reason": "Concussion return-to-play",
                "start_days": -10,
                "end_days": 21,
                "documented_by": "Doctor's note",
            }
        ],
    },
    {
        "pe_instructions": "No climbing above head height; a buddy in the pool.",
        "conditions": [
            {
                "kind": "epilepsy",
                "name": "Epilepsy",
                "severity": "severe",
                "pe_instructions": "Seizure: time it, protect the head, recovery position; call 911 after 5 minutes.",
            }
        ],
        "medications": [
            {"name": "Rescue midazolam", "dose": "10 mg buccal", "schedule": "emergency", "location": "nurse"}
        ],
    },
]


def _apply(student, spec: dict, today: datetime.date, contacts: list[dict]) -> None:
    profile, _created = MedicalProfile.objects.update_or_create(
        student=student, defaults={"pe_instructions": spec["pe_instructions"], "reviewed_on": None}
    )
    for item in spec.get("conditions", []):
        values = {k: v for k, v in item.items() if k not in ("kind", "occurred_days_ago")}
        if "occurred_days_ago" in item:
            values["occurred_on"] = today - datetime.timedelta(days=item["occurred_days_ago"])
        MedicalCondition.objects.update_or_create(profile=profile, kind=item["kind"], defaults=values)
    for item in spec.get("medications", []):
        values = {k: v for k, v in item.items() if k != "name"}
        Medication.objects.update_or_create(profile=profile, name=item["name"], defaults=values)
    for item in spec.get("restrictions", []):
        ActivityRestriction.objects.update_or_create(
            profile=profile,
            kind=item["kind"],
            defaults={
                "reason": item["reason"],
                "documented_by": item["documented_by"],
                "start_date": today + datetime.timedelta(days=item["start_days"]),
                "end_date": today + datetime.timedelta(days=item["end_days"]),
            },
        )
    for priority, contact in enumerate(contacts, start=1):
        EmergencyContact.objects.update_or_create(profile=profile, priority=priority, defaults=contact)


def _contacts(student, index: int) -> list[dict]:
    return [
        {"name": f"Alex {student.last_name}", "relationship": "Parent", "phone": f"+1 555 01{index % 100:02d}"},
        {"name": f"Sam {student.last_name}", "relationship": "Parent", "phone": f"+1 555 02{index % 100:02d}"},
    ]


def _family(school, today) -> set[int]:
    guardian = User.objects.filter(email=f"guardian@{school.slug}.demo").first()
    if guardian is None:
        return set()
    links = list(
        Guardianship.objects.filter(guardian=guardian, student__school=school)
        .select_related("student")
        .order_by("student__external_id", "pk")
    )
    if not links:
        return set()
    child = links[0].student
    contacts = [
        {"name": links[0].name, "relationship": links[0].get_relationship_display(), "phone": links[0].phone or ""},
        {"name": f"Sam {child.last_name}", "relationship": "Grandparent", "phone": "+1 555 0199"},
    ]
    contacts[0]["phone"] = contacts[0]["phone"] or "+1 555 0100"
    _apply(child, PROFILES[0], today, contacts)
    return {link.student_id for link in links}


@transaction.atomic
def seed(context) -> None:
    today = timezone.localdate()
    for school in (context.get("schools") or {}).values():
        done = _family(school, today)
        classes = base_only(PEClass.objects.filter(school=school, is_active=True)).order_by("pk")
        for class_index, pe_class in enumerate(classes):
            enrolled = (
                Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE)
                .exclude(student_id__in=done)
                .select_related("student")
                .order_by("student__external_id", "pk")[:PER_CLASS]
            )
            for offset, enrollment in enumerate(enrolled):
                number = class_index * PER_CLASS + offset
                _apply(
                    enrollment.student, PROFILES[number % len(PROFILES)], today, _contacts(enrollment.student, number)
                )
                done.add(enrollment.student_id)

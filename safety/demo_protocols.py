"""Demo data: per school five safety protocols (gymnastics apparatus, aquatics, striking/fielding
games, fitness room and weights, outdoor heat) with their checks and ratios — one overdue for
review — and six emergency procedures (fire, medical emergency, severe weather/lightning, lockdown,
heat illness, concussion) with steps, contacts, AED locations and a drill log; the lockdown drill
is overdue. The texts are the project's own plain-language examples, not any authority's wording;
schools replace them with their own. Idempotent: rows are keyed by (school, title), steps are
rewritten in place and drills are keyed by (procedure, date)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from physed.models import EquipmentType
from safety.models import Drill, EmergencyProcedure, EmergencyStep, ProtocolSignOff, SafetyProtocol
from safety.services.protocols import refresh_drill_dates

# (title, category, space, ratio, review interval, reviewed days ago, equipment slugs, notes,
#  requirements, checks)
PROTOCOLS = [
    (
        "Gymnastics apparatus",
        "gymnastics",
        "gym",
        16,
        365,
        60,
        ["gym-mat", "crash-mat"],
        "",
        "Apparatus work only with a PE teacher in the gym. Every landing area matted; students spot only "
        "after they have been taught how. No inverted skills without the teacher at the station.",
        [
            "Mats cover every landing area with no gaps between them",
            "Beam, vaulting box and bench legs locked and stable",
            "Floor around the apparatus clear of bags and balls",
            "Jewellery removed, long hair tied back",
            "Warm-up done before apparatus work",
        ],
    ),
    (
        "Aquatics",
        "aquatics",
        "pool",
        12,
        365,
        30,
        ["kickboard", "pool-noodle"],
        "Rescue tube and reaching pole on the deck",
        "A lifeguard on duty in addition to the teacher. Swimming ability checked before deep-water "
        "activities; weaker swimmers stay in the shallow end with a buddy.",
        [
            "Lifeguard on the deck and named for the lesson",
            "Head count taken before entering and after leaving the water",
            "Deep end marked and rope in place",
            "Rescue equipment and phone at the poolside",
            "Pool deck dry near the entry points",
        ],
    ),
    (
        "Field games and striking activities",
        "striking_fielding",
        "field",
        30,
        365,
        400,  # overdue for review
        ["batting-tee", "softball-bat"],
        "Batting helmets for live pitching",
        "Batting and waiting areas separated by at least two bat lengths; only the batter holds a bat. "
        "Fielders stay out of the batting box.",
        [
            "Field walked for holes, glass and sprinkler heads",
            "Batting area and waiting line marked with cones",
            "Bats and balls checked for cracks",
            "Only soft balls for beginners",
        ],
    ),
    (
        "Fitness room and weights",
        "fitness",
        "gym",
        15,
        180,
        20,
        ["dumbbells", "kettlebell"],
        "Closed-toe shoes",
        "Students lift only after a technique lesson. Free weights go back on the rack after each set; "
        "spotters for any barbell pressing.",
        [
            "Machines and racks inspected: pins, cables, collars",
            "Free weights on racks, floor clear",
            "Spotter assigned for each bench station",
            "Emergency stop and first-aid kit location shown to the class",
        ],
    ),
    (
        "Outdoor activity in heat",
        "",
        "field",
        None,
        365,
        100,
        [],
        "Sun hats and sunscreen encouraged",
        "Check the environment status before going out. Water available at all times; extra rest breaks "
        "and shade when the heat rules call for them. Students with heat-related conditions are watched closely.",
        [
            "Environment status checked and recorded",
            "Water bottles filled, water station set up",
            "Shade location agreed with the class",
            "Students with asthma or heat sensitivity identified",
        ],
    ),
]

# (kind, title, location, interval, drilled days ago (list), steps [(role, instruction)], aed, first aid)
PROCEDURES = [
    (
        "fire",
        "Fire evacuation from the gym",
        "Gym and changing rooms",
        90,
        [150, 60],
        [
            ("Teacher in charge", "Stop the activity and tell students to leave their things."),
            ("Teacher in charge", "Lead the class out through the nearest safe exit, not the changing rooms."),
            ("Assistant", "Check the changing rooms and toilets on the way out."),
            ("Teacher in charge", "Take the register at the assembly point on the far side of the field."),
            ("Teacher in charge", "Report anyone missing to the fire warden at once."),
        ],
    ),
    (
        "medical",
        "Medical emergency during PE",
        "",
        180,
        [90],
        [
            ("Teacher in charge", "Keep the student still and stay with them; send two students for help."),
            ("First aider", "Assess breathing and responsiveness; start CPR if needed."),
            ("Office", "Call emergency services and send someone to meet them at the entrance."),
            ("Assistant", "Bring the AED and the first-aid kit."),
            ("Teacher in charge", "Move the rest of the class away and keep them supervised."),
            ("Department head", "Contact the guardian and record the incident report the same day."),
        ],
    ),
    (
        "severe_weather",
        "Lightning and severe weather on the field",
        "Playing fields",
        365,
        [200],
        [
            ("Teacher in charge", "At the first thunder or lightning, stop the activity."),
            ("Teacher in charge", "Walk everyone into the main building; do not shelter under trees or in dugouts."),
            ("Assistant", "Collect equipment only if it is safe and quick."),
            ("Teacher in charge", "Wait 30 minutes after the last thunder before going back out."),
        ],
    ),
    (
        "lockdown",
        "Lockdown in the gym",
        "Gym",
        120,
        [300],  # overdue: last drill longer ago than the interval
        [
            ("Teacher in charge", "Bring every student inside the gym and lock the doors."),
            ("Assistant", "Close blinds, switch off the lights and keep everyone away from doors and windows."),
            ("Teacher in charge", "Take a silent register; keep phones on silent."),
            ("Teacher in charge", "Wait for the all-clear from the office or the police; do not open the door."),
        ],
    ),
    (
        "heat_illness",
        "Heat illness",
        "",
        365,
        [120],
        [
            ("Teacher in charge", "Stop the student's activity and move them to shade or indoors."),
            ("First aider", "Cool them: remove extra clothing, wet towels, fan; give water if they are alert."),
            ("Office", "Call emergency services if they are confused, vomit or collapse."),
            ("Teacher in charge", "Stay with the student until they recover or help arrives."),
            ("Department head", "Tell the guardian and record the incident."),
        ],
    ),
    (
        "concussion",
        "Suspected concussion",
        "",
        365,
        [45],
        [
            ("Teacher in charge", "Remove the student from the activity at once: when in doubt, sit them out."),
            ("First aider", "Check for red flags (worsening headache, repeated vomiting, confusion, seizure)."),
            ("Office", "Call emergency services for any red flag or loss of consciousness."),
            ("Teacher in charge", "Do not let the student return to play that day."),
            ("Department head", "Tell the guardian and give them the return-to-learn guidance."),
        ],
    ),
]

CONTACTS = [
    {"name": "Emergency services", "role": "Ambulance, fire, police", "phone": "911"},
    {"name": "Front office", "role": "Main office", "phone": "555-0100"},
    {"name": "School nurse", "role": "First aid", "phone": "555-0101"},
]
AED = "Gym lobby next to the water fountain; main office"
FIRST_AID = "PE office; pool deck cabinet; field storage shed"


def _person(email: str):
    return User.objects.filter(email=email).first()


@transaction.atomic
def _seed_school(school, today: datetime.date) -> None:
    head = _person(f"head@{school.slug}.demo")
    teacher = _person(f"teacher@{school.slug}.demo")
    staff = [user for user in (head, teacher, _person(f"assistant@{school.slug}.demo")) if user]
    kinds = EquipmentType.objects.in_bulk(field_name="slug")
    for index, (title, category, space, ratio, interval, reviewed_ago, slugs, notes, requirements, checks) in enumerate(
        PROTOCOLS
    ):
        reviewed = today - datetime.timedelta(days=reviewed_ago)
        protocol, _created = SafetyProtocol.objects.update_or_create(
            school=school,
            title=title,
            defaults={
                "activity_category": category,
                "space": space,
                "supervision_ratio": ratio,
                "review_interval_days": interval,
                "last_reviewed_on": reviewed,
                "protective_equipment_notes": notes,
                "requirements": requirements,
                "pre_activity_checks": checks,
                "owner": head if index % 2 == 0 else teacher,
            },
        )
        protocol.protective_equipment.set([kinds[slug] for slug in slugs if slug in kinds])
        ProtocolSignOff.objects.get_or_create(
            protocol=protocol,
            signed_on=reviewed,
            defaults={"signed_by": head, "note": "Checked against current practice."},
        )
    for kind, title, location, interval, drilled, steps in PROCEDURES:
        procedure, _created = EmergencyProcedure.objects.update_or_create(
            school=school,
            title=title,
            defaults={
                "kind": kind,
                "location": location,
                "drill_interval_days": interval,
                "contacts": CONTACTS,
                "aed_locations": AED,
                "first_aid_locations": FIRST_AID,
            },
        )
        for order, (role, text) in enumerate(steps, start=1):
            EmergencyStep.objects.update_or_create(
                procedure=procedure, order=order, defaults={"role": role, "instruction": text}
            )
        procedure.steps.filter(order__gt=len(steps)).delete()
        for days_ago in drilled:
            drill, created = Drill.objects.get_or_create(
                procedure=procedure,
                held_on=today - datetime.timedelta(days=days_ago),
                defaults={
                    "duration_minutes": 12,
                    "participant_count": 28,
                    "notes": "Everyone out within the target time; remind students to leave bags behind.",
                    "recorded_by": teacher,
                },
            )
            if created:
                drill.participants.set(staff)
        refresh_drill_dates(procedure)


def seed(context) -> None:
    today = timezone.localdate()
    for school in context["schools"].values():
        _seed_school(school, today)

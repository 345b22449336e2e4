"""Factories: monitoring and risk scoring (registered with tests.registry for the walkers)."""

import math

import factory

from physed.tests.factories_sessions import ClassSessionFactory
from safety.models import AlertLevel, RiskModel, SafetyAlert
from tests.registry import register_scoped_factory

__all__ = ["HEAT_ACTIONS", "RiskModelFactory", "SafetyAlertFactory", "heat_index_rules", "hot_afternoon"]


class SafetyAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyAlert

    session = factory.SubFactory(ClassSessionFactory)
    key = factory.Sequence(lambda n: f"test:{n}")
    kind = "environment"
    level = AlertLevel.WARNING
    message = "Environment: modify the lesson. Water break every 15 minutes."


class RiskModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskModel

    school = factory.SubFactory("accounts.tests.factories.SchoolFactory")
    method = "prior"
    coefficients = factory.LazyFunction(lambda: {"intercept": math.log(0.001), "activity": math.log(1.5)})
    standard_errors = factory.LazyFunction(lambda: {"intercept": 2.0, "activity": 0.5})


def _alert_in(school):
    return SafetyAlertFactory(session=ClassSessionFactory(pe_class__school=school))


register_scoped_factory(SafetyAlert, _alert_in)
register_scoped_factory(RiskModel, lambda school: RiskModelFactory(school=school))


# ---- the acceptance scenario: a hot afternoon on the field ---------------------------------

HEAT_ACTIONS = [
    "Water break every 15 minutes",
    "Reduce intensity: no continuous running",
    "Rest in the shade",
]


def heat_index_rules() -> dict:
    """A heat-index rule set (°F bands as US district guidance prints them)."""
    return {
        "heat_index_f": {
            "precision": 0,
            "source": "Test district heat guidance",
            "bands": [
                {"min": None, "max": 90, "decision": "go", "label": "under 91", "actions": []},
                {"min": 91, "max": 103, "decision": "modify", "label": "91-103", "actions": HEAT_ACTIONS},
                {"min": 104, "max": None, "decision": "indoors", "label": "104+", "actions": ["Move indoors"]},
            ],
        }
    }


def hot_afternoon(school, teacher, *, now=None, reading=True):
    """An outdoor field class running today with a teacher, a planned invasion game, three
    enrolled students (two present), one with asthma and "Inhaler before PE", and a reading of
    33 °C / 55 % RH (heat index about 100 °F) under a heat-index rule set. Returns a dict."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from physed.models import (
        AttendanceRecord,
        AttendanceStatus,
        ClassSession,
        Enrollment,
        PEClass,
        SessionBlock,
        SessionStatus,
    )
    from physed.tests.factories_library import ActivityFactory
    from physed.tests.factories_roster import StudentFactory
    from safety.models import (
        EnvironmentReading,
        EnvironmentRuleSet,
        MedicalCondition,
        MedicalProfile,
        Medication,
        SafetySettings,
    )

    now = now or timezone.now()
    today = timezone.localdate(now)
    rules = EnvironmentRuleSet.objects.create(
        school=school, code="heat-index-test", name="Heat index (test district)", rules=heat_index_rules()
    )
    SafetySettings.objects.update_or_create(school=school, defaults={"rule_set": rules})
    pe_class = PEClass.objects.create(
        school=school, name="PE 8 Field", school_year=2026, grade_from=8, grade_to=8, space="field"
    )
    pe_class.teachers.add(teacher)
    session = ClassSession.objects.create(
        pe_class=pe_class,
        date=today,
        start_time=datetime.time(14, 0),
        title="Ultimate on the field",
        status=SessionStatus.IN_PROGRESS,
        started_at=now,
    )
    game = ActivityFactory(
        school=school, name="Ultimate frisbee", category="invasion", space="field", risk_level=3, intensity="vigorous"
    )
    SessionBlock.objects.create(session=session, order=1, activity=game, planned_minutes=40)
    maya = StudentFactory(school=school, first_name="Maya", last_name="Ortiz", grade=8)
    leo = StudentFactory(school=school, first_name="Leo", last_name="Park", grade=8)
    away = StudentFactory(school=school, first_name="Ines", last_name="Absent", grade=8)
    for student in (maya, leo, away):
        Enrollment.objects.create(pe_class=pe_class, student=student, start_date=today - datetime.timedelta(days=30))
    AttendanceRecord.objects.create(session=session, student=maya, status=AttendanceStatus.PRESENT)
    AttendanceRecord.objects.create(session=session, student=leo, status=AttendanceStatus.LATE)
    AttendanceRecord.objects.create(session=session, student=away, status=AttendanceStatus.ABSENT)
    profile = MedicalProfile.objects.create(student=maya, pe_instructions="Inhaler before PE")
    MedicalCondition.objects.create(profile=profile, kind="asthma", name="Exercise-induced asthma", severity="moderate")
    Medication.objects.create(profile=profile, name="Salbutamol inhaler", schedule="before_pe", location="student")
    found = None
    if reading:
        found = EnvironmentReading.objects.create(
            school=school,
            recorded_at=now - datetime.timedelta(minutes=5),
            space="field",
            temperature_c=Decimal("33.0"),
            relative_humidity=Decimal("55.0"),
        )
    return {
        "session": session,
        "pe_class": pe_class,
        "activity": game,
        "maya": maya,
        "leo": leo,
        "away": away,
        "rules": rules,
        "reading": found,
    }

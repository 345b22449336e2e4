"""The provider hooks the safety and assessments issues will plug into."""

import datetime

import pytest

from physed.engines.adaptation import EnvironmentAlert
from physed.engines.recommendation import Gap
from physed.models import AdaptationProposal, SessionStatus
from physed.selectors import adaptation_providers as providers
from physed.selectors.recommendation import Filters, recommend_for_class
from physed.services.adaptation import refresh_proposals
from physed.tests.factories import (
    ActivityFactory,
    ClassSessionFactory,
    EnrollmentFactory,
    PEClassFactory,
    SessionBlockFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    names = []

    def add(kind, name, fn):
        getattr(providers, f"register_{kind}_provider")(name, fn)
        names.append(name)

    yield add
    for name in names:
        providers.unregister(name)


def test_safety_restrictions_and_environment_alerts_reach_the_engine(school, registered):
    pe_class = PEClassFactory(school=school)
    enrollment = EnrollmentFactory(pe_class=pe_class)
    session = ClassSessionFactory(pe_class=pe_class, date=datetime.date(2026, 7, 1), status=SessionStatus.IN_PROGRESS)
    soccer = ActivityFactory(school=school, contact_level="contact", space="field")
    block = SessionBlockFactory(session=session, order=1, activity=soccer)
    seen = {}

    def medical(students, on_date):
        seen["date"] = on_date
        return {s.pk: ["no_contact"] for s in students}

    registered("restriction", "test-safety", medical)
    registered(
        "environment", "test-heat", lambda school, on_date, space: [EnvironmentAlert("heat", 2, "Heat index 96")]
    )
    assert refresh_proposals(session=session) == block
    assert seen["date"] == session.date
    rows = {(p.student_id, p.kind, p.required) for p in AdaptationProposal.objects.all()}
    assert (enrollment.student_id, "rules", True) in rows
    assert (None, "intensity", True) in rows


def test_a_gap_provider_plugs_in_and_the_largest_gap_wins(school, registered):
    pe_class = PEClassFactory(school=school)
    for _ in range(3):
        EnrollmentFactory(pe_class=pe_class)
    ActivityFactory(school=school, name="Yoga", fitness_components=["flexibility"])
    ActivityFactory(school=school, name="Run", fitness_components=["aerobic"])
    registered(
        "gap", "test-hfz", lambda students, school, as_of: {"flexibility": Gap("flexibility", 0.9, 0.95, 3, "hfz")}
    )
    registered(
        "gap", "test-low", lambda students, school, as_of: {"flexibility": Gap("flexibility", 0.1, 0.55, 3, "x")}
    )
    ranking = recommend_for_class(pe_class, Filters(limit=2))
    assert ranking.context.gaps["flexibility"].source == "hfz"
    assert ranking.recommendations[0].activity.name == "Yoga"

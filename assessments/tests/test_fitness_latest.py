"""The stored "newest result" flags: kept by the fitness services as results are added, removed and
re-dated, and the school analytics read from them give the same numbers as ranking every row."""

import datetime

import pytest

from assessments.models import FitnessResult, TestEvent
from assessments.selectors.analytics import Filters, analytics
from assessments.services import fitness as services
from assessments.tests.factories_fitness import fitness_event

pytestmark = pytest.mark.django_db


def _flags(student, code):
    return {
        (row.event.window, row.event.date): (row.is_latest, row.is_latest_in_window)
        for row in FitnessResult.objects.filter(student=student, test__code=code).select_related("event")
    }


@pytest.fixture
def two_windows(school, teacher):
    fall, (girl, _boy), tests = fitness_event(school, date=datetime.date(2026, 9, 10))
    spring = TestEvent.objects.create(
        pe_class=fall.pe_class, name="Spring", window="Spring", date=datetime.date(2027, 3, 10)
    )
    spring.tests.set([tests["pacer_20m"], tests["curl_up"]])
    for event, laps in ((fall, 20), (spring, 31)):
        services.record_fitness_results(
            actor=teacher,
            event=event,
            entries=[{"student": girl, "test": tests["pacer_20m"], "value": laps}],
        )
    return fall, spring, girl, tests


def test_newest_result_is_flagged_overall_and_per_window(two_windows):
    fall, spring, girl, _tests = two_windows
    assert _flags(girl, "pacer_20m") == {
        ("Fall", fall.date): (False, True),
        ("Spring", spring.date): (True, True),
    }


def test_removing_and_redating_move_the_flags(two_windows, teacher):
    fall, spring, girl, _tests = two_windows
    services.update_test_event(actor=teacher, event=spring, date=datetime.date(2026, 8, 30))
    assert _flags(girl, "pacer_20m")[("Fall", fall.date)] == (True, True)
    assert _flags(girl, "pacer_20m")[("Spring", datetime.date(2026, 8, 30))] == (False, True)
    services.delete_fitness_result(actor=teacher, result=FitnessResult.objects.get(student=girl, event=fall))
    assert _flags(girl, "pacer_20m") == {("Spring", datetime.date(2026, 8, 30)): (True, True)}


def test_school_figures_from_the_flags_equal_the_ranked_figures(two_windows, school):
    fall, _spring, _girl, _tests = two_windows
    stored = analytics(school=school, filters=Filters())
    ranked = analytics(school=school, filters=Filters(start=datetime.date(2000, 1, 1)))  # a filter → ranking
    assert stored["hfz"] == ranked["hfz"]
    assert stored["prepost"]["tests"] == ranked["prepost"]["tests"]
    assert stored["prepost"]["tests"][0]["mean_change"] == 11.0
    assert stored["distribution"] == ranked["distribution"]
    by_class = analytics(pe_class=fall.pe_class, filters=Filters())
    assert by_class["hfz"] == stored["hfz"]

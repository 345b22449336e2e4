"""The walkers must fail on a broken endpoint, or a green matrix would prove nothing."""

import pytest
from django.test import override_settings

from tests.walkers import matrix_problems, query_count_problems

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="tests.broken_api")
def test_matrix_reports_cross_school_leaks(school, other_school):
    problems = matrix_problems(school, other_school, urlconf="tests.broken_api")
    joined = "\n".join(problems)
    assert "GET /api/v1/leaky-memberships/: list leaks rows of another school" in problems
    assert "GET /api/v1/leaky-memberships/{pk}/: other school's object answered 200, expected 404" in problems
    assert "DELETE /api/v1/leaky-memberships/{pk}/: other school's object was deleted" in joined


@override_settings(ROOT_URLCONF="tests.broken_api")
def test_query_walker_reports_n_plus_one(school):
    problems = query_count_problems(school, urlconf="tests.broken_api")
    assert len(problems) == 1
    assert problems[0].startswith("GET /api/v1/leaky-memberships/:")
    assert "at page_size=10 but" in problems[0]

"""Every API route through the permission matrix and the query-count check (DESIGN.md §9)."""

from pathlib import Path

import pytest

from tests.walkers import api_routes, list_query_counts, matrix_problems, pinned_counts, query_count_problems

PINNED = Path(__file__).with_name("query_counts.json")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_activity_flush_mid_walk(settings):
    """Every ACTIVITY_BUFFER_MAX_EVENTS-th request flushes the activity buffer (a few extra
    queries); over a walk of hundreds of requests that would land in some measured request
    depending only on how many routes came before it."""
    settings.ACTIVITY_BUFFER_MAX_EVENTS = 10**9


def test_walker_finds_the_api_routes():
    found = {(route.path, route.method) for route in api_routes()}
    for expected in [
        ("/api/v1/auth/token/", "POST"),
        ("/api/v1/me/", "GET"),
        ("/api/v1/me/", "PATCH"),
        ("/api/v1/schools/", "GET"),
        ("/api/v1/schools/{pk}/", "PATCH"),
        ("/api/v1/memberships/{pk}/", "GET"),
    ]:
        assert expected in found


def test_permission_matrix_over_every_route(school, other_school):
    assert matrix_problems(school, other_school) == []


def test_list_query_counts_do_not_grow_with_page_size(school):
    assert query_count_problems(school) == []


def test_list_query_counts_match_the_pinned_file(school):
    measured = list_query_counts(school)
    pinned = pinned_counts(PINNED, measured)
    assert measured == pinned, "query counts changed: review, then run with UPDATE_QUERY_COUNTS=1 to re-pin"

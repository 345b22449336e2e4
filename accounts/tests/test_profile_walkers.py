"""The API walkers over the profile routes alone (the full-suite walkers cover them too)."""

import sys
import types

import pytest
from django.urls import include, path

from tests.walkers import api_routes, matrix_problems, query_count_problems

pytestmark = pytest.mark.django_db

_urlconf = types.ModuleType("accounts_tests_profile_urlconf")
_urlconf.urlpatterns = [path("api/v1/", include("accounts.api.profile_urls"))]
sys.modules[_urlconf.__name__] = _urlconf
URLCONF = _urlconf.__name__


def test_the_profile_routes_are_found():
    found = {(route.path, route.method) for route in api_routes(URLCONF)}
    assert {
        ("/api/v1/users/", "GET"),
        ("/api/v1/users/{pk}/", "GET"),
        ("/api/v1/users/{pk}/", "PATCH"),
        ("/api/v1/users/{pk}/deactivate/", "POST"),
        ("/api/v1/users/{pk}/verify-staff/", "POST"),
        ("/api/v1/users/{pk}/avatar/{size}/", "GET"),
        ("/api/v1/me/avatar/", "PUT"),
        ("/api/v1/me/avatar/", "DELETE"),
    } <= found


def test_permission_matrix_over_the_profile_routes(school, other_school):
    assert matrix_problems(school, other_school, urlconf=URLCONF) == []


def test_user_list_query_count_does_not_grow(school):
    assert query_count_problems(school, urlconf=URLCONF) == []

"""Fixtures shared by every app's tests: two schools and a user per role in each."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from tests.registry import load_all_factories

load_all_factories()


@pytest.fixture(autouse=True)
def _clear_cache():
    from accounts.services.rbac import flush_local_decisions

    flush_local_decisions()  # decision counts a previous test left in this process
    cache.clear()
    yield
    flush_local_decisions()
    cache.clear()


@pytest.fixture
def school(db):
    return SchoolFactory(slug="northside", name="Northside Middle School")


@pytest.fixture
def other_school(db):
    return SchoolFactory(slug="southside", name="Southside High School")


@pytest.fixture
def member(db):
    """make a user with a role in a school: ``member(school, Role.TEACHER)``."""
    return make_member


def _role_fixture(role):
    @pytest.fixture
    def _fixture(school):
        return make_member(school, role, email=f"{role}@northside.test")

    return _fixture


school_admin = _role_fixture(Role.SCHOOL_ADMIN)
department_head = _role_fixture(Role.DEPARTMENT_HEAD)
teacher = _role_fixture(Role.TEACHER)
assistant = _role_fixture(Role.ASSISTANT)
student = _role_fixture(Role.STUDENT)
guardian = _role_fixture(Role.GUARDIAN)


@pytest.fixture
def other_teacher(other_school):
    return make_member(other_school, Role.TEACHER, email="teacher@southside.test")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for():
    """An APIClient authenticated with a real JWT access token for ``user``."""

    def _make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
        return client

    return _make

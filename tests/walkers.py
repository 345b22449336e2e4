"""Walkers over every API route, found from the URL conf (drf-spectacular's endpoint enumerator),
never from a hand-made list. Each returns a list of problems (strings); the suite asserts it is
empty, and ``test_walkers_catch_broken`` proves they report a deliberately broken endpoint.

* ``matrix_problems``: anonymous → 401 (except declared public routes); a user of another school
  → 404 on every object URL, for every method; a same-school user whose role lacks the permission
  → 403; list endpoints never return the other school's rows.
* owner-only models (registered with ``register_owned_factory``: memories, conversations, …):
  another member's row — even for a school admin of the same school — is 404 on every object URL,
  for every method, and never listed; the viewer's own rows are.
* ``query_count_problems``: every list endpoint issues the same number of queries at page_size 10
  and 100 (over the viewer's own rows for owner-only models).
"""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.api.base import ScopedViewSetMixin, required_permission
from accounts.models import Role
from accounts.roles import ROLE_PERMISSIONS
from accounts.tests.factories import make_member
from tests.registry import is_owned, make_in_school, make_owned

# Routes that anonymous users may call on purpose. Anything else must answer 401.
PUBLIC_ROUTES = {
    ("/api/v1/auth/register/", "POST"),
    ("/api/v1/auth/token/", "POST"),
    ("/api/v1/auth/token/refresh/", "POST"),
    ("/api/v1/auth/verify-email/", "POST"),
    ("/api/v1/auth/verify-email/resend/", "POST"),
    ("/api/v1/auth/password-reset/", "POST"),
    ("/api/v1/auth/password-reset/confirm/", "POST"),
}

_PARAM = re.compile(r"{(\w+)}")


@dataclass
class Route:
    path: str  # e.g. /api/v1/schools/{id}/
    method: str
    view_class: type
    action: str | None

    @property
    def is_object(self) -> bool:
        return bool(_PARAM.search(self.path))

    @property
    def model(self):
        queryset = getattr(self.view_class, "queryset", None)
        return queryset.model if queryset is not None else None

    @property
    def is_scoped(self) -> bool:
        return issubclass(self.view_class, ScopedViewSetMixin) and self.model is not None

    def url_for(self, obj) -> str:
        lookup = getattr(self.view_class, "lookup_field", "pk")
        return _PARAM.sub(lambda m: str(getattr(obj, lookup)), self.path)

    def __str__(self):
        return f"{self.method} {self.path}"


def api_routes(urlconf=None) -> list[Route]:
    routes = []
    for path, _regex, method, callback in EndpointEnumerator(urlconf=urlconf).get_api_endpoints():
        if not path.startswith("/api/v1/"):
            continue
        actions = getattr(callback, "actions", None) or {}
        routes.append(Route(path, method.upper(), callback.cls, actions.get(method.lower())))
    return routes


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def _call(client, method, url):
    return getattr(client, method.lower())(url, data={} if method in ("POST", "PUT", "PATCH") else None, format="json")


def _has_error_shape(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and {"code", "message", "fields"} <= set(body.get("error", {}))


def _result_ids(response) -> set:
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    # ids as text: UUID keys come back as strings
    return {str(row.get("id")) for row in rows if isinstance(row, dict)}


def _all_result_ids(client, response) -> set:
    """Ids over every page of a list (the walk creates members and rows as it goes, so a list may
    have grown past one page)."""
    ids = _result_ids(response)
    body = response.json()
    pages = 0
    while isinstance(body, dict) and body.get("next") and pages < 50:
        response = client.get(body["next"])
        body = response.json()
        ids |= _result_ids(response)
        pages += 1
    return ids


class _FakeRequest:
    def __init__(self, method):
        self.method = method


def _permission_of(route: Route) -> str | None:
    view = route.view_class()
    view.action = route.action
    return required_permission(view, _FakeRequest(route.method))


def _role_lacking(perm: str) -> str | None:
    for role in (Role.GUARDIAN, Role.STUDENT, Role.ASSISTANT, Role.TEACHER, Role.DEPARTMENT_HEAD):
        if perm not in ROLE_PERMISSIONS[role]:
            return role
    return None


def matrix_problems(school, other_school, urlconf=None) -> list[str]:
    problems: list[str] = []
    insider = make_member(school, Role.SCHOOL_ADMIN)  # most senior role: 404s must come from scoping
    anonymous = _client()
    admin_client = _client(insider)
    for route in api_routes(urlconf):
        foreign = make_in_school(route.model, other_school) if route.is_scoped else None
        url = route.url_for(foreign) if (route.is_object and foreign is not None) else route.path
        if route.is_object and foreign is None:
            url = _PARAM.sub("1", route.path)

        if (route.path, route.method) not in PUBLIC_ROUTES:
            response = _call(anonymous, route.method, url)
            if response.status_code != 401 or not _has_error_shape(response):
                problems.append(f"{route}: anonymous got {response.status_code}, expected 401 in the error shape")

        if not route.is_scoped:
            if is_owned(route.model):
                problems += _owned_problems(route, school, insider, admin_client)
            continue

        if route.is_object:
            response = _call(admin_client, route.method, url)
            if response.status_code != 404 or not _has_error_shape(response):
                problems.append(f"{route}: other school's object answered {response.status_code}, expected 404")
            if route.method == "DELETE" and not route.model._default_manager.filter(pk=foreign.pk).exists():
                problems.append(f"{route}: other school's object was deleted")
        elif route.action == "list":
            own = make_in_school(route.model, school)
            response = _call(admin_client, "GET", route.path)
            if response.status_code != 200:
                problems.append(f"{route}: list answered {response.status_code} for a school admin")
            else:
                ids = _all_result_ids(admin_client, response)
                if str(foreign.pk) in ids:
                    problems.append(f"{route}: list leaks rows of another school")
                if str(own.pk) not in ids:
                    problems.append(f"{route}: list misses the user's own school's rows")

        perm = _permission_of(route)
        outsider_role = _role_lacking(perm) if perm else None
        if outsider_role:
            lacking = make_member(school, outsider_role)
            target = make_in_school(route.model, school)
            own_url = route.url_for(target) if route.is_object else route.path
            response = _call(_client(lacking), route.method, own_url)
            if response.status_code != 403 or not _has_error_shape(response):
                problems.append(f"{route}: {outsider_role} without {perm} got {response.status_code}, expected 403")
    return problems


def _owned_problems(route: Route, school, insider, admin_client) -> list[str]:
    """Owner-only model: another member's row is 404 for ``insider`` (a school admin of the same
    school) on object URLs, absent from lists; the insider's own row is listed."""
    problems: list[str] = []
    someone_else = make_member(school, Role.TEACHER)
    theirs = make_owned(route.model, school, someone_else)
    if route.is_object:
        response = _call(admin_client, route.method, route.url_for(theirs))
        if response.status_code != 404 or not _has_error_shape(response):
            problems.append(f"{route}: another member's own row answered {response.status_code}, expected 404")
        if route.method == "DELETE" and not route.model._default_manager.filter(pk=theirs.pk).exists():
            problems.append(f"{route}: another member's own row was deleted")
    elif route.action == "list":
        mine = make_owned(route.model, school, insider)
        response = _call(admin_client, "GET", route.path)
        if response.status_code != 200:
            problems.append(f"{route}: list answered {response.status_code} for its owner")
        else:
            ids = _all_result_ids(admin_client, response)
            if str(theirs.pk) in ids:
                problems.append(f"{route}: list leaks another member's own rows")
            if str(mine.pk) not in ids:
                problems.append(f"{route}: list misses the user's own rows")
    return problems


def _make_rows(route: Route, school, viewer):
    """A row a list of ``route`` shows to ``viewer``."""
    if is_owned(route.model):
        return make_owned(route.model, school, viewer)
    return make_in_school(route.model, school)


def list_routes(urlconf=None) -> list[Route]:
    return [r for r in api_routes(urlconf) if r.method == "GET" and not r.is_object and r.model is not None]


def query_count_problems(school, urlconf=None, rows: int = 30) -> list[str]:
    problems: list[str] = []
    viewer = make_member(school, Role.SCHOOL_ADMIN)
    client = _client(viewer)
    for route in list_routes(urlconf):
        for _ in range(rows):
            _make_rows(route, school, viewer)
        client.get(route.path, {"page_size": 10})  # warm the permission cache, as on any later request
        counts = {}
        for size in (10, 100):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(route.path, {"page_size": size})
            if response.status_code != 200:
                problems.append(f"{route}: answered {response.status_code} at page_size={size}")
            counts[size] = len(ctx.captured_queries)
        if counts[10] != counts[100]:
            problems.append(f"{route}: {counts[10]} queries at page_size=10 but {counts[100]} at page_size=100")
    return problems


def count_queries(client, path: str, data=None) -> tuple[int, int]:
    """(queries, status) of one GET of ``path``, after a first GET that warms per-process caches
    (content types, permission cache), as on any later request."""
    client.get(path, data)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, data)
    return len(ctx.captured_queries), response.status_code


def pinned_counts(pin_file: Path, measured: dict) -> dict:
    """The counts pinned in ``pin_file``; with ``UPDATE_QUERY_COUNTS=1`` first re-pins them to
    ``measured`` (review the diff of the file, then commit it)."""
    if os.environ.get("UPDATE_QUERY_COUNTS") == "1":
        pin_file.write_text(json.dumps(measured, indent=2, sort_keys=True) + "\n")
    return json.loads(pin_file.read_text())


def list_query_counts(school, urlconf=None, rows: int = 5) -> dict[str, int]:
    """{path: queries} for every list endpoint at page_size 10 — pinned in tests/query_counts.json."""
    viewer = make_member(school, Role.SCHOOL_ADMIN)
    client = _client(viewer)
    result = {}
    for route in list_routes(urlconf):
        for _ in range(rows):
            _make_rows(route, school, viewer)
        result[route.path], _status = count_queries(client, route.path, {"page_size": 10})
    return result

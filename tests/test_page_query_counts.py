"""Query budgets of the main pages (issue 10 §2, docs/query-budgets.md).

One school built with the factories (the seeded demo takes minutes); every page in the
navigation (for each role that sees it) and the list and detail pages of the main objects are
measured, pinned by ``url-name role`` in
tests/page_query_counts.json (re-pin with ``UPDATE_QUERY_COUNTS=1``), then measured again after
more rows of every listed object (and more children of every measured object) were added: a page
whose count grows with the rows is an N+1 and fails, named.

Also: every list endpoint of the API router has a budget in tests/query_counts.json.
"""

from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from accounts.context_processors import NAV_ITEMS, _shown
from accounts.models import CustomRole, Membership
from accounts.selectors import school_roles_for
from assessments.models import ProgressReport, TestEvent
from assistant.models import Conversation
from content.models import ContentItem
from memory.models import Memory
from physed.models import Activity, ClassSession, PEClass, Student
from physed.tests.factories_roster import EnrollmentFactory
from progress.models import Goal
from safety.models import EquipmentItem, Incident, RiskAssessment
from tests.registry import make_in_school, make_owned
from tests.walkers import api_routes, count_queries, pinned_counts

PINNED = Path(__file__).with_name("page_query_counts.json")
API_PINNED = Path(__file__).with_name("query_counts.json")
pytestmark = pytest.mark.django_db  # also makes pytest-django set up the test database for the module fixture
ROLE_OF = {
    "schooladmin": "school_admin",
    "head": "department_head",
    "teacher": "teacher",
    "assistant": "assistant",
    "student": "student",
    "guardian": "guardian",
}
ROLES = tuple(ROLE_OF)
FEW_ROWS, EXTRA_ROWS = 2, 4  # 2 of every listed model, then 4 more before the second measurement

# list pages of the main objects that are not themselves navigation items
LIST_PAGES = [
    "exercise-list",
    "safety-incidents",
    "safety-assessment-list",
    "safety-equipment-list",
    "assessments-event-list",
    "progress-goal-list",
    "assistant-personas",
]
# (url name, keyword, model, the object's attribute the URL takes)
DETAIL_PAGES = [
    ("class-detail", "pk", PEClass, "pk"),
    ("class-sessions", "class_pk", PEClass, "pk"),
    ("progress-class", "pk", PEClass, "pk"),
    ("assessments-class-reports", "pk", PEClass, "pk"),
    ("student-detail", "pk", Student, "pk"),
    ("progress-student", "pk", Student, "pk"),
    ("session-detail", "pk", ClassSession, "pk"),
    ("activity-detail", "pk", Activity, "pk"),
    ("safety-incident-detail", "pk", Incident, "pk"),
    ("safety-assessment-detail", "pk", RiskAssessment, "pk"),
    ("safety-equipment-detail", "pk", EquipmentItem, "pk"),
    ("assessments-event-detail", "pk", TestEvent, "pk"),
    ("assessments-report-detail", "pk", ProgressReport, "pk"),
    ("assessments-my-report", "pk", ProgressReport, "pk"),
    ("progress-goal-detail", "pk", Goal, "pk"),
    ("content-item-detail", "pk", ContentItem, "pk"),
    ("assistant-conversation", "pk", Conversation, "pk"),
    ("membership-edit", "pk", Membership, "pk"),
    ("role-edit", "pk", CustomRole, "pk"),
    ("directory-member", "user_id", Membership, "user_id"),
]
# models whose rows the list pages show: EXTRA_ROWS more of each before the second measurement
LISTED_MODELS = [PEClass, Student, ClassSession, Activity, Incident, RiskAssessment, EquipmentItem]
LISTED_MODELS += [TestEvent, ProgressReport, Goal, ContentItem, Membership]
OWNED_MODELS = [Memory, Conversation]  # only their owner lists them
CANDIDATES = 4  # objects tried, in pk order, to find one the role may open
# list actions under a parent object's URL: the walkers' list_routes() skips routes with a path
# parameter, so these have no budget yet (reported in docs/query-budgets.md)
NESTED_LISTS_NOT_YET_PINNED = {"/api/v1/content/items/{item_id}/versions/"}


def _world():
    """A school with a member of every role and FEW_ROWS of every listed model (factories: the
    seeded demo takes minutes to build)."""
    from accounts.tests.factories import SchoolFactory, make_member

    school = SchoolFactory(slug="budget", name="Budget School")
    users = {local: make_member(school, role) for local, role in ROLE_OF.items()}
    _add_rows(school, users, FEW_ROWS)
    return school, users


def _nav_pages(user, school) -> list[str]:
    roles = school_roles_for(user).get(school.pk, frozenset())
    names = [name for _label, name, perm, _group in NAV_ITEMS if _shown(user, perm, school, roles)]
    return list(dict.fromkeys(names))


def _pages_for(client, user, school) -> dict[str, str]:
    """{'url-name' or 'url-name:attr', path} of the main pages ``user`` may open."""
    pages = {name: reverse(name) for name in _nav_pages(user, school)}
    for name in LIST_PAGES:
        if client.get(reverse(name)).status_code == 200:
            pages[name] = reverse(name)
    for name, kwarg, model, attr in DETAIL_PAGES:
        rows = model._default_manager.visible_to(user).order_by("pk")[:CANDIDATES]
        for row in rows:
            path = reverse(name, kwargs={kwarg: getattr(row, attr)})
            if client.get(path).status_code == 200:
                pages[name] = path
                break
    return pages


def _measure(pages: dict, clients: dict) -> tuple[dict[str, int], list[str]]:
    counts, problems = {}, []
    for role, role_pages in pages.items():
        for name, path in role_pages.items():
            queries, status = count_queries(clients[role], path)
            if status != 200:
                problems.append(f"{name} as {role}: {path} answered {status}")
            counts[f"{name} {role}"] = queries
    return counts, problems


def _add_rows(school, users, count) -> None:
    for model in LISTED_MODELS:
        for _ in range(count):
            make_in_school(model, school)
    for model in OWNED_MODELS:
        for user in users.values():
            for _ in range(count):
                make_owned(model, school, user)
    for pe_class in PEClass.objects.filter(school=school):  # more students in every class
        for _ in range(count):
            EnrollmentFactory(pe_class=pe_class)


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """(few, more, problems): counts with FEW_ROWS of every listed model, then after more rows; all in one
    transaction, rolled back at the end."""
    # an activity-buffer flush every N requests would land in whichever page came N-th, and the
    # session's last-seen write (at most once per AUTH_SESSION_TOUCH_SECONDS) in whichever page the
    # minute ran out on: one extra query on a random page (seen in CI as "dashboard student" 8 → 9)
    flush = override_settings(ACTIVITY_BUFFER_MAX_EVENTS=10**9, AUTH_SESSION_TOUCH_SECONDS=10**9)
    with django_db_blocker.unblock(), transaction.atomic(), flush:
        school, users = _world()
        clients = {}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        pages = {role: _pages_for(clients[role], users[role], school) for role in ROLES}
        few, problems = _measure(pages, clients)
        _add_rows(school, users, EXTRA_ROWS)
        more, more_problems = _measure(pages, clients)
        transaction.set_rollback(True)
    return few, more, problems + more_problems


def test_every_main_page_answers(measured):
    _few, _more, problems = measured
    assert problems == []


def test_page_query_counts_match_the_pinned_file(measured):
    few, _more, _problems = measured
    pinned = pinned_counts(PINNED, few)
    assert few == pinned, "page query counts changed: review, then run with UPDATE_QUERY_COUNTS=1 to re-pin"


def test_page_query_counts_do_not_grow_with_rows(measured):
    few, more, _problems = measured
    grown = [f"{page}: {few[page]} queries, {more[page]} with more rows" for page in few if more[page] != few[page]]
    assert grown == [], "\n".join(grown)


def test_every_api_list_endpoint_has_a_budget():
    """Every GET route of a ViewSet ``list`` action (and every other collection GET) is pinned in
    tests/query_counts.json, so a new endpoint cannot escape the budget; the walkers'
    ``test_list_query_counts_match_the_pinned_file`` keeps the pinned values current."""
    import json

    pinned = json.loads(API_PINNED.read_text())
    lists = {r.path for r in api_routes() if r.method == "GET" and r.action == "list"}
    assert lists - set(pinned) == NESTED_LISTS_NOT_YET_PINNED

"""Property-based API tests: schemathesis generates requests from the app's own OpenAPI schema
(/api/schema/) and checks every response against it (DESIGN.md §6).

The app runs in-process over WSGI under the test settings. Every operation runs once per role —
school admin, department head, teacher, assistant, student, guardian — with the JWT of a member of
that role in a school of the test database (tests/fuzz_world.py), so operations are exercised past
authentication, and past 403/404 where the role has access; where it has none, the documented 4XX
must be what comes back. All of schemathesis' default checks run: no server errors; status codes,
content types, headers and bodies as documented (every 4xx/5xx is documented as ``4XX``/``5XX`` with
the ``Error`` component); schema-violating requests rejected and schema-valid ones accepted;
authentication not ignored. The few places where a check cannot apply are excluded case by case
below, each with its reason.
"""

import json
from pathlib import Path

import pytest
import schemathesis
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.db.models import FileField
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from accounts.models import Role
from config.api.filters import WHOLE_NUMBER
from tests import fuzz_world

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Built here rather than imported from config/wsgi.py, which defaults to the production settings;
# pytest-django has already configured config.settings.test. The schema is loaded at import time:
# schemathesis' lazy ``from_fixture`` loader does not work with pytest 9.2 (it sets ``Node._nodeid``).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
fuzz_world.SCHEMA_PATHS[:] = schema.raw_schema["paths"]
# The other roles' run: the same schema with the examples and fuzzing phases only. The coverage phase
# (every boundary and every kind of invalid value of every field, several hundred requests for a
# large body, not bounded by max_examples) runs with the teacher's token; what the other roles
# add is what their permissions reach, and a handful of valid and invalid requests per operation
# reaches it. With coverage for every role the run took ~45 minutes on two cores; without, minutes.
schema_other_roles = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema_other_roles.config.phases.update(phases=["examples", "fuzzing"])

# "Schema-valid data is accepted" cannot hold where acceptance depends on something a JSON Schema
# cannot state; these operations keep every other check.
POSITIVE_DATA_NOT_DECIDABLE_FROM_SCHEMA = {
    # the password policy (AUTH_PASSWORD_VALIDATORS: length, similarity to the email, common, numeric)
    ("POST", "/api/v1/auth/register/"),
    # found by the every-role run (the teacher is refused these with a 403 before any rule applies):
    # a member is added by the e-mail of an existing account, and the school keeps one admin (the
    # world's admin is the caller, and its own membership is the one the path names)
    ("POST", "/api/v1/memberships/"),
    ("PUT", "/api/v1/memberships/{id}/"),
    ("PATCH", "/api/v1/memberships/{id}/"),
    ("DELETE", "/api/v1/memberships/{id}/"),
    # ``from`` not after ``to``, and the windows named must be windows of the results
    ("GET", "/api/v1/assessments/analytics/school/"),
    ("GET", "/api/v1/assessments/analytics/classes/{id}/"),
    # fitting a risk model needs at least 20 labelled examples in the school (the world has none)
    ("POST", "/api/v1/analytics/risk/fit/"),
    # a category with subcategories is deleted only with ``children`` saying what happens to them
    ("DELETE", "/api/v1/content/categories/{id}/"),
    # ``refresh`` must be a genuine refresh token (of the signed-in user, for logout)
    ("POST", "/api/v1/auth/logout/"),
    ("POST", "/api/v1/auth/token/refresh/"),
    # ``current_password`` must be the signed-in user's password (and the new one meet the policy)
    ("POST", "/api/v1/auth/password-change/"),
    # ``uid`` and ``token`` must come from a link the app e-mailed
    ("POST", "/api/v1/auth/password-reset/confirm/"),
    ("POST", "/api/v1/auth/verify-email/"),
    # ``file`` must be a real JPEG/PNG/WebP picture (decided by its content), not any binary string
    ("PUT", "/api/v1/me/avatar/"),
    # ``timezone`` must be an IANA tz-database name and ``notification_channels`` keys registered
    # event types; the schema describes both in words, a generator cannot know the lists
    ("PATCH", "/api/v1/me/preferences/"),
    ("PATCH", "/api/v1/schools/{school_id}/preference-defaults/"),
    # one profile per student, one enrollment per student and class: the same valid request a second
    # time (the examples share one database) is refused
    ("POST", "/api/v1/physed/adaptation-profiles/"),
    ("POST", "/api/v1/physed/enrollments/"),
    # each student at most once in ``records`` (the fuzz world has one student, so every generated
    # record names the same one)
    ("POST", "/api/v1/physed/sessions/{id}/attendance/"),
    # found by the every-role run (routes the teacher is refused): a thing that exists once — a
    # student record per account, a guardian link per account and student, a custom role per name,
    # a persona per name, a metric per code, a medical profile per student, a role assignment per
    # membership and role — is refused the second time the same valid request comes (the examples
    # share one database)
    ("POST", "/api/v1/physed/students/"),
    ("POST", "/api/v1/physed/guardianships/"),
    ("POST", "/api/v1/roles/"),
    ("POST", "/api/v1/role-assignments/"),
    ("POST", "/api/v1/assistant/personas/"),
    ("POST", "/api/v1/physed/metric-types/"),
    ("POST", "/api/v1/safety/medical-profiles/"),
    # state: an action plan is removed only when there is one, and must be a real PDF/PNG/JPEG
    # (decided by its content); an incident closes only when its follow-up actions are done and an
    # action is not due before the incident; only a submitted risk assessment is approved or
    # returned; a protocol review is not signed off before a later one
    ("POST", "/api/v1/safety/medical-profiles/{id}/action-plan/"),
    ("DELETE", "/api/v1/safety/medical-profiles/{id}/action-plan/"),
    ("POST", "/api/v1/safety/incidents/{id}/transition/"),
    ("POST", "/api/v1/safety/incidents/{id}/actions/"),
    ("POST", "/api/v1/safety/risk-assessments/{id}/approve/"),
    ("POST", "/api/v1/safety/risk-assessments/{id}/return/"),
    ("POST", "/api/v1/safety/protocols/{id}/sign-off/"),
    # cross-field and content rules: a class meeting ends after it starts; the risk bands cover every
    # score 1–25 exactly once; an environment rule set has at least one measure, each with ordered
    # thresholds; an emergency contact's phone matches the configured phone pattern and digit count
    # (the safety protocol settings, data not schema); a protocol's protective equipment names
    # equipment types of the catalogue by slug
    ("POST", "/api/v1/physed/classes/"),
    ("PUT", "/api/v1/physed/classes/{id}/"),
    ("PATCH", "/api/v1/physed/classes/{id}/"),
    ("PUT", "/api/v1/safety/risk-bands/replace/"),
    ("POST", "/api/v1/safety/environment-rule-sets/"),
    ("PUT", "/api/v1/safety/environment-rule-sets/{id}/"),
    ("PATCH", "/api/v1/safety/environment-rule-sets/{id}/"),
    ("POST", "/api/v1/safety/emergency-procedures/"),
    ("POST", "/api/v1/safety/protocols/"),
    ("PUT", "/api/v1/safety/protocols/{id}/"),
    ("PATCH", "/api/v1/safety/protocols/{id}/"),
    # cross-field rules: the smallest group not above the largest, indicators only of the standards given
    ("POST", "/api/v1/physed/activities/"),
    # default reps or a default duration, no muscle both primary and secondary, and media links that
    # Django's URL validator takes (a TLD, a host of at most 253 characters), stricter than ``format: uri``
    ("POST", "/api/v1/physed/exercises/"),
    # each block names exactly one of ``activity`` and ``exercise``
    ("POST", "/api/v1/physed/sessions/"),
    # ``end`` not before ``start``, and at most a year after it
    ("POST", "/api/v1/physed/sessions/generate/"),
    # ``keypoints`` must form a valid pose sequence: the layout's landmark count in every frame, at
    # least 1 s of frames at ``fps``, ``fps`` unless every frame is timed, increasing times
    ("POST", "/api/v1/physed/movement-analyses/"),
    # the files must be a real UTF-8 CSV, OneRoster CSVs or a zip of them (decided by their content),
    # and ``mapping`` a JSON object written as text
    ("POST", "/api/v1/physed/imports/csv/"),
    ("POST", "/api/v1/physed/imports/oneroster/"),
    # safety: a drill is not in the future, and ``participant_count`` is at least the staff listed
    ("POST", "/api/v1/safety/drills/"),
    # the physical range of a value depends on the unit sent with it (``temperature_unit``,
    # ``wind_unit``; the schema states the widest bounds), and a reading's time is not in the future
    ("POST", "/api/v1/safety/environment-readings/"),
    ("POST", "/api/v1/safety/environment/evaluate/"),
    # the purchase date is not in the future, and an asset tag is unique within the school
    ("POST", "/api/v1/safety/equipment/"),
    # the results are exactly the checks of the item's checklist for the kind (or ``all_pass``
    # alone), dated neither in the future nor before the item was bought
    ("POST", "/api/v1/safety/equipment/{id}/inspect/"),
    # the work is not dated in the future, and a retirement cannot return the item to service
    ("POST", "/api/v1/safety/equipment/{id}/maintenance/"),
    # the kind decides the students (an injury needs an injured student, a near miss none and
    # severity "none"), the session must be of the class, times not in the future and the guardian
    # told after the incident; a correction must change something
    ("POST", "/api/v1/safety/incidents/"),
    ("PATCH", "/api/v1/safety/incidents/{id}/"),
    # ``from`` not after ``to`` and at most three years before it (``to`` defaults to today)
    ("GET", "/api/v1/safety/incidents/analytics/"),
    # the subject decides which of activity, class, venue and event name is required, and a hazard's
    # residual risk (likelihood × severity after controls) is not above its initial risk
    ("POST", "/api/v1/safety/risk-assessments/"),
    ("PUT", "/api/v1/safety/risk-assessments/{id}/"),
    ("PATCH", "/api/v1/safety/risk-assessments/{id}/"),
    # workflow state: only a draft is submitted (and needs a review date after today), only an
    # approved assessment reopened; the first example moves the shared assessment on
    ("POST", "/api/v1/safety/risk-assessments/{id}/submit/"),
    ("POST", "/api/v1/safety/risk-assessments/{id}/reopen/"),
    # done once: acknowledging an alert, sending a notice or completing an action a second time
    # (the examples share one database) is refused
    ("POST", "/api/v1/safety/alerts/{id}/acknowledge/"),
    ("POST", "/api/v1/safety/guardian-notices/{id}/mark-sent/"),
    ("POST", "/api/v1/safety/incident-actions/{id}/complete/"),
    # assessments: every student and test at most once in ``results``, students enrolled in the
    # event's class, tests of the event (the world has one student, so generated rows repeat it)
    ("POST", "/api/v1/assessments/test-events/{id}/results/"),
    # a rubric's levels have unique names and distinct points, and a rubric already used for scores
    # keeps its criteria and levels (copy it instead)
    ("POST", "/api/v1/assessments/rubrics/"),
    ("PUT", "/api/v1/assessments/rubrics/{id}/"),
    ("PATCH", "/api/v1/assessments/rubrics/{id}/"),
    # ``levels`` maps every criterion of the chosen rubric to one of that rubric's levels (ids the
    # schema cannot tie to the rubric sent), and a peer assessment needs the rubric's peer mode
    ("POST", "/api/v1/assessments/skill-assessments/"),
    # ``file`` must be a real PNG, JPEG, PDF or MP4 (decided by its content) whose name matches it
    ("POST", "/api/v1/assessments/skill-assessments/{id}/evidence/"),
    # content: an edit names the item's current version (``version``; another is a 409), the Markdown
    # fields refuse script, event handlers and javascript: links, a video link needs its address and
    # the lowest grade is not above the highest
    ("POST", "/api/v1/content/items/"),
    ("PUT", "/api/v1/content/items/{id}/"),
    ("PATCH", "/api/v1/content/items/{id}/"),
    ("POST", "/api/v1/content/items/{id}/comments/"),
    # ``file`` must be a real PDF, PNG, JPEG or MP4 (decided by its content) whose name matches it
    ("POST", "/api/v1/content/items/{id}/attachments/"),
    # only a lesson plan is scheduled, once per session, into a session of a class the caller plans
    ("POST", "/api/v1/content/items/{id}/schedules/"),
    # ``from``/``to`` and ``number`` must be existing version numbers, ``version`` the current one
    ("GET", "/api/v1/content/items/{item_id}/diff/"),
    ("POST", "/api/v1/content/items/{item_id}/restore/"),
    # the audience decides which of ``user`` and ``pe_class`` is required, and a student gets view
    # rights only
    ("POST", "/api/v1/content/items/{id}/shares/"),
    ("POST", "/api/v1/content/items/{id}/shares/remove/"),
    # a category name is unique among its siblings, and a move makes no cycle and no tree deeper
    # than five levels; a tag name is unique in the school and a tag is not merged into itself
    ("POST", "/api/v1/content/categories/"),
    ("PUT", "/api/v1/content/categories/{id}/"),
    ("PATCH", "/api/v1/content/categories/{id}/"),
    ("PATCH", "/api/v1/content/tags/{id}/"),
    ("POST", "/api/v1/content/tags/{id}/merge/"),
    # bulk tagging names at least one tag to add or remove (after trimming), none in both, and an
    # item ends with at most 30 tags (its current tags count)
    ("POST", "/api/v1/content/bulk-tag/"),
    # ``period_end`` not before ``period_start``
    ("POST", "/api/v1/assessments/reports/generate/"),
    ("POST", "/api/v1/assessments/report-batches/"),
    # state: a report is published only once both evaluations are written, unpublished only when
    # published, and edited only while a draft
    ("POST", "/api/v1/assessments/reports/{id}/publish/"),
    ("POST", "/api/v1/assessments/reports/{id}/unpublish/"),
    ("PATCH", "/api/v1/assessments/reports/{id}/"),
    # state: a test with results stays in its event, and body-composition tests need the school's
    # switch on
    ("PUT", "/api/v1/assessments/test-events/{id}/"),
    ("PATCH", "/api/v1/assessments/test-events/{id}/"),
    ("POST", "/api/v1/assessments/test-events/"),
    # progress: ``metric_key`` must be in the school's metric catalogue, the target better than the
    # baseline in that metric's direction, milestones between them and inside the goal's dates, the
    # deadline not in the past
    ("POST", "/api/v1/progress/goals/"),
    ("PUT", "/api/v1/progress/goals/{id}/"),
    ("PATCH", "/api/v1/progress/goals/{id}/"),
    # ``metric_key`` from the school's catalogue and the value within that metric's plausible range
    ("POST", "/api/v1/progress/entries/"),
    # state: only a proposed goal is approved or rejected, only an open one cancelled
    ("POST", "/api/v1/progress/goals/{id}/approve/"),
    ("POST", "/api/v1/progress/goals/{id}/reject/"),
    ("POST", "/api/v1/progress/goals/{id}/cancel/"),
    # a badge rule is one of the rule types with its parameters (``progress/engines/achievements.py``)
    ("POST", "/api/v1/progress/achievement-definitions/"),
    ("PUT", "/api/v1/progress/achievement-definitions/{id}/"),
    ("PATCH", "/api/v1/progress/achievement-definitions/{id}/"),
    # a school test's plausible range: the lowest value not above the highest
    ("POST", "/api/v1/assessments/fitness-tests/"),
    ("PUT", "/api/v1/assessments/fitness-tests/{id}/"),
    ("PATCH", "/api/v1/assessments/fitness-tests/{id}/"),
    # assistant: a message has text or attachments, and ``attachment_ids`` are this conversation's
    # files not sent yet (the first example sends the world's CSV; after that it is refused)
    ("POST", "/api/v1/assistant/conversations/{id}/messages/"),
    # ``file`` must be a real PNG or JPEG picture or a CSV or XLSX table (decided by its content)
    ("POST", "/api/v1/assistant/conversations/{id}/attachments/"),
}


def _strings(value):
    """Every string (keys included) in a generated body, query or set of path parameters."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _array_query_parameters(case) -> set[str]:
    """Names of the operation's query parameters documented as arrays."""
    operation = schema.raw_schema["paths"].get(case.path, {}).get(case.method.lower(), {})
    return {
        parameter["name"]
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "query" and (parameter.get("schema") or {}).get("type") == "array"
    }


def excluded_checks(case) -> list:
    excluded = set()
    strings = [s for part in (case.body, case.query, case.path_parameters) for s in _strings(part)]
    if (case.method.upper(), case.path) in POSITIVE_DATA_NOT_DECIDABLE_FROM_SCHEMA:
        excluded.add(positive_data_acceptance)
    if any("\x00" in s for s in strings):
        # NUL is refused in every string by design (Django/DRF ProhibitNullCharactersValidator;
        # PostgreSQL cannot store it), which the schema does not state. Every other check, above all
        # "no server error", still runs on these requests.
        excluded.add(positive_data_acceptance)
    if any(s != s.strip() for s in strings):
        # DRF's CharField trims surrounding whitespace *before* validating (names and e-mails are
        # stored trimmed), so a padded value is judged by its trimmed form: 151 characters with a
        # leading tab pass maxLength 150, a whitespace-only one fails minLength 1. The schema cannot
        # state that. (Password fields must not trim at all: padded, a password is another one.)
        excluded.update((positive_data_acceptance, negative_data_rejection))
    if any(isinstance(value, list) for value in (case.query or {}).values()):
        # a scalar query parameter sent several times: Django's QueryDict (like most frameworks)
        # serves the last value, so the "array where a string is documented" request is not refused
        excluded.add(negative_data_rejection)
    arrays = _array_query_parameters(case)
    if any(name in arrays and not isinstance(value, list) for name, value in (case.query or {}).items()):
        # the other way round: one value where an exploded array is documented (``?tag=x``) is, on the
        # wire, exactly the valid one-element array — the server cannot tell the "string where an
        # array is documented" request from a valid one (seen in CI with ``tag`` of the search)
        excluded.add(negative_data_rejection)
    if case.media_type not in (None, "application/json") and (not isinstance(case.body, dict) or "" in case.body):
        # form and multipart bodies are sets of named fields: a non-object "body" cannot be encoded
        # in them, and Django's multipart parser drops a part with an empty name, so either reaches
        # the view as a form without those fields (for PATCH, a valid no-op)
        excluded.add(negative_data_rejection)
    return list(excluded)


def is_id(value) -> bool:
    """An integer, or one written as text (query parameters may be generated either way)."""
    if isinstance(value, str):
        return WHOLE_NUMBER.fullmatch(value) is not None
    return isinstance(value, int) and not isinstance(value, bool)


def with_visible_ids(value, ids: dict):
    """``value`` (a generated body) with every id under a key of ``ids`` (at any depth) replaced by
    the id of a row the caller may see, and a non-empty list of ids by a list of that one id (repeats
    could be refused); nulls and non-ids are kept."""
    if isinstance(value, list):
        return [with_visible_ids(item, ids) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key in ids and isinstance(item, int) and not isinstance(item, bool):
            item = ids[key]
        elif key in ids and isinstance(item, list) and all(type(i) is int for i in item):
            item = [ids[key]] * min(len(item), 1)
        else:
            item = with_visible_ids(item, ids)
        result[key] = item
    return result


# Examples per operation for each role. The teacher's run is the widest (the teacher authors most of
# the world's rows and holds most write rights); every other role repeats the run with fewer examples,
# enough to reach each operation's success and refusal paths (each role's world is built once).
TEACHER_EXAMPLES = 15
OTHER_ROLE_EXAMPLES = 10
OTHER_ROLES = [Role.SCHOOL_ADMIN, Role.DEPARTMENT_HEAD, Role.ASSISTANT, Role.STUDENT, Role.GUARDIAN]
ROLES_OF_TEST = {
    "test_api_conforms_to_its_schema": [Role.TEACHER],
    "test_api_conforms_to_its_schema_other_roles": OTHER_ROLES,
}


def pytest_generate_tests(metafunc):
    """Each conformance test runs once per role of its list; the test id names the role."""
    if "role" in metafunc.fixturenames:
        roles = ROLES_OF_TEST[metafunc.definition.name]
        # module scope: pytest runs each role's tests together, so its world is built once
        metafunc.parametrize("role", [str(role) for role in roles], scope="module")


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                yield model, field


def _stored_files() -> list[tuple]:
    """(storage, name, bytes) of every file the world's rows name: the test storage is in memory
    and is not rolled back with the database, so a test that deletes a file would take it from the
    later ones."""
    files = []
    for model, field in _file_fields():
        for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
            storage = field.storage
            if name and storage.exists(name):
                with storage.open(name) as handle:
                    files.append((storage, name, handle.read()))
    return files


def _restore_files(files) -> None:
    for storage, name, data in files:
        if not storage.exists(name):
            storage.save(name, ContentFile(data))


@pytest.fixture(scope="module")
def role_world(role, django_db_setup, django_db_blocker):
    """The fuzz world of ``role`` (tests/fuzz_world.py), built ONCE for all of the role's
    operations in a transaction that is rolled back after them: each test's own transaction is a
    savepoint inside it, so what one operation writes is gone before the next. (Built per test, the
    world cost more than the requests themselves — six roles × every operation.)"""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = fuzz_world.build_world(role)
            yield {**built, "files": _stored_files()}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(role_world, db, settings):
    """``role_world`` with a fresh access token (tokens live minutes; a role's run takes longer),
    and Django's closing of "old" database connections switched off around requests, as Django's own
    test client does: schemathesis calls the WSGI app directly, and that closing would end the
    test's transaction.

    The assistant's per-user rate limit (``assistant.services.limits``) is raised out of reach:
    the examples of one operation are sent within a minute by the same user."""
    settings.ASSISTANT_RATE_PER_MINUTE = settings.ASSISTANT_RATE_PER_DAY = 1_000_000
    _restore_files(role_world["files"])
    token = RefreshToken.for_user(role_world["caller"]).access_token
    built = {**role_world, "headers": {"Authorization": f"Bearer {token}"}}
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield built
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def hypothesis_settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,  # no saved examples: each run starts fresh, as it does in CI
        # the same examples every run: CI must not turn red on a new random draw; widen the search by
        # running with `--hypothesis-seed=random` (or raising max_examples) when hunting for bugs
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# What the first run with every role's token found and is not fixed yet ("<role> <METHOD> <path>":
# the check and what it saw). Each is expected to fail (non-strict: one that starts passing shows as
# XPASS, and its line should then go). docs/schemathesis-roles.md sorts them into fixes to make.
KNOWN_FAILURES = json.loads((Path(__file__).parent / "schemathesis_known_failures.json").read_text())


@schema.parametrize()
@hypothesis_settings(TEACHER_EXAMPLES)
def test_api_conforms_to_its_schema(case, world, request):
    known = KNOWN_FAILURES.get(f"teacher {case.method.upper()} {case.path}")
    if known:
        request.applymarker(pytest.mark.xfail(reason=f"known, not yet fixed: {known}", strict=False))
    call_and_validate(case, world)


@pytest.mark.fuzz_roles
@schema_other_roles.parametrize()
@hypothesis_settings(OTHER_ROLE_EXAMPLES)
def test_api_conforms_to_its_schema_other_roles(case, world, role, request):
    known = KNOWN_FAILURES.get(f"{role} {case.method.upper()} {case.path}")
    if known:
        request.applymarker(pytest.mark.xfail(reason=f"known, not yet fixed: {known}", strict=False))
    call_and_validate(case, world)


def call_and_validate(case, world) -> None:
    negative_at = case.meta.is_negative_at
    # Random ids almost never name a row, so the 200 responses of the detail endpoints would go
    # unchecked; ids of the wrong type (negative path) are kept, and 404s for ids out of scope are
    # covered by the permission matrix (tests/test_api_walkers.py).
    if case.path in world["ids"] and not negative_at(ParameterLocation.PATH):
        named = world["ids"][case.path]
        case.path_parameters.update(named if isinstance(named, dict) else {"id": named})
    # The same for a school or class chosen by a query parameter (``?school=``): one the caller
    # cannot use is refused like an id in a body.
    if isinstance(case.query, dict) and not negative_at(ParameterLocation.QUERY):
        query = {
            key: world["query_ids"][key] if key in world["query_ids"] and is_id(value) else value
            for key, value in case.query.items()
        }
        if query != case.query:
            case.query = query
    # Likewise random ids in a body name no row the caller may see, and "does not exist" (a 400) is
    # the right answer to them; a schema-valid JSON body gets the ids of the school's own rows instead.
    # (Assigned only when something changed: schemathesis re-checks a replaced body against the schema.)
    if (
        case.media_type == "application/json"
        and isinstance(case.body, dict)
        and not negative_at(ParameterLocation.BODY)
    ):
        body = with_visible_ids(case.body, world["body_ids"])
        if body != case.body:
            case.body = body
    # When the headers themselves are the invalid part (a malformed Authorization, say), send them as
    # generated: the caller's token would replace exactly what is being tested.
    headers = None if negative_at(ParameterLocation.HEADER) else world["headers"]
    case.call_and_validate(headers=headers, excluded_checks=excluded_checks(case))

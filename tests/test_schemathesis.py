"""Property-based API tests: schemathesis generates requests from the app's own OpenAPI schema
(/api/schema/) and checks every response against it (DESIGN.md §6).

The app runs in-process over WSGI under the test settings. Requests carry the JWT of a teacher of a
school in the test database, so operations are exercised past authentication. All of schemathesis'
default checks run: no server errors; status codes, content types, headers and bodies as documented
(every 4xx/5xx is documented as ``4XX``/``5XX`` with the ``Error`` component); schema-violating
requests rejected and schema-valid ones accepted; authentication not ignored. The few places where a
check cannot apply are excluded case by case below, each with its reason.
"""

import io

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from accounts.models import Membership, Role
from accounts.tests.factories import SchoolFactory, make_member
from assessments.tests.factories_core import (
    CriterionScoreFactory,
    FeedbackFactory,
    FitnessResultFactory,
    FitnessTestFactory,
    ProgressReportFactory,
    ReportBatchFactory,
    RubricFactory,
    SkillAssessmentFactory,
    TestEventFactory,
)
from config.api.filters import WHOLE_NUMBER
from physed.tests.factories_library import ActivityFactory, ExerciseFactory
from physed.tests.factories_roster import ClassMeetingFactory, EnrollmentFactory, PEClassFactory
from physed.tests.factories_sessions import ClassSessionFactory, MetricTypeFactory, SessionBlockFactory
from progress.tests.factories_core import (
    AchievementDefinitionFactory,
    AchievementFactory,
    GoalFactory,
    MilestoneFactory,
    ProgressEntryFactory,
)
from safety.tests.factories_environment import (
    EnvironmentReadingFactory,
    EnvironmentRuleSetFactory,
    SafetySettingsFactory,
)
from safety.tests.factories_equipment import EquipmentItemFactory, InspectionFactory, MaintenanceRecordFactory
from safety.tests.factories_incidents import (
    GuardianNoticeFactory,
    IncidentActionFactory,
    IncidentFactory,
    IncidentStudentFactory,
)
from safety.tests.factories_medical import MedicalProfileFactory
from safety.tests.factories_monitoring import RiskModelFactory, SafetyAlertFactory
from safety.tests.factories_protocols import (
    DrillFactory,
    EmergencyProcedureFactory,
    EmergencyStepFactory,
    SafetyProtocolFactory,
)
from safety.tests.factories_risk import HazardFactory, RiskAssessmentFactory, RiskBandFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Built here rather than imported from config/wsgi.py, which defaults to the production settings;
# pytest-django has already configured config.settings.test. The schema is loaded at import time:
# schemathesis' lazy ``from_fixture`` loader does not work with pytest 9.2 (it sets ``Node._nodeid``).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

# "Schema-valid data is accepted" cannot hold where acceptance depends on something a JSON Schema
# cannot state; these operations keep every other check.
POSITIVE_DATA_NOT_DECIDABLE_FROM_SCHEMA = {
    # the password policy (AUTH_PASSWORD_VALIDATORS: length, similarity to the email, common, numeric)
    ("POST", "/api/v1/auth/register/"),
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
    if case.media_type not in (None, "application/json") and (not isinstance(case.body, dict) or "" in case.body):
        # form and multipart bodies are sets of named fields: a non-object "body" cannot be encoded
        # in them, and Django's multipart parser drops a part with an empty name, so either reaches
        # the view as a form without those fields (for PATCH, a valid no-op)
        excluded.add(negative_data_rejection)
    return list(excluded)


@pytest.fixture
def fuzz_world(db):
    """A school with a teacher (the caller), a student member, PE rows and safety rows, and the ids
    of rows the teacher may see: for detail paths, for the id fields of request bodies, and for the
    id parameters of queries."""
    school = SchoolFactory(slug="fuzz-school", name="Fuzz School")
    teacher = make_member(school, Role.TEACHER, email="fuzz.teacher@example.org")
    make_member(school, Role.STUDENT, email="fuzz.student@example.org")
    # PE rows of the school: a class the teacher teaches, an active student enrolled in it, a session
    # with a block, the school's own activity, exercise and metric
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    ClassMeetingFactory(pe_class=pe_class)
    student = EnrollmentFactory(pe_class=pe_class, student__school=school).student
    activity = ActivityFactory(school=school)
    session = ClassSessionFactory(pe_class=pe_class)
    headers = {"Authorization": f"Bearer {RefreshToken.for_user(teacher).access_token}"}
    # the token must work, or every operation would quietly be tested as anonymous (401 only)
    assert Client(headers=headers).get("/api/v1/me/").status_code == 200
    safety = safety_rows(school, teacher, pe_class, student, session)
    progress = assessment_and_progress_rows(school, teacher, pe_class, student, session)
    content = content_rows(school, teacher, session, activity)
    memory = memory_rows(school, teacher, student, pe_class, content["body_ids"]["item"])
    assistant = assistant_rows(school, teacher, content["body_ids"]["item"])
    body_ids = {
        "school": school.pk,
        "student": student.pk,
        "pe_class": pe_class.pk,
        "session": session.pk,
        "activity": activity.pk,
        "exercise": ExerciseFactory(school=school).pk,
        "metric": MetricTypeFactory(school=school).pk,
        "block": SessionBlockFactory(session=session, activity=activity).pk,
        "students": student.pk,
        "teachers": teacher.pk,
        # safety: staff fields take the teacher; ``steps`` (reorder) the procedure's only step
        **safety["body_ids"],
        "owner": teacher.pk,
        "participants": teacher.pk,
        "staff_present": teacher.pk,
        **progress["body_ids"],
        **content["body_ids"],
        **memory["body_ids"],
        **assistant["body_ids"],
    }
    return {
        "headers": headers,
        "ids": {
            "/api/v1/schools/{id}/": school.pk,
            "/api/v1/memberships/{id}/": Membership.objects.get(user=teacher).pk,
            **safety["ids"],
            **progress["ids"],
            **content["ids"],
            **memory["ids"],
            **assistant["ids"],
        },
        "body_ids": body_ids,
        "query_ids": {"school": school.pk, "class": pe_class.pk, **progress["query_ids"]},
    }


def safety_rows(school, teacher, pe_class, student, session) -> dict:
    """One row of each safety area in the school (the teacher's view of them is what the role
    grants: medical profiles, say, stay hidden), with the paths and body keys that name them."""
    procedure = EmergencyProcedureFactory(school=school)
    step = EmergencyStepFactory(procedure=procedure, order=1)
    protocol = SafetyProtocolFactory(school=school, owner=teacher)
    item = EquipmentItemFactory(school=school)
    incident = IncidentFactory(school=school, pe_class=pe_class, session=session, reported_by=teacher)
    IncidentStudentFactory(incident=incident, student=student)
    assessment = RiskAssessmentFactory(school=school, owner=teacher)
    HazardFactory(assessment=assessment)
    rule_set = EnvironmentRuleSetFactory(school=school)
    profile = MedicalProfileFactory(student=student)
    ids = {
        "alerts/{id}/": SafetyAlertFactory(session=session).pk,
        "classes/{id}/": pe_class.pk,
        "drills/{id}/": DrillFactory(procedure=procedure).pk,
        "emergency-procedures/{id}/": procedure.pk,
        "environment-readings/{id}/": EnvironmentReadingFactory(school=school).pk,
        "environment-rule-sets/{id}/": rule_set.pk,
        "equipment/{id}/": item.pk,
        "guardian-notices/{id}/": GuardianNoticeFactory(incident=incident, student=student).pk,
        "incident-actions/{id}/": IncidentActionFactory(incident=incident, owner=teacher).pk,
        "incidents/{id}/": incident.pk,
        "inspections/{id}/": InspectionFactory(item=item).pk,
        "maintenance/{id}/": MaintenanceRecordFactory(item=item).pk,
        "medical-profiles/{id}/": profile.pk,
        "protocols/{id}/": protocol.pk,
        "risk-assessments/{id}/": assessment.pk,
        "risk-bands/{id}/": RiskBandFactory(school=school).pk,
        "risk-models/{id}/": RiskModelFactory(school=school).pk,
        "sessions/{id}/": session.pk,
        "settings/{id}/": SafetySettingsFactory(school=school, rule_set=rule_set).pk,
    }
    return {
        # a detail path and each of its actions (``/api/v1/safety/equipment/{id}/inspect/``)
        "ids": {path: pk for prefix, pk in ids.items() for path in schema_paths_under(f"/api/v1/safety/{prefix}")},
        "body_ids": {
            "procedure": procedure.pk,
            "steps": step.pk,
            "equipment": item.pk,
            "equipment_type": item.equipment_type_id,
            "rule_set": rule_set.pk,
        },
    }


def assessment_and_progress_rows(school, teacher, pe_class, student, session) -> dict:
    """Assessments and progress rows of the school: the shipped fitness tests and standards, an
    event of the class with a result of its student, a rubric (criteria × levels) and a scored skill
    assessment, feedback, a report and a report batch, a goal with a milestone, a progress entry, and
    a school badge awarded to the student; with the paths, body keys and query keys that name them."""
    from assessments.models import FitnessTest, StandardSet
    from assessments.services.fitness_data import load_shipped

    load_shipped()
    shipped = FitnessTest.objects.filter(school=None)
    pacer, curl_up = shipped.get(code="pacer_20m"), shipped.get(code="curl_up")
    own_test = FitnessTestFactory(school=school, code="fuzz_test", name="Fuzz test", scoring="direct")
    event = TestEventFactory(pe_class=pe_class, tests=[pacer, curl_up])
    result = FitnessResultFactory(event=event, student=student, test=pacer, value=30)
    rubric = RubricFactory(school=school)
    skill = SkillAssessmentFactory(rubric=rubric, student=student, pe_class=pe_class, session=session)
    for criterion in rubric.criteria.all():
        CriterionScoreFactory(assessment=skill, criterion=criterion)
    feedback = FeedbackFactory(student=student, author=teacher, skill_assessment=skill)
    report = ProgressReportFactory(student=student, pe_class=pe_class)
    batch = ReportBatchFactory(pe_class=pe_class, requested_by=teacher)
    goal = GoalFactory(student=student, school=school)
    MilestoneFactory(goal=goal)
    entry = ProgressEntryFactory(student=student, school=school)
    definition = AchievementDefinitionFactory(school=school)
    award = AchievementFactory(definition=definition, student=student)
    standard_set = StandardSet.objects.filter(school=None).first()
    assert standard_set is not None  # load_shipped() brings the published standards
    ids = {
        "assessments/analytics/classes/{id}/": pe_class.pk,
        "assessments/feedback/{id}/": feedback.pk,
        "assessments/fitness-results/{id}/": result.pk,
        "assessments/fitness-tests/{id}/": own_test.pk,
        "assessments/my-reports/{id}/": report.pk,
        "assessments/report-batches/{id}/": str(batch.pk),
        "assessments/reports/{id}/": report.pk,
        "assessments/rubrics/{id}/": rubric.pk,
        "assessments/skill-assessments/{id}/": skill.pk,
        "assessments/standard-sets/{id}/": standard_set.pk,
        "assessments/test-events/{id}/": event.pk,
        "progress/achievement-definitions/{id}/": definition.pk,
        "progress/achievements/{id}/": award.pk,
        "progress/classes/{id}/": pe_class.pk,
        "progress/entries/{id}/": entry.pk,
        "progress/goals/{id}/": goal.pk,
        "progress/students/{id}/": student.pk,
    }
    named = {
        "event": event.pk,
        "test_event": event.pk,
        "test": pacer.pk,
        "tests": pacer.pk,
        "rubric": rubric.pk,
        "skill_assessment": skill.pk,
        "standard_set": standard_set.pk,
        "definition": definition.pk,
    }
    return {
        "ids": {path: pk for prefix, pk in ids.items() for path in schema_paths_under(f"/api/v1/{prefix}")},
        "body_ids": named,
        "query_ids": {
            **named,
            "student": student.pk,
            "for_student": student.pk,
            "pe_class": pe_class.pk,
            "session": session.pk,
        },
    }


def content_rows(school, teacher, session, activity) -> dict:
    """A content item the teacher owns (a lesson plan with a category, a tag, the school's activity,
    a standard, an attachment, a comment, a class share and a schedule into the session), with the
    paths and body keys that name them. History routes take ``item_id`` (and ``number``)."""
    from django.core.files.base import ContentFile

    from content.models import ContentAttachment, ContentShare, ShareAudience
    from content.tests.factories import CategoryFactory, ContentCommentFactory, ContentItemFactory
    from physed.tests.factories_library import PEStandardFactory

    category = CategoryFactory(school=school)
    item = ContentItemFactory(school=school, owner=teacher, category=category, tags=["fuzz"])
    item.activities.add(activity)
    standard = PEStandardFactory()
    item.standards.add(standard)
    attachment = ContentAttachment(
        item=item, original_name="plan.pdf", content_type="application/pdf", size=13, uploaded_by=teacher
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 fuzz"), save=True)
    comment = ContentCommentFactory(item=item, author=teacher)
    ContentShare.objects.create(item=item, audience=ShareAudience.PE_CLASS, pe_class=session.pe_class)
    from content.models import LessonSchedule

    schedule = LessonSchedule.objects.create(item=item, session=session, version_number=1, scheduled_by=teacher)
    tag = item.tags.get()
    ids = {
        "content/attachments/{id}/": attachment.pk,
        "content/categories/{id}/": category.pk,
        "content/comments/{id}/": comment.pk,
        "content/items/{id}/": item.pk,
        "content/schedules/{id}/": schedule.pk,
        "content/tags/{id}/": tag.pk,
    }
    paths = {path: pk for prefix, pk in ids.items() for path in schema_paths_under(f"/api/v1/{prefix}")}
    for path in schema_paths_under("/api/v1/content/items/{item_id}/"):
        paths[path] = {"item_id": item.pk, "number": 1} if "{number}" in path else {"item_id": item.pk}
    return {
        "ids": paths,
        "body_ids": {
            "item": item.pk,
            "items": item.pk,
            "category": category.pk,
            "parent": category.pk,
            "into": tag.pk,
            "activities": activity.pk,
            "standards": standard.pk,
        },
    }


def memory_rows(school, teacher, student, pe_class, item_id) -> dict:
    """A memory of the teacher (memories are owner-only: anybody else's is a 404) linked to the
    student, the class and the content item, with the paths and body keys that name them."""
    from memory.tests.factories import MemoryFactory

    memory = MemoryFactory(school=school, owner=teacher, student=student, pe_class=pe_class, content_item_id=item_id)
    return {
        "ids": {path: memory.pk for path in schema_paths_under("/api/v1/memory/memories/{id}/")},
        "body_ids": {"content_item": item_id},
    }


def assistant_rows(school, teacher, item_id) -> dict:
    """The teacher's conversation (owner-only, like memories) with a message and the assistant's
    reply made by ``post_message``, an unsent CSV attachment, an action the reply proposes, and a
    school persona; with the paths and body keys that name them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assistant.models import MessageRole
    from assistant.services.attachments import add_attachment
    from assistant.services.conversations import post_message, start_conversation
    from assistant.tests.factories import SAMPLE_CSV, PersonaFactory, ProposedActionFactory

    conversation = start_conversation(actor=teacher, school=school, title="Fuzz conversation")
    _message, reply = post_message(actor=teacher, conversation=conversation, text="How did my class do on the PACER?")
    assert reply.role == MessageRole.ASSISTANT
    upload = SimpleUploadedFile("results.csv", SAMPLE_CSV, content_type="text/csv")
    attachment = add_attachment(actor=teacher, conversation=conversation, upload=upload)
    # only an image is copied onto a content item (``attach``): a 1×1 PNG for that route
    png = io.BytesIO()
    Image.new("RGB", (1, 1)).save(png, format="PNG")
    picture = SimpleUploadedFile("photo.png", png.getvalue(), content_type="image/png")
    image = add_attachment(actor=teacher, conversation=conversation, upload=picture)
    action = ProposedActionFactory(message=reply)
    persona = PersonaFactory(school=school)
    ids = {
        "conversations/{id}/": conversation.pk,
        "attachments/{id}/": attachment.pk,
        "actions/{id}/": action.pk,
        "messages/{id}/": reply.pk,
        "personas/{id}/": persona.pk,
    }
    paths = {path: pk for prefix, pk in ids.items() for path in schema_paths_under(f"/api/v1/assistant/{prefix}")}
    paths["/api/v1/assistant/attachments/{id}/attach/"] = image.pk
    return {"ids": paths, "body_ids": {"persona": persona.pk, "attachment_ids": attachment.pk}}


def schema_paths_under(prefix: str) -> list[str]:
    paths = [path for path in schema.raw_schema["paths"] if path.startswith(prefix)]
    assert paths, prefix  # a renamed route must not silently drop out of the fuzz world
    return paths


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


@pytest.fixture
def world(fuzz_world, settings):
    """``fuzz_world`` with Django's closing of "old" database connections switched off around
    requests, as Django's own test client does (and re-does after each of its requests, hence
    after ``fuzz_world``): schemathesis calls the WSGI app directly, and on PostgreSQL that
    closing would end the test's transaction.

    The assistant's per-user rate limit (``assistant.services.limits``) is raised out of reach:
    the examples of one operation are sent within a minute by the same user."""
    settings.ASSISTANT_RATE_PER_MINUTE = settings.ASSISTANT_RATE_PER_DAY = 1_000_000
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield fuzz_world
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    database=None,  # no saved examples: each run starts fresh, as it does in CI
    # the same examples every run: CI must not turn red on a new random draw; widen the search by
    # running with `--hypothesis-seed=random` (or raising max_examples) when hunting for bugs
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, world):
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
    # generated: the teacher's token would replace exactly what is being tested.
    headers = None if negative_at(ParameterLocation.HEADER) else world["headers"]
    case.call_and_validate(headers=headers, excluded_checks=excluded_checks(case))

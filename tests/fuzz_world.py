"""The fuzz world of the schemathesis run (tests/test_schemathesis.py): a school with rows of every
app, a member of the role under test (the caller, whose token signs every request), and the ids of
rows the caller may see — for detail paths, for the id fields of request bodies, and for the id
parameters of queries.

The school's rows are authored by a teacher of the class; the caller is that teacher, or another
member of the school with the role under test: a student is the class's enrolled student (their
account linked to the record), a guardian that student's guardian, and a staff member of the
assistant's rank or above owns the owner-only rows (memories, conversations). Where the role has no
access to a row the detail paths still name it, so the documented 403/404 is what must come back.
"""

import io

from django.test import Client
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Membership, Role
from accounts.roles import ROLE_PERMISSIONS
from accounts.tests.factories import CustomRoleFactory, SchoolFactory, make_member
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
from physed.services.roster import add_guardian, link_student_user
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

# the paths of the app's OpenAPI schema; set by the test module, which loads the schema
SCHEMA_PATHS: list[str] = []


def make_caller(school, role: str, teacher, student):
    """The member whose token signs the requests: the class's teacher, or a new member of
    ``role`` reached the way that role reaches rows (a student's own record, a guardian's child)."""
    if role == Role.TEACHER:
        return teacher
    caller = make_member(school, role, email=f"fuzz.caller.{role}@example.org")
    if role == Role.STUDENT:
        link_student_user(actor=None, student=student, user=caller)
    elif role == Role.GUARDIAN:
        add_guardian(actor=None, student=student, guardian=caller, name="Fuzz Guardian", email=caller.email)
    return caller


def build_world(role: str) -> dict:
    """The school, its rows and the caller of ``role``, with the ids the caller may use."""
    school = SchoolFactory(slug="fuzz-school", name="Fuzz School")
    teacher = make_member(school, Role.TEACHER, email="fuzz.teacher@example.org")
    student_user = make_member(school, Role.STUDENT, email="fuzz.student@example.org")
    guardian_user = make_member(school, Role.GUARDIAN, email="fuzz.guardian@example.org")
    custom_role = CustomRoleFactory(school=school, name="Fuzz helper")
    # PE rows of the school: a class the teacher teaches, an active student enrolled in it, a session
    # with a block, the school's own activity, exercise and metric
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    ClassMeetingFactory(pe_class=pe_class)
    student = EnrollmentFactory(pe_class=pe_class, student__school=school).student
    activity = ActivityFactory(school=school)
    session = ClassSessionFactory(pe_class=pe_class)
    caller = make_caller(school, role, teacher, student)
    headers = {"Authorization": f"Bearer {RefreshToken.for_user(caller).access_token}"}
    # the token must work, or every operation would quietly be tested as anonymous (401 only)
    assert Client(headers=headers).get("/api/v1/me/").status_code == 200
    # owner-only rows belong to the caller where the role may have them (the assistant's users);
    # otherwise they are the teacher's, and every route to them must refuse the caller
    owner = caller if "assistant.use_assistant" in ROLE_PERMISSIONS[role] else teacher
    safety = safety_rows(school, teacher, pe_class, student, session)
    progress = assessment_and_progress_rows(school, teacher, pe_class, student, session)
    content = content_rows(school, teacher, session, activity)
    memory = memory_rows(school, owner, student, pe_class, content["body_ids"]["item"])
    if role in (Role.STUDENT, Role.GUARDIAN):
        # the item is a staff draft: no content item is one these callers may name, so a memory's
        # optional link to one is left empty (null) rather than pointing at a row they cannot see
        memory["body_ids"]["content_item"] = None
    assistant = assistant_rows(school, owner, content["body_ids"]["item"])
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
        # accounts and roster links: a student-role account no record is linked to, a guardian-role
        # account, the teacher's membership and a custom role of the school
        "user": student_user.pk,
        "guardian": guardian_user.pk,
        "membership": Membership.objects.get(user=teacher, school=school).pk,
        "custom_role": custom_role.pk,
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
        "caller": caller,
        "headers": headers,
        "ids": {
            "/api/v1/schools/{id}/": school.pk,
            "/api/v1/memberships/{id}/": Membership.objects.get(user=caller).pk,
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
        "ids": {path: pk for prefix, pk in ids.items() for path in paths_under(f"/api/v1/safety/{prefix}")},
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
        "ids": {path: pk for prefix, pk in ids.items() for path in paths_under(f"/api/v1/{prefix}")},
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
    a standard, an attachment, a comment, a class and a school share, a schedule into the session), with the
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
    # and with the school's staff, so that every staff role may name it (a memory's content item, say)
    ContentShare.objects.create(item=item, audience=ShareAudience.SCHOOL)
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
    paths = {path: pk for prefix, pk in ids.items() for path in paths_under(f"/api/v1/{prefix}")}
    for path in paths_under("/api/v1/content/items/{item_id}/"):
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


def memory_rows(school, owner, student, pe_class, item_id) -> dict:
    """A memory of ``owner`` (memories are owner-only: anybody else's is a 404) linked to the
    student, the class and the content item, with the paths and body keys that name them."""
    from memory.tests.factories import MemoryFactory

    memory = MemoryFactory(school=school, owner=owner, student=student, pe_class=pe_class, content_item_id=item_id)
    return {
        "ids": {path: memory.pk for path in paths_under("/api/v1/memory/memories/{id}/")},
        "body_ids": {"content_item": item_id},
    }


def assistant_rows(school, owner, item_id) -> dict:
    """``owner``'s conversation (owner-only, like memories) with a message and the assistant's
    reply made by ``post_message``, an unsent CSV attachment, an action the reply proposes, and a
    school persona; with the paths and body keys that name them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assistant.models import MessageRole
    from assistant.services.attachments import add_attachment
    from assistant.services.conversations import post_message, start_conversation
    from assistant.tests.factories import SAMPLE_CSV, PersonaFactory, ProposedActionFactory

    conversation = start_conversation(actor=owner, school=school, title="Fuzz conversation")
    _message, reply = post_message(actor=owner, conversation=conversation, text="How did my class do on the PACER?")
    assert reply.role == MessageRole.ASSISTANT
    upload = SimpleUploadedFile("results.csv", SAMPLE_CSV, content_type="text/csv")
    attachment = add_attachment(actor=owner, conversation=conversation, upload=upload)
    # only an image is copied onto a content item (``attach``): a 1×1 PNG for that route
    png = io.BytesIO()
    Image.new("RGB", (1, 1)).save(png, format="PNG")
    picture = SimpleUploadedFile("photo.png", png.getvalue(), content_type="image/png")
    image = add_attachment(actor=owner, conversation=conversation, upload=picture)
    action = ProposedActionFactory(message=reply)
    persona = PersonaFactory(school=school)
    ids = {
        "conversations/{id}/": conversation.pk,
        "attachments/{id}/": attachment.pk,
        "actions/{id}/": action.pk,
        "messages/{id}/": reply.pk,
        "personas/{id}/": persona.pk,
    }
    paths = {path: pk for prefix, pk in ids.items() for path in paths_under(f"/api/v1/assistant/{prefix}")}
    paths["/api/v1/assistant/attachments/{id}/attach/"] = image.pk
    return {"ids": paths, "body_ids": {"persona": persona.pk, "attachment_ids": attachment.pk}}


def paths_under(prefix: str) -> list[str]:
    paths = [path for path in SCHEMA_PATHS if path.startswith(prefix)]
    assert paths, prefix  # a renamed route must not silently drop out of the fuzz world
    return paths

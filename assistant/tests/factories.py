"""Assistant factories (registered for the walkers): conversations, messages, personas,
attachments, proposed actions, feedback and learned phrasings. A conversation belongs to a new
teacher member of its school, so every owned row is "in a school" through it."""

import factory
from django.core.files.base import ContentFile

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from assistant.models import (
    ActionStatus,
    Attachment,
    AttachmentKind,
    Conversation,
    Feedback,
    IntentExample,
    Message,
    MessageRole,
    Persona,
    ProposedAction,
    ReadingLevel,
    Tone,
    Verbosity,
)
from tests.registry import register_owned_factory, register_scoped_factory

__all__ = [
    "SAMPLE_CSV",
    "AttachmentFactory",
    "ConversationFactory",
    "FeedbackFactory",
    "IntentExampleFactory",
    "MessageFactory",
    "PersonaFactory",
    "ProposedActionFactory",
]

SAMPLE_CSV = b"student,value\nMaya Rodriguez,42\nLiam Chen,35\n"


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    school = factory.SubFactory(SchoolFactory)
    owner = factory.LazyAttribute(lambda conversation: make_member(conversation.school, Role.TEACHER))
    title = factory.Sequence(lambda n: f"Conversation {n}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    role = MessageRole.USER
    text = factory.Sequence(lambda n: f"How did my class do on the PACER? ({n})")


class PersonaFactory(factory.django.DjangoModelFactory):
    """A school persona (built-ins: ``school=None``)."""

    class Meta:
        model = Persona

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Persona {n}")
    tone = Tone.ENCOURAGING
    verbosity = Verbosity.NORMAL
    reading_level = ReadingLevel.STANDARD
    emoji = False


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A small CSV with its parsed preview."""

    class Meta:
        model = Attachment

    conversation = factory.SubFactory(ConversationFactory)
    kind = AttachmentKind.TABLE
    file = factory.LazyFunction(lambda: ContentFile(SAMPLE_CSV, name="results.csv"))
    original_name = "results.csv"
    content_type = "text/csv"
    size = len(SAMPLE_CSV)
    table = factory.LazyFunction(
        lambda: {
            "columns": ["student", "value"],
            "rows": [["Maya Rodriguez", "42"], ["Liam Chen", "35"]],
            "total_rows": 2,
        }
    )


class ProposedActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedAction

    message = factory.SubFactory(MessageFactory, role=MessageRole.ASSISTANT, text="I can draft this for you.")
    kind = "draft_lesson_plan"
    summary = factory.Sequence(lambda n: f"Draft a lesson plan on throwing {n}")
    payload = factory.LazyFunction(lambda: {"topic": "throwing", "duration_minutes": 45})
    status = ActionStatus.PROPOSED


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    message = factory.SubFactory(MessageFactory, role=MessageRole.ASSISTANT, text="Here are the results.")
    rating = 1


class IntentExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntentExample

    school = factory.SubFactory(SchoolFactory)
    owner = factory.LazyAttribute(lambda example: make_member(example.school, Role.TEACHER))
    phrase = factory.Sequence(lambda n: f"who showed up today {n}")
    intent = "attendance"
    weight = 1.0


register_scoped_factory(Conversation, lambda school: ConversationFactory(school=school))
register_scoped_factory(Message, lambda school: MessageFactory(conversation__school=school))
register_scoped_factory(Persona, lambda school: PersonaFactory(school=school))
register_scoped_factory(Attachment, lambda school: AttachmentFactory(conversation__school=school))
register_scoped_factory(ProposedAction, lambda school: ProposedActionFactory(message__conversation__school=school))
register_scoped_factory(Feedback, lambda school: FeedbackFactory(message__conversation__school=school))
register_scoped_factory(IntentExample, lambda school: IntentExampleFactory(school=school))
# only their owner sees these: the walkers check another member's rows are 404 and not listed
register_owned_factory(Conversation, lambda school, owner: ConversationFactory(school=school, owner=owner))
register_owned_factory(
    Message, lambda school, owner: MessageFactory(conversation__school=school, conversation__owner=owner)
)
register_owned_factory(
    Attachment, lambda school, owner: AttachmentFactory(conversation__school=school, conversation__owner=owner)
)
register_owned_factory(
    ProposedAction,
    lambda school, owner: ProposedActionFactory(
        message__conversation__school=school, message__conversation__owner=owner
    ),
)
register_owned_factory(
    Feedback,
    lambda school, owner: FeedbackFactory(message__conversation__school=school, message__conversation__owner=owner),
)
register_owned_factory(IntentExample, lambda school, owner: IntentExampleFactory(school=school, owner=owner))


def tools_world(school, teacher, other_school=None):
    """What the tool and resolver tests read: the teacher's class "Grade 5 Blue" (three students,
    two PACER events with zones), another class "Grade 6 Red" the teacher does not teach, and —
    when ``other_school`` is given — a student and a class that exist only there."""
    import datetime
    from types import SimpleNamespace

    from assessments.tests.factories_analytics import analytics_event, analytics_result
    from assessments.tests.factories_fitness import shipped_tests
    from physed.models import Enrollment, PEClass, Student
    from physed.services.roster_classes import set_teachers

    def make_class(in_school, name, grade):
        return PEClass.objects.create(
            school=in_school, name=name, school_year=2026, grade_from=grade, grade_to=grade, capacity=30
        )

    def make_student(in_school, first, last, pe_class, **extra):
        student = Student.objects.create(
            school=in_school,
            first_name=first,
            last_name=last,
            grade=5,
            date_of_birth=datetime.date(2015, 3, 1),
            **extra,
        )
        Enrollment.objects.create(pe_class=pe_class, student=student, start_date=datetime.date(2026, 8, 20))
        return student

    blue = make_class(school, "Grade 5 Blue", 5)
    red = make_class(school, "Grade 6 Red", 6)
    set_teachers(blue, [teacher])
    maya = make_student(school, "Maya", "Rodríguez", blue)
    liam = make_student(school, "Liam", "Chen", blue)
    noah = make_student(school, "Noah", "Smith", blue, preferred_name="Nono")
    ella = make_student(school, "Ella", "Brown", red)
    tests = shipped_tests()
    pacer = tests["pacer_20m"]
    spring = analytics_event(blue, window="Spring", date=datetime.date(2026, 3, 10), tests=[pacer])
    fall = analytics_event(blue, window="Fall", date=datetime.date(2026, 9, 15), tests=[pacer])
    for student, value, zone in ((maya, 30, "NI"), (liam, 40, "HFZ"), (noah, 20, "NI-HR")):
        analytics_result(spring, student, pacer, value, zone)
    for student, value, zone in ((maya, 45, "HFZ"), (liam, 42, "HFZ"), (noah, 21, "NI-HR")):
        analytics_result(fall, student, pacer, value, zone)
    world = SimpleNamespace(
        blue=blue, red=red, maya=maya, liam=liam, noah=noah, ella=ella, pacer=pacer, spring=spring, fall=fall
    )
    if other_school is not None:
        eagles = make_class(other_school, "Eagles Squad", 5)
        world.eagles = eagles
        world.zara = make_student(other_school, "Zara", "Quintero", eagles)
    return world

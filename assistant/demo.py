"""Demo data: the assistant (issue 9 "Demo data"); runs after memory's demo (app order).

* Northside gets a school persona "Coach Rivera" (coach tone, brief, emoji) — offered next to the
  built-ins but not made the school default (the built-in default stays).
* For ``teacher@<school>.demo`` and ``teacher2@<school>.demo`` in every demo school, two
  conversations made **through** ``post_message`` — so every reply is a real one from the
  configured provider over the demo data, with its intent, reasons, tool calls, citations and
  cards, audit rows and the memories it creates:
  1. "PACER and the heat": how their first class did on the PACER, then what to do at 95°F;
  2. "Notes for the assistant": "Remember that <class> loves relay races" (a memory).
  The PACER reply gets a thumbs up through ``record_feedback``.

Idempotent: a conversation with the same owner, school and title is left alone, and so is an
existing persona of that name.
"""

from django.db import transaction

from accounts.models import School, User
from accounts.selectors import has_school_perm
from assistant.models import Conversation, Persona
from assistant.services.conversations import post_message, start_conversation
from assistant.services.learning import record_feedback
from physed.demo_scale import base_only
from physed.models import PEClass

TEACHERS = ("teacher", "teacher2")
PERSONA_SCHOOL = "northside"
PERSONA = {"name": "Coach Rivera", "tone": "coach", "verbosity": "brief", "reading_level": "standard", "emoji": True}
CONVERSATIONS = (
    ("PACER and the heat", ("How did {cls} do on the PACER?", "What should I do with my class if it's 95°F?")),
    ("Notes for the assistant", ("Remember that {cls} loves relay races",)),
)


def seed_persona(school) -> Persona:
    """Coach Rivera for the school (created as the demo head of department would, else directly)."""
    persona = Persona.objects.filter(school=school, name=PERSONA["name"]).first()
    if persona is not None:
        return persona
    head = User.objects.filter(email=f"head@{school.slug}.demo", is_active=True).first()
    if head is not None and has_school_perm(head, "assistant.add_persona", school.pk):
        from assistant.services.personas import create_persona

        return create_persona(actor=head, school=school, **PERSONA)
    return Persona.objects.create(school=school, **PERSONA)


def seed_teacher(user, school) -> list[Conversation]:
    classes = base_only(PEClass.objects.filter(school=school, teachers=user, is_active=True))
    pe_class = classes.order_by("name", "pk").first()
    class_name = pe_class.name if pe_class else "my class"
    made = []
    for title, questions in CONVERSATIONS:
        if Conversation.objects.filter(owner=user, school=school, title=title).exists():
            continue
        conversation = start_conversation(actor=user, school=school, title=title)
        replies = [
            post_message(actor=user, conversation=conversation, text=question.format(cls=class_name))[1]
            for question in questions
        ]
        if title == CONVERSATIONS[0][0]:
            record_feedback(actor=user, message=replies[0], rating=1)
        made.append(conversation)
    return made


@transaction.atomic
def seed(context) -> None:
    schools = (context or {}).get("schools") or {school.slug: school for school in School.objects.all()}
    for slug, school in sorted(schools.items()):
        if slug == PERSONA_SCHOOL:
            seed_persona(school)
        for local in TEACHERS:
            user = User.objects.filter(email=f"{local}@{slug}.demo", is_active=True).first()
            if user is not None and has_school_perm(user, "assistant.use_assistant", school.pk):
                seed_teacher(user, school)

"""Demo data: what the assistant remembers about each demo teacher (issue 9 "Demo data").

For ``teacher@<school>.demo`` and ``teacher2@<school>.demo`` in every demo school, written through
``memory.services.memories`` (validated, search vector, audit):
* facts drawn from the roster: when and where each of their first two classes meets (linked to the
  class; the first one pinned), and one about their equipment;
* learned preferences: ``default_class`` (their first class), ``units`` = imperial,
  ``report_style`` = short;
* three episodes of past conversations, 5, 70 and 95 days ago — the older two are past
  ``MEMORY_CONSOLIDATE_AFTER_DAYS`` so the "Tidy up" page has something to consolidate.

``seed_demo --scale N`` adds the facts and episodes once more per scaled copy of the roster, in
bulk (``memory/demo_scale.py``).

Deterministic (text from the demo roster, in English like the roster) and idempotent: a memory
with the same owner, school, kind and text is left alone; preferences update in place.
"""

import datetime

from django.db import transaction
from django.utils import timezone, translation

from accounts.models import School, User
from accounts.selectors import school_ids_for
from memory.models import Memory, MemoryKind, MemorySource
from memory.services.memories import create_memory, set_preference
from physed.demo_scale import base_only
from physed.models import PEClass

TEACHERS = ("teacher", "teacher2")
EPISODES = (
    (5, "Asked how {cls} did on the PACER; looked at the zone counts and the students below the healthy zone."),
    (70, "Planned an outdoor lesson for {cls} on a hot afternoon; checked the heat guidance and added water breaks."),
    (95, "Checked attendance for {cls} after the holidays and noted who had missed more than two sessions."),
)


def _classes(user, school) -> list[PEClass]:
    return list(
        base_only(PEClass.objects.filter(school=school, teachers=user, is_active=True))
        .prefetch_related("meetings")
        .order_by("name", "pk")[:2]
    )


def _meets(pe_class) -> str:
    with translation.override("en"):
        days = [meeting.get_weekday_display() for meeting in sorted(pe_class.meetings.all(), key=lambda m: m.weekday)]
        place = pe_class.location or pe_class.get_space_display().lower()
    unique = list(dict.fromkeys(days))
    when = " and ".join([", ".join(unique[:-1]), unique[-1]] if len(unique) > 1 else unique) or "no fixed days"
    return f"{pe_class.name} meets on {when} in the {place}."


def _remember(user, school, content: str, *, kind=MemoryKind.FACT, days_ago: int = 0, **fields) -> Memory | None:
    if Memory.objects.filter(owner=user, school=school, kind=kind, content=content).exists():
        return None
    memory = create_memory(actor=user, school=school, content=content, kind=kind, **fields)
    if days_ago:
        when = timezone.now() - datetime.timedelta(days=days_ago)
        Memory.objects.filter(pk=memory.pk).update(created_at=when, last_accessed_at=when)
    return memory


def seed_teacher(user, school) -> None:
    classes = _classes(user, school)
    for index, pe_class in enumerate(classes):
        _remember(user, school, _meets(pe_class), pe_class=pe_class, importance=0.7, pinned=index == 0)
    _remember(
        user,
        school,
        "I keep the heart-rate monitors and the PACER audio in the equipment room; charge them on Mondays.",
        importance=0.4,
    )
    if classes:
        set_preference(actor=user, school=school, key="default_class", value=classes[0].name)
    set_preference(actor=user, school=school, key="units", value="imperial")
    set_preference(actor=user, school=school, key="report_style", value="short")
    for days_ago, text in EPISODES:
        if classes:
            _remember(
                user,
                school,
                text.format(cls=classes[-1].name if days_ago > 60 else classes[0].name),
                kind=MemoryKind.EPISODE,
                source=MemorySource.CONVERSATION,
                importance=0.3,
                days_ago=days_ago,
                pe_class=classes[-1] if days_ago > 60 else classes[0],
            )


@transaction.atomic
def seed(context) -> None:
    schools = (context or {}).get("schools") or {school.slug: school for school in School.objects.all()}
    for slug, school in sorted(schools.items()):
        for local in TEACHERS:
            user = User.objects.filter(email=f"{local}@{slug}.demo", is_active=True).first()
            if user is not None and school.pk in school_ids_for(user):
                seed_teacher(user, school)
    from memory import demo_scale  # seed_demo --scale N: the memories once more per copy, bulk

    demo_scale.seed(context)

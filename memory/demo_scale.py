"""Scale data (``seed_demo --scale N``): N× the demo memories per demo teacher, in bulk.

``memory.demo`` gives each demo teacher three facts (when and where their first two classes meet,
their equipment), three episodes and three preferences. For every scaled copy ``k`` ≥ 2 of the
roster (``physed/demo_scale.py``) each teacher gets the facts and episodes once more, about their
copy-``k`` classes (preferences stay one per key, as the services keep them): six memories per copy,
written with one ``bulk_create`` per run and one search-vector refresh
(``memory.services.memories.refresh_search_vectors``). Owner and school are the teacher's own; the
classes linked are the teacher's classes in that school. Idempotent like ``memory.demo``: a memory
with the same owner, school, kind and text is not written again.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import School, User
from accounts.selectors import school_ids_for
from memory.demo import EPISODES, TEACHERS, _meets
from memory.models import Memory, MemoryKind, MemorySource
from memory.services.memories import refresh_search_vectors
from physed.demo_scale import copy_tag
from physed.models import PEClass

EQUIPMENT = "For {cls} I keep the heart-rate monitors and the PACER audio in the equipment room; charge on Mondays."


def memories_for(user, school, copy: int, now) -> list[Memory]:
    """The unsaved memories of copy ``copy`` for ``user`` in ``school`` (none without classes)."""
    classes = list(
        PEClass.objects.filter(school=school, teachers=user, is_active=True, external_id__endswith=copy_tag(copy))
        .prefetch_related("meetings")
        .order_by("name", "pk")[:2]
    )
    if not classes:
        return []
    rows = [
        Memory(
            owner=user,
            school=school,
            content=_meets(pe_class),
            pe_class=pe_class,
            importance=0.7,
            created_at=now,
        )
        for pe_class in classes
    ]
    rows.append(Memory(owner=user, school=school, content=EQUIPMENT.format(cls=classes[0].name), importance=0.4))
    for days_ago, text in EPISODES:
        pe_class = classes[-1] if days_ago > 60 else classes[0]
        when = now - datetime.timedelta(days=days_ago)
        rows.append(
            Memory(
                owner=user,
                school=school,
                kind=MemoryKind.EPISODE,
                source=MemorySource.CONVERSATION,
                content=text.format(cls=pe_class.name),
                pe_class=pe_class,
                importance=0.3,
                created_at=when,
                last_accessed_at=when,
            )
        )
    return rows


@transaction.atomic
def seed(context) -> int:
    scale = int((context or {}).get("scale", 1))
    if scale < 2:
        return 0
    schools = (context or {}).get("schools") or {school.slug: school for school in School.objects.all()}
    now = timezone.now()
    rows = []
    for slug, school in sorted(schools.items()):
        for local in TEACHERS:
            user = User.objects.filter(email=f"{local}@{slug}.demo", is_active=True).first()
            if user is None or school.pk not in school_ids_for(user):
                continue
            have = set(Memory.objects.filter(owner=user, school=school).values_list("kind", "content"))
            for copy in range(2, scale + 1):
                rows += [row for row in memories_for(user, school, copy, now) if (row.kind, row.content) not in have]
    made = Memory.objects.bulk_create(rows, batch_size=1000)
    if made:
        refresh_search_vectors(Memory.objects.filter(pk__in=[memory.pk for memory in made]))
    return len(made)

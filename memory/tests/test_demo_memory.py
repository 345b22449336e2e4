"""Demo memories: per demo teacher facts from the roster (one pinned), the three learned
preferences and past episodes (two older than the consolidation age); seeding twice adds nothing."""

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from memory import demo
from memory.models import Memory, MemoryKind
from memory.selectors.memories import preferences
from physed import demo_roster

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_realistic():
    context = {}
    accounts_demo.seed(context)
    demo_roster.seed(context)
    demo.seed(context)
    from accounts.models import User

    teacher = User.objects.get(email="teacher@northside.demo")
    school = context["schools"]["northside"]
    mine = Memory.objects.filter(owner=teacher, school=school)
    assert 8 <= mine.count() <= 10
    assert preferences(teacher, school) == {"default_class": "PE 6", "units": "imperial", "report_style": "short"}
    facts = list(mine.filter(kind=MemoryKind.FACT, pe_class__isnull=False).order_by("content"))
    assert [fact.pe_class.name for fact in facts] == ["PE 6", "PE 7"]
    assert facts[0].content.startswith("PE 6 meets on ") and facts[0].pinned
    assert mine.filter(pinned=True).count() == 1
    old = timezone.now() - timezone.timedelta(days=60)
    assert mine.filter(kind=MemoryKind.EPISODE, created_at__lt=old).count() == 2
    assert mine.filter(kind=MemoryKind.EPISODE).count() == 3

    total = Memory.objects.count()
    assert Memory.objects.filter(owner__email="teacher2@southside.demo").count() >= 8
    demo.seed(context)
    assert Memory.objects.count() == total

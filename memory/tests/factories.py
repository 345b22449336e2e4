"""Memory factories (registered for the walkers): a memory in the given school owned by a new
member of that school, with the search vector written like the memory service does."""

import factory

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from memory.models import Memory, MemoryKind, MemorySource
from memory.services.memories import refresh_search_vectors
from tests.registry import register_owned_factory, register_scoped_factory

__all__ = ["MemoryFactory"]


class MemoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Memory
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    owner = factory.LazyAttribute(lambda memory: make_member(memory.school, Role.TEACHER))
    kind = MemoryKind.FACT
    content = factory.Sequence(lambda n: f"Grade 5 Blue runs the PACER on Fridays (note {n}).")
    importance = 0.5
    source = MemorySource.MANUAL

    @factory.post_generation
    def search_vector(obj, create, extracted, **kwargs):
        if create:
            refresh_search_vectors(Memory.objects.filter(pk=obj.pk))


register_scoped_factory(Memory, lambda school: MemoryFactory(school=school))
register_owned_factory(Memory, lambda school, owner: MemoryFactory(school=school, owner=owner))

"""Querysets and helpers shared by the assessments models."""

from accounts.visibility import ScopedQuerySet
from config.uploads import private_storage  # noqa: F401 - FileField storage; migrations name it here
from physed.models.library import LibraryQuerySet


class SchoolQuerySet(ScopedQuerySet):
    school_lookup = "school"


# shipped rows (no school) for every member, plus the school's own: the PE library's queryset
SharedOrSchoolQuerySet = LibraryQuerySet

"""Querysets and helpers shared by the assessments models."""

from accounts.visibility import ScopedQuerySet
from physed.models.library import LibraryQuerySet


class SchoolQuerySet(ScopedQuerySet):
    school_lookup = "school"


# shipped rows (no school) for every member, plus the school's own: the PE library's queryset
SharedOrSchoolQuerySet = LibraryQuerySet


def private_storage():
    """Private files (skill-assessment evidence): the ``privacy`` storage alias (never under
    MEDIA_URL); served only through permission-checked views."""
    from django.conf import settings
    from django.core.files.storage import storages

    return storages["privacy"] if "privacy" in settings.STORAGES else storages["default"]

"""Querysets and helpers shared by the assessments models."""

from django.db.models import Q

from accounts.visibility import ScopedQuerySet


class SchoolQuerySet(ScopedQuerySet):
    school_lookup = "school"


class SharedOrSchoolQuerySet(ScopedQuerySet):
    """Shipped rows (school empty) are visible to every member; a school's own to its members."""

    school_lookup = "school"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.selectors import school_ids_for

        return self.filter(Q(school__isnull=True) | Q(school__in=school_ids_for(user)))


def private_storage():
    """Private files (skill-assessment evidence): the ``privacy`` storage alias (never under
    MEDIA_URL); served only through permission-checked views."""
    from django.conf import settings
    from django.core.files.storage import storages

    return storages["privacy"] if "privacy" in settings.STORAGES else storages["default"]

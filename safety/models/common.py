"""Querysets and small helpers shared by the safety models."""

from django.db import models

from accounts.visibility import ScopedQuerySet


class SchoolQuerySet(ScopedQuerySet):
    """Rows owned by a school directly."""

    school_lookup = "school"


def private_storage():
    """Private files (medical action plans, incident attachments): the ``privacy`` storage alias
    (never under MEDIA_URL); served only through permission-checked views."""
    from django.conf import settings
    from django.core.files.storage import storages

    return storages["privacy"] if "privacy" in settings.STORAGES else storages["default"]


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

"""Querysets and small helpers shared by the safety models."""

from django.db import models

from accounts.visibility import ScopedQuerySet
from config.uploads import private_storage  # noqa: F401 - FileField storage; migrations name it here


class SchoolQuerySet(ScopedQuerySet):
    """Rows owned by a school directly."""

    school_lookup = "school"


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

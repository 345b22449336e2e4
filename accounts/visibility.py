"""The one visibility path (DESIGN.md §5).

Every school-owned model's manager is built from ``ScopedQuerySet`` and names the lookup from the
model to its school (``school_lookup``). ``visible_to(user)`` keeps only rows of schools where the
user has a current membership; platform superusers see everything. API viewsets and pages get
their querysets only through it, so another school's object is simply not found (404).
Models with finer rules (a student sees only their own record) override ``visible_to`` and call
``super()`` first.
"""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    school_lookup: str = "school"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.selectors import school_ids_for

        return self.filter(**{f"{self.school_lookup}__in": school_ids_for(user)})

    def in_school(self, school):
        return self.filter(**{self.school_lookup: school})


def school_of(obj):
    """The school an object belongs to, following its model's ``school_lookup``."""
    lookup = obj.__class__._default_manager.get_queryset().school_lookup
    if lookup == "pk":
        return obj
    current = obj
    for part in lookup.split("__"):
        current = getattr(current, part)
    return current

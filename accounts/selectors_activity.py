"""Reads for activity and analytics; every function takes the requesting user."""

from django.http import Http404

from accounts.models import ActivityEvent, School
from accounts.selectors import has_school_perm, school_ids_for, schools_where

ANALYTICS_PERM = "accounts.view_analytics"


def own_activity(user):
    """The user's own events (nobody else's, whatever their role), newest first."""
    if user is None or not user.is_authenticated:
        return ActivityEvent.objects.none()
    return ActivityEvent.objects.filter(user=user).select_related("school").order_by("-occurred_at", "-id")


def analytics_schools(user) -> list[School]:
    return list(School.objects.filter(pk__in=schools_where(user, ANALYTICS_PERM)).order_by("name"))


def can_view_analytics(user) -> bool:
    return bool(schools_where(user, ANALYTICS_PERM))


def analytics_school(user, school_id=None, *, preferred_id=None) -> School:
    """The school whose analytics the user asked for. Another school (or a malformed id) is a 404
    — never a 403 that would confirm it exists; a school of the user's own without the permission
    is a ``PermissionError`` (the caller answers 403)."""
    if school_id in (None, ""):
        permitted = schools_where(user, ANALYTICS_PERM)
        if not permitted:
            raise PermissionError
        chosen = preferred_id if preferred_id in permitted else permitted[0]
        return School.objects.get(pk=chosen)
    try:
        school_id = int(school_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not user.is_superuser and school_id not in school_ids_for(user):
        raise Http404
    school = School.objects.filter(pk=school_id).first()
    if school is None:
        raise Http404
    if not has_school_perm(user, ANALYTICS_PERM, school_id):
        raise PermissionError
    return school

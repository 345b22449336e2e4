"""Helpers shared by the session pages: fetch through ``visible_to`` (another school → 404) and
check the permission on the object (wrong role → 403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from accounts.permissions import allowed_on_object
from physed.models import ClassSession, PEClass, Student


def get_visible(request, queryset, pk, perm: str):
    obj = queryset.visible_to(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    if not allowed_on_object(request.user, perm, obj):
        raise PermissionDenied
    return obj


def session_for(request, pk, perm: str) -> ClassSession:
    return get_visible(request, ClassSession.objects.select_related("pe_class__school"), pk, perm)


def class_for(request, pk, perm: str) -> PEClass:
    return get_visible(request, PEClass.objects.select_related("school"), pk, perm)


def student_for(request, pk, perm: str = "physed.view_student") -> Student:
    return get_visible(request, Student.objects.select_related("school"), pk, perm)


def can(request, perm: str, obj) -> bool:
    return allowed_on_object(request.user, perm, obj, record=False)


def optional_url(name: str, *args) -> str | None:
    """A link to another area's page when that page exists (areas are built in parallel)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None

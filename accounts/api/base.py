"""The base every API viewset uses: querysets through ``visible_to``, permissions by role in the
object's school (and django-guardian object grants), personal data marked no-store.

A viewset names its model's queryset; ``get_queryset`` narrows it to what the user may see, so an
object of another school is 404 before any permission is checked. ``ScopedPermission`` then
decides 403 for a user of the right school without the role permission.
"""

from django.utils.cache import add_never_cache_headers
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import schools_where
from config.logging import user_id_var

ACTION_PERMS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}
METHOD_PERMS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def required_permission(view, request) -> str | None:
    """The codename an action needs: ``view.required_permissions[action]`` if given, else derived
    from the model (``app.view_model`` for reads, add/change/delete for writes)."""
    action = getattr(view, "action", None)
    explicit = getattr(view, "required_permissions", {})
    if action in explicit:
        return explicit[action]
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        return None
    verb = ACTION_PERMS.get(action) or METHOD_PERMS.get(request.method, "view")
    opts = queryset.model._meta
    return f"{opts.app_label}.{verb}_{opts.model_name}"


class ScopedPermission(permissions.IsAuthenticated):
    """Role permission in the object's school, or an object grant (guardian)."""

    object_actions = ("retrieve", "update", "partial_update", "destroy")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        perm = required_permission(view, request)
        if perm is None:
            return True
        if getattr(view, "detail", False) or getattr(view, "action", None) in self.object_actions:
            return True  # decided per object once it is found (or 404)
        return allowed_somewhere(request.user, perm)

    def has_object_permission(self, request, view, obj):
        perm = required_permission(view, request)
        if perm is None:
            return True
        return allowed_on_object(request.user, perm, obj)


def mark_no_store(response):
    """Personal data: a successful answer is never stored by a cache (errors carry no data)."""
    if response.status_code < 400:
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
    return response


class NoStoreMixin:
    """For views over one person's own data (memories, conversations): ``mark_no_store``."""

    def finalize_response(self, request, response, *args, **kwargs):
        return mark_no_store(super().finalize_response(request, response, *args, **kwargs))


class ScopedViewSetMixin:
    """Use for every viewset over school-owned data."""

    permission_classes = [ScopedPermission]
    personal_data = False  # True → Cache-Control: no-store

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated:
            user_id_var.set(str(request.user.pk))

    def get_queryset(self):
        queryset = self.scope_queryset(super().get_queryset())
        if getattr(self, "action", None) == "list":
            queryset = self.restrict_to_permitted_schools(queryset)
        return queryset

    def scope_queryset(self, queryset):
        """Visibility: rows of the user's schools only (override for finer rules, call super)."""
        return queryset.visible_to(self.request.user)

    def restrict_to_permitted_schools(self, queryset):
        """A list shows rows only from schools where the user holds the list permission, so a
        teacher in one school who is a student in another never lists the other's staff data."""
        user = self.request.user
        perm = required_permission(self, self.request)
        if perm is None or user.is_superuser:
            return queryset
        return queryset.filter(**{f"{queryset.school_lookup}__in": schools_where(user, perm)})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return mark_no_store(response) if self.personal_data else response


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedRetrieveUpdateViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "patch", "head", "options"]


def call_service(fn, **kwargs):
    """Runs a service and turns its ``ServiceError`` into the API's 400/403/409/429 in the error shape."""
    from rest_framework.exceptions import PermissionDenied, ValidationError

    from accounts.services.errors import ServiceError

    try:
        return fn(**kwargs)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message, code=exc.code) from exc
        if exc.status == 429:
            from rest_framework.exceptions import Throttled

            raise Throttled(wait=getattr(exc, "retry_after", None), detail=exc.message) from exc
        if exc.status == 409:
            from config.api.errors import Conflict

            raise Conflict(
                exc.message, code=exc.code, extra=getattr(exc, "extra", {}), field=exc.field or "non_field_errors"
            ) from exc
        raise ValidationError({exc.field or "non_field_errors": [exc.message]}, code=exc.code) from exc


def resolve_school(user, perm: str, school=None):
    """The school an API write without an object targets (``accounts.services.schools``): the
    one given (403 without ``perm`` there), else the only school where the user holds ``perm``."""
    from accounts.services.schools import school_for_write

    return call_service(school_for_write, actor=user, perm=perm, school=school)


class ServiceBackedViewSet(ScopedModelViewSet):
    """A viewset whose writes go through the area's services: ``create_service(actor=, school=,
    **fields)``, ``update_service(actor=, <spec_name>=obj, **fields)``, ``delete_service(actor=,
    <spec_name>=obj)``. ``serializer_classes`` picks the serializer per action (else
    ``detail_serializer_class``); write responses are the detail serializer over
    ``detail_queryset`` (a selector)."""

    serializer_classes: dict = {}
    detail_serializer_class = None
    spec_name = ""
    detail_queryset = staticmethod(lambda queryset: queryset)

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, self.detail_serializer_class)

    def _detail(self, item):
        fresh = self.detail_queryset(type(item).objects.filter(pk=item.pk)).get()
        return self.detail_serializer_class(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = data.pop("school", None)
        item = call_service(self.create_service, actor=request.user, school=school, **data)
        return Response(self._detail(item), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        item = call_service(
            self.update_service, actor=request.user, **{self.spec_name: instance}, **serializer.validated_data
        )
        return Response(self._detail(item))

    def perform_destroy(self, instance):
        call_service(self.delete_service, actor=self.request.user, **{self.spec_name: instance})

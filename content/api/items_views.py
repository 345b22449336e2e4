"""API for content items, their attachments and lesson schedules. Thin: find the object through
the visibility rule (another school's is 404, same school without rights is 403), call the
service (``call_service`` turns a stale edit into a 409 with the changes in ``fields``), serialize.
Students need no permission to read: they list and open what ``visible_to`` gives them."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.base import ScopedModelViewSet, ScopedViewSetMixin, call_service, resolve_school
from content.api import items_serializers as s
from content.api.items_filters import ItemFilter
from content.models import ContentAttachment, ContentItem, LessonSchedule
from content.selectors import items as sel
from content.selectors.access import can_edit, can_manage, can_view
from content.services import attachments as attachment_services
from content.services import scheduling
from content.services.items import create_item, delete_item, update_item
from content.services.views import record_view
from content.views_items_files import attachment_response
from physed.api.fields import update_body_schema

TAGS = ["content-items"]
ADD_PERM = sel.ADD_PERM


def _require(user, item, need: str) -> None:
    allowed = {
        "view": can_view,
        "edit": lambda u, i: can_edit(u, i) or can_manage(u, i),
        "manage": can_manage,
    }[need](user, item)
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))


@extend_schema_view(
    list=extend_schema(
        tags=TAGS, summary="List the content items you may see", responses=s.ItemListSerializer(many=True)
    ),
    retrieve=extend_schema(tags=TAGS, summary="One content item (records a view)"),
    create=extend_schema(tags=TAGS, summary="Write a content item (version 1)"),
    update=extend_schema(tags=TAGS, summary="Edit an item from a base version (stale → 409 with the changes since)"),
    partial_update=extend_schema(
        tags=TAGS, summary="Edit an item from a base version (stale → 409 with the changes since)"
    ),
    destroy=extend_schema(tags=TAGS, summary="Delete an item with its versions and files (owner or manager)"),
)
@update_body_schema(s.ItemSerializer, "school")
class ItemViewSet(ScopedModelViewSet):
    queryset = ContentItem.objects.all()
    serializer_class = s.ItemSerializer
    filterset_class = ItemFilter
    search_fields = ["title"]
    ordering_fields = ["title", "updated_at", "created_at", "published_at"]
    ordering = ["-updated_at", "pk"]
    required_permissions = {
        "list": None,
        "retrieve": None,
        "create": ADD_PERM,
        "update": None,
        "partial_update": None,
        "destroy": None,
        "attachments": None,
        "schedules": None,
    }
    object_needs = {"update": "edit", "partial_update": "edit", "destroy": "manage"}

    def scope_queryset(self, queryset):
        user = self.request.user
        if self.action == "list":
            return sel.list_queryset(queryset.visible_to(user))
        return sel.detail_queryset(queryset.in_user_schools(user))

    def get_serializer_class(self):
        return s.ItemListSerializer if self.action == "list" else s.ItemSerializer

    def get_object(self):
        item = super().get_object()
        need = self.object_needs.get(self.action, "view")
        if self.action in ("attachments", "schedules") and self.request.method == "POST":
            need = "edit"
        _require(self.request.user, item, need)
        return item

    def _detail(self, item, code=status.HTTP_200_OK):
        fresh = sel.detail_queryset(ContentItem.objects.filter(pk=item.pk)).get()
        return Response(s.ItemSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        record_view(request.user, item)
        return Response(self.get_serializer(item).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        school = resolve_school(request.user, ADD_PERM, data.pop("school", None))
        item = call_service(create_item, actor=request.user, school=school, **data)
        return self._detail(item, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        if not hasattr(request.data, "get") or request.data.get("version") in (None, ""):
            raise ValidationError({"version": [_("Say which version your edit started from.")]})
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        base_version = data.pop("version")
        data.pop("school", None)
        item = call_service(
            update_item,
            actor=request.user,
            item=instance,
            base_version=base_version,
            change_note=data.pop("change_note", ""),
            co_authors=data.pop("co_authors", None),
            **data,
        )
        return self._detail(item)

    def perform_destroy(self, instance):
        call_service(delete_item, actor=self.request.user, item=instance)

    @extend_schema(
        tags=TAGS,
        methods=["GET"],
        summary="List an item's attachments",
        responses={200: s.AttachmentSerializer(many=True)},
    )
    @extend_schema(
        tags=TAGS,
        methods=["POST"],
        summary="Attach a file (PDF, PNG, JPEG or MP4; checked by its bytes and size)",
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.AttachmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser], pagination_class=None)
    def attachments(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            rows = item.attachments.select_related("uploaded_by").order_by("created_at", "pk")
            return Response(s.AttachmentSerializer(rows, many=True, context={"request": request}).data)
        serializer = s.AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = call_service(
            attachment_services.add_attachment, actor=request.user, item=item, upload=serializer.validated_data["file"]
        )
        return Response(
            s.AttachmentSerializer(attachment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=TAGS,
        methods=["GET"],
        summary="The sessions a lesson plan is scheduled into",
        responses={200: s.ScheduleSerializer(many=True)},
    )
    @extend_schema(
        tags=TAGS,
        methods=["POST"],
        summary="Schedule a lesson plan into a session of a class you teach",
        request=s.ScheduleCreateSerializer,
        responses={201: s.ScheduleSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser], pagination_class=None)
    def schedules(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            return Response(s.ScheduleSerializer(sel.schedules_for_item(request.user, item), many=True).data)
        serializer = s.ScheduleCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        schedule = call_service(
            scheduling.schedule_lesson, actor=request.user, item=item, session=serializer.validated_data["session"]
        )
        return Response(s.ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(tags=TAGS, summary="One attachment's details"),
    destroy=extend_schema(tags=TAGS, summary="Delete an attachment (edit rights on the item)"),
)
class AttachmentViewSet(
    ScopedViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    queryset = ContentAttachment.objects.all()
    serializer_class = s.AttachmentSerializer
    required_permissions = {"retrieve": None, "destroy": None, "download": None}

    def scope_queryset(self, queryset):
        return queryset.visible_to(self.request.user).select_related("item__school", "uploaded_by")

    def get_object(self):
        attachment = super().get_object()
        _require(self.request.user, attachment.item, "edit" if self.action == "destroy" else "view")
        return attachment

    def perform_destroy(self, instance):
        call_service(attachment_services.delete_attachment, actor=self.request.user, attachment=instance)

    @extend_schema(
        tags=TAGS,
        summary="Download an attachment (private, audit-logged, never cached)",
        # served with the type its bytes were checked as on upload (attachment_services.KINDS)
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY)
            for content_type in attachment_services.CONTENT_TYPES
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return attachment_response(request.user, self.get_object())


@extend_schema_view(destroy=extend_schema(tags=TAGS, summary="Remove a lesson plan from a session"))
class ScheduleViewSet(ScopedViewSetMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    queryset = LessonSchedule.objects.all()
    serializer_class = s.ScheduleSerializer
    required_permissions = {"destroy": None}

    def scope_queryset(self, queryset):
        return queryset.visible_to(self.request.user).select_related("item__school", "session")

    def get_object(self):
        schedule = super().get_object()
        _require(self.request.user, schedule.item, "view")
        return schedule

    def perform_destroy(self, instance):
        call_service(scheduling.unschedule_lesson, actor=self.request.user, schedule=instance)

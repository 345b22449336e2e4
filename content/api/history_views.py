"""History API of a content item: its versions (list, one with the snapshot), the diff between
two versions and restoring a version as a new one.

Object scoping as everywhere in content: the item is found with ``in_user_schools`` (another
school's item is a 404), then ``can_view`` decides (403); restoring needs edit rights, which
``restore_version`` checks (403) along with the base version (409 with the changes since).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, call_service
from content.api import history_serializers as s
from content.models import ContentVersion
from content.selectors import history as selectors
from content.selectors.access import rights
from content.services.items import restore_version

TAGS = ["content-history"]
ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The content item's id.")
NUMBER = OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH, description="The version number.")
VERSION_PARAMS = [
    OpenApiParameter(
        name,
        {"type": "integer", "minimum": 1, "maximum": selectors.MAX_VERSION},
        OpenApiParameter.QUERY,
        required=False,
        description=description,
    )
    for name, description in (
        ("from", "The older side's version number (default: the one before `to`)."),
        ("to", "The newer side's version number (default: the current version)."),
    )
]


class _ItemHistoryBase(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = ContentVersion.objects.all()
    required_permissions = {"list": None, "retrieve": None, "diff": None, "restore": None}
    filter_backends: list = []

    def item(self):
        return selectors.viewable_item(self.request.user, self.kwargs["item_id"])


@extend_schema(tags=TAGS, parameters=[ITEM_ID])
class ItemVersionViewSet(_ItemHistoryBase):
    """The versions of an item, newest first (whoever may view the item)."""

    serializer_class = s.HistoryVersionSerializer

    def get_serializer_class(self):
        return s.HistoryVersionDetailSerializer if self.action == "retrieve" else s.HistoryVersionSerializer

    @extend_schema(summary="The item's versions, newest first, each with the fields it changed")
    def list(self, request, item_id=None):
        item = self.item()
        page = self.paginate_queryset(selectors.versions_of(request.user, item))
        versions = selectors.with_changed_fields(request.user, item, page)
        return self.get_paginated_response(s.HistoryVersionSerializer(versions, many=True).data)

    @extend_schema(parameters=[NUMBER], summary="One version of the item with its snapshot")
    def retrieve(self, request, item_id=None, number=None):
        item = self.item()
        version = selectors.version_of(request.user, item, int(number))
        selectors.with_changed_fields(request.user, item, [version])
        return Response(s.HistoryVersionDetailSerializer(version).data)


@extend_schema(tags=TAGS, parameters=[ITEM_ID])
class ItemHistoryActionsViewSet(_ItemHistoryBase):
    """Diff two versions; restore one as a new version."""

    pagination_class = None
    serializer_class = s.HistoryDiffSerializer

    @extend_schema(
        parameters=VERSION_PARAMS,
        responses={200: s.HistoryDiffSerializer},
        summary="Field-by-field changes from one version to another (line diff for summary and body)",
    )
    def diff(self, request, item_id=None):
        item = self.item()
        try:
            old, new = selectors.diff_pair(
                request.user, item, request.query_params.get("from"), request.query_params.get("to")
            )
        except selectors.BadVersionParameter as exc:
            raise ValidationError({exc.param: [exc.message]}, code="invalid") from exc
        data = {"from": old.number, "to": new.number, "changes": selectors.diff_versions(old, new)}
        return Response(s.HistoryDiffSerializer(data).data)

    @extend_schema(
        request=s.HistoryRestoreSerializer,
        responses={201: s.HistoryVersionDetailSerializer, 200: s.HistoryVersionDetailSerializer},
        summary="Restore a version as a new version (201); 200 with the current version when nothing differs; "
        "409 with the changes since when `version` is not the current version",
    )
    def restore(self, request, item_id=None):
        item = self.item()
        if not rights(request.user, item)["edit"]:
            raise PermissionDenied(_("You may not edit this item."))
        body = s.HistoryRestoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        number, base = body.validated_data["number"], body.validated_data["version"]
        if not item.versions.filter(number=number).exists():
            raise ValidationError({"number": [_("This item has no version %(number)d.") % {"number": number}]})
        restored = call_service(restore_version, actor=request.user, item=item, number=number, base_version=base)
        created = restored.version != base
        version = selectors.version_of(request.user, restored, restored.version)
        selectors.with_changed_fields(request.user, restored, [version])
        return Response(
            s.HistoryVersionDetailSerializer(version).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

"""Sharing, comment and copy API under /api/v1/content/.

* ``items/{id}/shares/`` GET (the shares) / POST (share, idempotent) and
  ``items/{id}/shares/remove/`` POST — the item's owner or a manager (``can_manage``);
* ``items/{id}/comments/`` GET (paginated) / POST — anyone who can see the item;
* ``comments/{id}/`` DELETE — the comment's author, or the item's owner or a manager;
* ``items/{id}/fork/`` POST → 201 with the copy — a viewer who may create items in the school.
The item is found in the user's schools first (another school's item is 404), then the rights
decide (403). Writes go through the services via ``call_service`` (400/403 in the error shape).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, call_service
from accounts.models import User
from accounts.selectors import has_school_perm
from content.api import sharing_serializers as s
from content.models import ContentComment, ContentItem
from content.selectors.access import can_manage, can_view
from content.selectors.sharing import comments_queryset, shares_of
from content.services import comments as comment_services
from content.services import forks as fork_services
from content.services import sharing as services
from physed.models import PEClass

TAGS = ["content-sharing"]
ADD_PERM = "content.add_contentitem"


class _ItemRoutes(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = ContentItem.objects.select_related("school", "owner")
    filter_backends: list = []
    personal_data = True

    def scope_queryset(self, queryset):
        return queryset.in_user_schools(self.request.user)

    def item(self, *, manage=False) -> ContentItem:
        item = self.get_object()
        allowed = can_manage(self.request.user, item) if manage else can_view(self.request.user, item)
        if not allowed:
            raise PermissionDenied(
                _("Only the owner or a department head can share this item.")
                if manage
                else _("You cannot see this item.")
            )
        return item


def _targets(item: ContentItem, data: dict) -> dict:
    """Ids to rows. Unknown ids answer like ids of another school (no probing)."""
    audience = data["audience"]
    if audience == "user":
        if data.get("user") is None:
            raise ValidationError({"user": [_("Choose the person to share with.")]})
        user = User.objects.filter(pk=data["user"]).first()
        if user is None:
            raise ValidationError({"user": [_("This person is not in this school.")]})
        return {"user": user}
    if audience == "class":
        if data.get("pe_class") is None:
            raise ValidationError({"pe_class": [_("Choose the class to share with.")]})
        pe_class = PEClass.objects.filter(pk=data["pe_class"], school=item.school_id).first()
        if pe_class is None:
            raise ValidationError({"pe_class": [_("Choose a class of this school.")]})
        return {"pe_class": pe_class}
    return {}


class ItemSharesViewSet(_ItemRoutes):
    serializer_class = s.ShareSerializer
    required_permissions = {"shares": None, "share": None, "remove": None}
    pagination_class = None

    @extend_schema(tags=TAGS, summary="Who the item is shared with", responses=s.ShareSerializer(many=True))
    def shares(self, request, pk=None):
        return Response(s.ShareSerializer(shares_of(self.item(manage=True)), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Share the item with a person, a class or the school (again: updates the rights)",
        request=s.ShareWriteSerializer,
        responses={200: s.ShareResultSerializer, 201: s.ShareResultSerializer},
    )
    def share(self, request, pk=None):
        item = self.item(manage=True)
        payload = s.ShareWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = call_service(
            services.share,
            actor=request.user,
            item=item,
            audience=data["audience"],
            can_edit=data.get("can_edit", False),
            **_targets(item, data),
        )
        code = status.HTTP_201_CREATED if result["created"] else status.HTTP_200_OK
        return Response(s.ShareResultSerializer(result).data, status=code)

    @extend_schema(
        tags=TAGS,
        summary="Stop sharing the item with a person, a class or the school",
        request=s.ShareRemoveSerializer,
        responses=s.ShareRemovedSerializer,
    )
    def remove(self, request, pk=None):
        item = self.item(manage=True)
        payload = s.ShareRemoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        removed = call_service(
            services.unshare, actor=request.user, item=item, audience=data["audience"], **_targets(item, data)
        )
        return Response({"removed": removed})


class ItemCommentsViewSet(_ItemRoutes):
    serializer_class = s.CommentSerializer
    required_permissions = {"comments": None, "add_comment": None}

    @extend_schema(tags=TAGS, summary="The item's comments, oldest first", responses=s.CommentSerializer(many=True))
    def comments(self, request, pk=None):
        item = self.item()
        page = self.paginate_queryset(comments_queryset(request.user, item))
        return self.get_paginated_response(s.CommentSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Comment on the item (@mentions notify people who can see it)",
        request=s.CommentWriteSerializer,
        responses={201: s.CommentCreatedSerializer},
    )
    def add_comment(self, request, pk=None):
        item = self.item()
        payload = s.CommentWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = call_service(comment_services.add_comment, actor=request.user, item=item, **payload.validated_data)
        return Response(s.CommentCreatedSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = ContentComment.objects.select_related("item", "item__school", "author")
    serializer_class = s.CommentSerializer
    required_permissions = {"destroy": None}
    filter_backends: list = []
    personal_data = True

    @extend_schema(tags=TAGS, summary="Delete a comment (its author, or the item's owner or a manager)")
    def destroy(self, request, pk=None):
        comment = self.get_object()
        call_service(comment_services.delete_comment, actor=request.user, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemForkViewSet(_ItemRoutes):
    serializer_class = s.ForkResultSerializer
    required_permissions = {"fork": None}

    @extend_schema(
        tags=TAGS,
        summary="Copy the item into my library as a draft",
        request=s.ForkWriteSerializer,
        responses={201: s.ForkResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def fork(self, request, pk=None):
        item = self.item()
        if not has_school_perm(request.user, ADD_PERM, item.school_id):
            raise PermissionDenied(_("You cannot create items in this school."))
        payload = s.ForkWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        copy = call_service(fork_services.fork_item, actor=request.user, item=item, **payload.validated_data)
        return Response(s.ForkResultSerializer(copy).data, status=status.HTTP_201_CREATED)

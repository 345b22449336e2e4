"""Content API: the category tree, the tag vocabulary, tag suggestions and bulk tagging.
Thin: parse, find the row through the visibility path, call the service, serialize."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.base import ScopedModelViewSet, ScopedViewSetMixin, call_service, resolve_school
from accounts.permissions import allowed_somewhere
from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from content.api import taxonomy_serializers as s
from content.models import Category, ContentTag
from content.models.visibility import MANAGE_PERM, VIEW_PERM
from content.selectors import taxonomy as sel
from content.selectors.taxonomy_suggestions import suggest_for_item, suggest_tags
from content.services import categories as services
from content.services import tags as tag_services
from content.services.tags_bulk import bulk_tag
from physed.api.fields import update_body_schema

TAGS = ["content-taxonomy"]


class CategoryFilter(ScopedFilterSet):
    parent = IdFilter(field_name="parent", label=_("parent category id"))
    root = StrictBooleanFilter(field_name="parent", lookup_expr="isnull", label=_("only top-level categories"))

    class Meta:
        model = Category
        fields = ["school"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List categories as flat rows (path, depth, visible item count)"),
    retrieve=extend_schema(tags=TAGS, summary="One category"),
    create=extend_schema(tags=TAGS, summary="Create a category (under a parent)"),
    update=extend_schema(tags=TAGS, summary="Rename, reorder or move a category (parent)"),
    partial_update=extend_schema(tags=TAGS, summary="Rename, reorder or move a category (parent)"),
    destroy=extend_schema(
        tags=TAGS,
        summary="Delete a category (its items lose the category)",
        parameters=[
            OpenApiParameter(
                "children",
                OpenApiTypes.STR,
                enum=[services.CHILDREN_REFUSE, services.CHILDREN_MOVE_UP],
                description="A category with subcategories is refused unless move_up moves them to its parent.",
            )
        ],
    ),
)
@update_body_schema(s.CategorySerializer, "school")
class CategoryViewSet(ScopedModelViewSet):
    queryset = Category.objects.select_related("school")
    serializer_class = s.CategorySerializer
    filterset_class = CategoryFilter
    ordering_fields = ["path", "name", "position", "depth"]
    ordering = ["path", "pk"]
    required_permissions = {"list": VIEW_PERM, "retrieve": VIEW_PERM}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["item_counts"] = getattr(self, "_item_counts", {})
        return context

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self._item_counts = sel.subtree_item_counts(request.user, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, category, code=status.HTTP_200_OK):
        fresh = Category.objects.get(pk=category.pk)
        self._item_counts = sel.subtree_item_counts(self.request.user, [fresh])
        return Response(self.get_serializer(fresh).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent = data.pop("parent", None)
        school = data.pop("school", None)
        if school is None and parent is None:
            school = resolve_school(request.user, services.ADD_PERM)
        category = call_service(services.create_category, actor=request.user, school=school, parent=parent, **data)
        return self._detail(category, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("school", None)
        category = call_service(services.update_category, actor=request.user, category=instance, **data)
        return self._detail(category)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        children = request.query_params.get("children", services.CHILDREN_REFUSE)
        call_service(services.delete_category, actor=request.user, category=instance, children=children)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TagFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("name starts with"))

    class Meta:
        model = ContentTag
        fields = ["school"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__startswith=tag_services.normalize(value)) if value else queryset


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="The tag vocabulary with visible item counts (?q= prefix search)"),
    retrieve=extend_schema(tags=TAGS, summary="One tag"),
    partial_update=extend_schema(
        tags=TAGS, summary="Rename a tag (managers; no new item versions)", request=s.TagRenameSerializer
    ),
    destroy=extend_schema(tags=TAGS, summary="Delete a tag from the vocabulary and its items (managers)"),
)
class TagViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ContentTag.objects.select_related("school")
    serializer_class = s.TagSerializer
    filterset_class = TagFilter
    ordering_fields = ["name", "item_count"]
    ordering = ["name", "pk"]
    http_method_names = ["get", "patch", "post", "delete", "head", "options"]
    required_permissions = {
        "list": VIEW_PERM,
        "retrieve": VIEW_PERM,
        "partial_update": MANAGE_PERM,
        "destroy": MANAGE_PERM,
        "merge": MANAGE_PERM,
    }

    def scope_queryset(self, queryset):
        return sel.with_item_counts(queryset.visible_to(self.request.user), self.request.user)

    def partial_update(self, request, *args, **kwargs):
        tag = self.get_object()
        serializer = s.TagRenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if "name" in serializer.validated_data:
            call_service(tag_services.rename_tag, actor=request.user, tag=tag, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=tag.pk)).data)

    def perform_destroy(self, instance):
        call_service(tag_services.delete_tag, actor=self.request.user, tag=instance)

    @extend_schema(
        tags=TAGS,
        summary="Merge this tag into another (its items are re-tagged; managers)",
        request=s.TagMergeSerializer,
        responses={200: s.TagMergeResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        source = self.get_object()
        serializer = s.TagMergeSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        target = serializer.validated_data["into"]
        moved = call_service(tag_services.merge_tags, actor=request.user, source=source, target=target)
        fresh = self.get_queryset().get(pk=target.pk)
        return Response({"tag": s.TagSerializer(fresh).data, "items_retagged": moved})


class _StaffOnly(IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and allowed_somewhere(request.user, VIEW_PERM)


class TagSuggestView(APIView):
    permission_classes = [_StaffOnly]

    @extend_schema(
        tags=TAGS,
        summary="Suggest existing tags for an item or a draft, ranked with reasons",
        request=s.SuggestRequestSerializer,
        responses={200: s.SuggestionSerializer(many=True)},
    )
    def post(self, request):
        serializer = s.SuggestRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = data.get("item")
        if item is not None:
            rows = suggest_for_item(request.user, item, limit=data["limit"])
        else:
            school = resolve_school(request.user, VIEW_PERM, data.get("school"))
            rows = suggest_tags(
                request.user,
                school,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                tags=data["tags"],
                limit=data["limit"],
            )
        return Response(s.SuggestionSerializer(rows, many=True).data)


class BulkTagView(APIView):
    permission_classes = [_StaffOnly]

    @extend_schema(
        tags=TAGS,
        summary="Add and/or remove tags on several items (each changed item gets a new version)",
        request=s.BulkTagRequestSerializer,
        responses={200: s.BulkTagResultSerializer},
    )
    def post(self, request):
        serializer = s.BulkTagRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = call_service(
            bulk_tag, actor=request.user, item_ids=data["items"], add=data["add"], remove=data["remove"]
        )
        return Response(result.as_dict())

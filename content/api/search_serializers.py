"""Search and discovery API: result rows, facets and the documented response shapes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from content.forms_search import MAX_OWNER_DIGITS, MAX_TAG_FILTERS
from content.models import ContentKind, ContentLanguage, ContentStatus
from content.selectors.search import MAX_QUERY_LENGTH
from content.services.tags import MAX_TAG_LENGTH
from physed.models.library import GradeBand
from physed.models.roster import GRADE_CHOICES

MAX_LIMIT = 20
GRADES = [grade for grade, _label in GRADE_CHOICES]

# Every parameter is optional and a blank one (``?kind=``) counts as not given.
SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        description=_("Words to search (web-search syntax on PostgreSQL: quotes, or, -word)."),
    ),
    OpenApiParameter("kind", str, enum=ContentKind.values, description=_("Item type.")),
    OpenApiParameter(
        "grade",
        {"type": "integer", "minimum": min(GRADES), "maximum": max(GRADES)},
        description=_("Items whose grade range includes this grade (0 = kindergarten)."),
    ),
    OpenApiParameter("grade_band", str, enum=GradeBand.values, description=_("Items overlapping this grade band.")),
    OpenApiParameter(
        "category",
        int,
        description=_("A category id; its subcategories are included (an unknown id finds nothing)."),
    ),
    OpenApiParameter(
        "tag",
        {
            "type": "array",
            "items": {"type": "string", "maxLength": MAX_TAG_LENGTH},
            "maxItems": MAX_TAG_FILTERS,
        },
        explode=True,
        description=_("Tag names; an item must have every one."),
    ),
    OpenApiParameter("standard", int, description=_("A PE standard id (an unknown id finds nothing).")),
    OpenApiParameter(
        "owner",
        {"type": "string", "pattern": rf"^([Mm][Ee]|[0-9]{{1,{MAX_OWNER_DIGITS}}})?$"},
        description=_('A user id, or "me".'),
    ),
    OpenApiParameter(
        "status", str, enum=ContentStatus.values, description=_("Default: draft and published (not archived).")
    ),
    OpenApiParameter("shared", bool, description=_("Only items that reach me through someone else.")),
    OpenApiParameter("language", str, enum=ContentLanguage.values),
]
LIMIT_PARAMETER = OpenApiParameter(
    "limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, description=_("How many (default 5).")
)


class ItemSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=ContentKind.choices)
    status = serializers.ChoiceField(choices=ContentStatus.choices)
    language = serializers.CharField()
    grade_min = serializers.IntegerField()
    grade_max = serializers.IntegerField()
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.SerializerMethodField()
    category = serializers.IntegerField(source="category_id", allow_null=True)
    updated_at = serializers.DateTimeField()

    def get_owner_name(self, item) -> str:
        owner = item.owner
        return (owner.get_full_name() or owner.email) if owner else ""


class SearchResultSerializer(ItemSummarySerializer):
    rank = serializers.FloatField()
    snippet = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField(), source="tag_names")
    category_name = serializers.CharField(allow_blank=True)


class ValueCountSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class IdNameCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()


class NameCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    """Counted over the whole result (every filter and the text query applied)."""

    kind = ValueCountSerializer(many=True)
    status = ValueCountSerializer(many=True)
    language = ValueCountSerializer(many=True)
    grade_band = ValueCountSerializer(many=True)
    category = IdNameCountSerializer(many=True, help_text=_("Top-level categories; subcategories count in them."))
    tag = NameCountSerializer(many=True, help_text=_("The 20 most used tags."))
    standard = IdNameCountSerializer(many=True)
    owner = IdNameCountSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Matching items."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchResultSerializer(many=True)
    facets = FacetsSerializer()


class RelatedSerializer(serializers.Serializer):
    item = ItemSummarySerializer()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class RecentSerializer(serializers.Serializer):
    item = ItemSummarySerializer()
    last_viewed_at = serializers.DateTimeField()
    view_count = serializers.IntegerField()


class PopularSerializer(ItemSummarySerializer):
    recent_viewers = serializers.IntegerField(help_text=_("Distinct viewers in the last 30 days."))
    total_views = serializers.IntegerField()

"""Filter set for feedback lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assessments.models import Feedback, FeedbackKind, FeedbackVisibility
from config.api.filters import IdFilter, ScopedFilterSet


class FeedbackFilter(ScopedFilterSet):
    student = IdFilter(field_name="student__id", label=_("student"))
    skill_assessment = IdFilter(field_name="skill_assessment__id", label=_("skill assessment"))
    session = IdFilter(field_name="session__id", label=_("session"))
    test_event = IdFilter(field_name="test_event__id", label=_("test event"))
    kind = django_filters.ChoiceFilter(choices=FeedbackKind.choices, label=_("kind"))
    visibility = django_filters.ChoiceFilter(choices=FeedbackVisibility.choices, label=_("visibility"))

    class Meta:
        model = Feedback
        fields = ["student", "skill_assessment", "session", "test_event", "kind", "visibility"]

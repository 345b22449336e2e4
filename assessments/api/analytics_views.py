"""Fitness analytics API: a class's dashboard numbers and a school's. Teachers read the classes
they teach; department heads and school admins every class and the school. Another school's class
is 404. Body-composition tests only for ``assessments.view_body_composition``."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin
from accounts.models import School
from accounts.selectors import schools_where
from assessments.api import analytics_serializers as s
from assessments.models import FitnessTest
from assessments.selectors import analytics as selectors
from physed.models import PEClass

TAGS = ["assessments-analytics"]


def parse_filters(request, serializer_class, school) -> selectors.Filters:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    test = None
    if "test" in data:
        test = FitnessTest.objects.visible_to(request.user).filter(pk=data["test"]).first()
        if test is None or (test.school_id not in (None, school.pk)):
            raise ValidationError({"test": [_("No fitness test with this id.")]})
    return selectors.Filters(
        start=data.get("from"),
        end=data.get("to"),
        school_year=data.get("school_year"),
        term=data.get("term", ""),
        grade=data.get("grade"),
        test=test,
        pre_window=data.get("pre_window", ""),
        post_window=data.get("post_window", ""),
    )


class ClassFitnessAnalyticsViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``GET /api/v1/assessments/analytics/classes/{id}/``."""

    queryset = PEClass.objects.select_related("school")
    serializer_class = s.FitnessAnalyticsSerializer
    required_permissions = {"retrieve": selectors.VIEW}
    personal_data = True
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        tags=TAGS,
        summary="Fitness analytics of a class: HFZ shares, pre/post, distribution, attendance vs performance",
        parameters=[s.FitnessAnalyticsQuerySerializer],
    )
    def retrieve(self, request, *args, **kwargs):
        pe_class = self.get_object()
        if not selectors.can_view_class(request.user, pe_class):
            raise PermissionDenied(_("You can see the analytics of the classes you teach."))
        filters = parse_filters(request, s.FitnessAnalyticsQuerySerializer, pe_class.school)
        result = selectors.analytics(
            pe_class=pe_class,
            filters=filters,
            body_composition=selectors.can_view_body_composition(request.user, pe_class.school),
        )
        return Response(s.FitnessAnalyticsSerializer(result).data)


class SchoolFitnessAnalyticsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """``GET /api/v1/assessments/analytics/school/`` (``?school=`` when the user has several)."""

    queryset = School.objects.all()
    serializer_class = s.FitnessAnalyticsSerializer
    required_permissions = {"school": selectors.VIEW}
    personal_data = True
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        tags=TAGS,
        summary="Fitness analytics of a school (department heads and school admins)",
        parameters=[s.FitnessSchoolAnalyticsQuerySerializer],
        responses=s.FitnessAnalyticsSerializer,
    )
    def school(self, request, *args, **kwargs):
        user = request.user
        permitted = (
            School.objects.all()
            if user.is_superuser
            else School.objects.filter(pk__in=schools_where(user, selectors.VIEW))
        )
        wanted = request.query_params.get("school")
        if wanted:
            try:
                school = permitted.filter(pk=int(wanted)).first()
            except ValueError:
                school = None
            if school is None:
                raise ValidationError({"school": [_("No school with this id.")]})
        else:
            school = permitted.order_by("pk").first()
        if school is None or not selectors.can_view_school(user, school):
            raise PermissionDenied(_("School analytics are for department heads and school admins."))
        filters = parse_filters(request, s.FitnessSchoolAnalyticsQuerySerializer, school)
        result = selectors.analytics(
            school=school, filters=filters, body_composition=selectors.can_view_body_composition(user, school)
        )
        return Response(s.FitnessAnalyticsSerializer(result).data)

"""API for progress reports: staff list/filter/retrieve/edit, publish/unpublish, generate one,
the PDF; report batches (202 + job to poll); students'/guardians' published reports in their
language. Thin: parse, authorize, call the service, serialize."""

import django_filters
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, call_service
from assessments.api import reports_serializers as s
from assessments.models import ProgressReport, ReportBatch, ReportStatus
from assessments.selectors import reports as selectors
from assessments.services import reports as services
from assessments.services.reports_pdf import render_pdf
from config.api.filters import IdFilter, ScopedFilterSet
from physed.models import Term

TAGS = ["assessments-reports"]


class ProgressReportFilter(ScopedFilterSet):
    pe_class = IdFilter(field_name="pe_class__id", label=_("class"))
    student = IdFilter(field_name="student__id", label=_("student"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("status"))
    term = django_filters.ChoiceFilter(choices=Term.choices, label=_("term"))

    class Meta:
        model = ProgressReport
        fields = ["pe_class", "student", "status", "term", "school_year"]


def _pdf_response(request, report, staff: bool) -> HttpResponse:
    from assessments.views_reports import _print_context

    pdf = render_pdf(_print_context(request, report, staff))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"progress-report-{report.student.last_name}-{report.term}-{report.school_year}".lower().replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The report as PDF")}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Progress reports (filter by class, student, status, term, school year)"),
    retrieve=extend_schema(tags=TAGS, summary="One progress report with its numbers and texts"),
    partial_update=extend_schema(
        tags=TAGS,
        request=s.ProgressReportUpdateSerializer,
        responses=s.ProgressReportSerializer,
        summary="Edit the evaluation (English/Spanish) or the teacher comment of a draft",
    ),
)
class ProgressReportViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff: every report of their schools, drafts included."""

    queryset = ProgressReport.objects.select_related("student__school", "pe_class", "published_by")
    serializer_class = s.ProgressReportSerializer
    filterset_class = ProgressReportFilter
    ordering_fields = ["period_end", "school_year", "term", "status", "published_at", "generated_at"]
    ordering = ["-period_end", "student__last_name", "pk"]
    search_fields = ["student__first_name", "student__last_name"]
    personal_data = True
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions = {
        "list": services.VIEW,
        "retrieve": services.VIEW,
        "partial_update": services.CHANGE,
        "publish": services.PUBLISH,
        "unpublish": services.PUBLISH,
        "generate": services.ADD,
        "pdf": services.VIEW,
    }

    def get_serializer_class(self):
        if self.action == "list":
            return s.ProgressReportListSerializer
        if self.action == "partial_update":
            return s.ProgressReportUpdateSerializer
        return s.ProgressReportSerializer

    def _detail(self, report, code=status.HTTP_200_OK):
        fresh = self.queryset.get(pk=report.pk)
        return Response(s.ProgressReportSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise ValidationError({"non_field_errors": ["Use PATCH."]})
        report = self.get_object()
        body = s.ProgressReportUpdateSerializer(report, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        call_service(services.update_report, actor=request.user, report=report, **body.validated_data)
        return self._detail(report)

    @extend_schema(tags=TAGS, request=None, responses=s.ProgressReportSerializer, summary="Publish a draft report")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        report = self.get_object()
        call_service(services.publish_report, actor=request.user, report=report)
        return self._detail(report)

    @extend_schema(
        tags=TAGS,
        request=s.UnpublishSerializer,
        responses=s.ProgressReportSerializer,
        summary="Take a published report back to draft",
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        report = self.get_object()
        body = s.UnpublishSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        call_service(
            services.unpublish_report, actor=request.user, report=report, reason=body.validated_data.get("reason", "")
        )
        return self._detail(report)

    @extend_schema(
        tags=TAGS,
        request=s.GenerateReportSerializer,
        responses={201: s.ProgressReportSerializer, 200: s.ProgressReportSerializer},
        summary="Generate (or refresh) one student's draft report for a class and term",
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        body = s.GenerateReportSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        existed = ProgressReport.objects.filter(
            student=data["student"], pe_class=data["pe_class"], school_year=data["school_year"], term=data["term"]
        ).exists()
        report = call_service(services.generate_report, actor=request.user, **data)
        return self._detail(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(tags=TAGS, responses=PDF_RESPONSE, summary="The report as a PDF (attachment)")
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = self.get_object()
        return _pdf_response(request, report, staff=True)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Report generation jobs"),
    retrieve=extend_schema(tags=TAGS, summary="One report generation job: status, progress 0–100, result_url"),
    create=extend_schema(
        tags=TAGS,
        request=s.ReportBatchCreateSerializer,
        responses={202: s.ReportBatchSerializer},
        summary="Generate the reports of a whole class (background job; poll the job)",
    ),
)
class ReportBatchViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ReportBatch.objects.select_related("pe_class__school")
    serializer_class = s.ReportBatchSerializer
    ordering_fields = ["created_at", "status"]
    ordering = ["-created_at"]
    required_permissions = {"list": services.VIEW, "retrieve": services.VIEW, "create": services.ADD}

    def create(self, request, *args, **kwargs):
        body = s.ReportBatchCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        batch = call_service(services.request_batch, actor=request.user, **body.validated_data)
        batch.refresh_from_db()
        return Response(s.ReportBatchSerializer(batch, context=self.get_serializer_context()).data, status=202)


LANG_PARAM = OpenApiParameter(
    "lang", str, enum=["en", "es"], required=False, description="Language of the evaluation (else Accept-Language)"
)


@extend_schema_view(
    list=extend_schema(tags=TAGS, parameters=[LANG_PARAM], summary="My (or my child's) published reports"),
    retrieve=extend_schema(tags=TAGS, parameters=[LANG_PARAM], summary="One published report in my language"),
)
class MyReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Students and guardians: published reports of the students they are linked to. The
    evaluation is in ``?lang=`` or the request's language (Accept-Language / preferences)."""

    serializer_class = s.MyReportSerializer
    permission_classes = [IsAuthenticated]
    queryset = ProgressReport.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        return selectors.my_reports(self.request.user)

    def language(self) -> str:
        wanted = self.request.query_params.get("lang")
        if wanted:  # "?lang=" (empty) means no choice: the request's language
            if wanted not in ("en", "es"):
                raise ValidationError({"lang": ["Use en or es."]})
            return wanted
        return "es" if (translation.get_language() or "en").startswith("es") else "en"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and not getattr(self, "swagger_fake_view", False):
            context["report_language"] = self.language()
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(tags=TAGS, parameters=[LANG_PARAM], responses=PDF_RESPONSE, summary="The report as a PDF")
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = self.get_object()
        lang = self.language()
        with translation.override(lang):
            return _pdf_response(request, report, staff=False)

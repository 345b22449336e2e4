"""Privacy API: export my data (and a member's, for a guardian request), jobs and downloads,
erasure requests and their approval, roster import, retention policies and their dry run."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin, call_service
from accounts.api.privacy_serializers import (
    DataExportJobSerializer,
    ErasureDecisionSerializer,
    ErasureRequestCreateSerializer,
    ErasureRequestSerializer,
    ImportReportSerializer,
    ImportRequestSerializer,
    MemberExportSerializer,
    RetentionPolicyCreateSerializer,
    RetentionPolicySerializer,
    RetentionPolicyUpdateSerializer,
    RetentionReportRowSerializer,
)
from accounts.models import DataExportJob, ErasureRequest, Membership, RetentionPolicy, School, User
from accounts.selectors import has_school_perm, school_ids_for, schools_where
from accounts.services import privacy as service
from accounts.services.errors import ServiceError
from config.api.filters import WHOLE_NUMBER

EXPORT_PERM = "accounts.export_member_data"
ERASURE_PERM = "accounts.approve_erasure"
IMPORT_PERM = "accounts.import_people"
RETENTION_PERM = "accounts.manage_retention"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(tags=["privacy"])
class MyExportView(APIView):
    """Export all my personal data: answers 202 with a job to poll."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={202: DataExportJobSerializer})
    def post(self, request):
        job = service.request_export(actor=request.user, subject=request.user)
        job.refresh_from_db()
        data = DataExportJobSerializer(job, context={"request": request}).data
        return _no_store(Response(data, status=status.HTTP_202_ACCEPTED))


@extend_schema(tags=["privacy"])
class MemberExportView(APIView):
    """A school admin exports a member's (e.g. a student's) data for a guardian request.
    Someone outside the admin's schools is a 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MemberExportSerializer, responses={202: DataExportJobSerializer})
    def post(self, request, pk):
        body = MemberExportSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        shared = set(
            Membership.objects.filter(user_id=pk, school_id__in=school_ids_for(request.user)).values_list(
                "school_id", flat=True
            )
        )
        if not shared:
            raise Http404
        permitted = shared & set(schools_where(request.user, EXPORT_PERM))
        wanted = body.validated_data.get("school")
        if wanted is not None:
            if wanted not in shared:
                raise Http404
            permitted &= {wanted}
        if not permitted:
            raise PermissionDenied()
        subject = get_object_or_404(User, pk=pk)
        job = service.request_export(actor=request.user, subject=subject, school=School.objects.get(pk=min(permitted)))
        job.refresh_from_db()
        data = DataExportJobSerializer(job, context={"request": request}).data
        return _no_store(Response(data, status=status.HTTP_202_ACCEPTED))


@extend_schema(tags=["privacy"])
class ExportJobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My export jobs: status, progress and the download link when done. Others' jobs are 404."""

    queryset = DataExportJob.objects.all()
    serializer_class = DataExportJobSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return DataExportJob.objects.visible_to(self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return _no_store(response) if response.status_code < 400 else response

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if not job.is_downloadable:
            raise Http404
        service.record_download(actor=request.user, job=job)
        response = FileResponse(job.archive.open("rb"), as_attachment=True, filename=f"personal-data-{job.pk}.zip")
        response["Content-Type"] = "application/zip"
        return _no_store(response)


@extend_schema(tags=["privacy"])
class MyErasureRequestViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """My erasure requests: ask for my data to be erased (a school admin approves)."""

    queryset = ErasureRequest.objects.none()
    serializer_class = ErasureRequestSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return ErasureRequest.objects.filter(subject=self.request.user).prefetch_related("ledger")

    @extend_schema(request=ErasureRequestCreateSerializer, responses={201: ErasureRequestSerializer})
    def create(self, request, *args, **kwargs):
        body = ErasureRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        school = None
        if "school" in body.validated_data:
            school = School.objects.visible_to(request.user).filter(pk=body.validated_data["school"]).first()
            if school is None:
                raise Http404
        try:
            erasure = service.request_erasure(
                requester=request.user,
                subject=request.user,
                school=school,
                reason=body.validated_data.get("reason", ""),
            )
        except ServiceError as exc:
            if exc.code == "duplicate":
                raise Conflict(exc.message) from exc
            raise ValidationError({exc.field or "non_field_errors": [exc.message]}, code=exc.code) from exc
        return Response(ErasureRequestSerializer(erasure).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["privacy"])
class ErasureRequestViewSet(ScopedReadOnlyViewSet):
    """Erasure requests of my schools, for school admins to approve or refuse."""

    queryset = ErasureRequest.objects.select_related("school").prefetch_related("ledger")
    serializer_class = ErasureRequestSerializer
    personal_data = True
    required_permissions = {
        "list": ERASURE_PERM,
        "retrieve": ERASURE_PERM,
        "approve": ERASURE_PERM,
        "refuse": ERASURE_PERM,
    }

    @extend_schema(request=ErasureDecisionSerializer, responses={200: ErasureRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        erasure = self.get_object()
        body = ErasureDecisionSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        erasure = call_service(
            service.approve_erasure, actor=request.user, erasure=erasure, note=body.validated_data.get("note", "")
        )
        return Response(self.get_serializer(ErasureRequest.objects.get(pk=erasure.pk)).data)

    @extend_schema(request=ErasureDecisionSerializer, responses={200: ErasureRequestSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        erasure = self.get_object()
        body = ErasureDecisionSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        erasure = call_service(
            service.refuse_erasure, actor=request.user, erasure=erasure, note=body.validated_data.get("note", "")
        )
        return Response(self.get_serializer(erasure).data)


@extend_schema(tags=["privacy"])
class PeopleImportView(APIView):
    """Roster/staff CSV import into a school: a dry run (default) reports per-row errors and a
    summary; ``dry_run=false`` writes, only if the whole file is valid. Never a 500 for a bad file."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ImportRequestSerializer}, responses={200: ImportReportSerializer})
    def post(self, request, school_id):
        school = School.objects.visible_to(request.user).filter(pk=school_id).first()
        if school is None:
            raise Http404
        if not has_school_perm(request.user, IMPORT_PERM, school.pk):
            raise PermissionDenied()
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        report = service.import_people(
            actor=request.user,
            school=school,
            data=upload.read(),
            dry_run=body.validated_data["dry_run"],
        )
        return _no_store(Response(ImportReportSerializer(report.as_dict()).data))


@extend_schema(tags=["privacy"])
class RetentionPolicyViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """How long each school keeps each category of personal data, and what the nightly task would
    delete now (``report``, a dry run)."""

    queryset = RetentionPolicy.objects.select_related("school")
    serializer_class = RetentionPolicySerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_permissions = {
        action_name: RETENTION_PERM
        for action_name in ("list", "retrieve", "create", "partial_update", "update", "destroy", "report")
    }

    @extend_schema(request=RetentionPolicyCreateSerializer, responses={201: RetentionPolicySerializer})
    def create(self, request, *args, **kwargs):
        body = RetentionPolicyCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        school = body.validated_data["school"]
        if not has_school_perm(request.user, RETENTION_PERM, school.pk):
            raise PermissionDenied()
        policy = call_service(
            service.set_retention_policy,
            actor=request.user,
            school=school,
            category=body.validated_data["category"],
            keep_days=body.validated_data["keep_days"],
        )
        return Response(RetentionPolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RetentionPolicyUpdateSerializer, responses={200: RetentionPolicySerializer})
    def partial_update(self, request, *args, **kwargs):
        policy = self.get_object()
        body = RetentionPolicyUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        policy = call_service(
            service.set_retention_policy,
            actor=request.user,
            school=policy.school,
            category=policy.category,
            keep_days=body.validated_data["keep_days"],
        )
        return Response(RetentionPolicySerializer(policy).data)

    def perform_destroy(self, instance):
        service.delete_retention_policy(actor=self.request.user, policy=instance)

    @extend_schema(
        parameters=[OpenApiParameter("school", int, required=False)],
        responses={200: RetentionReportRowSerializer(many=True)},
    )
    # a plain list (one row per kind of data and school), never paginated
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def report(self, request):
        schools = School.objects.filter(pk__in=schools_where(request.user, RETENTION_PERM))
        wanted = request.query_params.get("school", "").strip()
        if wanted:
            # an id of a school the caller cannot manage finds nothing; text that is no id is a 400
            if not WHOLE_NUMBER.fullmatch(wanted):
                raise ValidationError({"school": [_("Enter a whole number.")]})
            schools = schools.filter(pk=int(wanted)) if abs(int(wanted)) < 2**63 else schools.none()
        plan = service.retention_plan(schools=schools)
        rows = [{**{k: v for k, v in item.items() if k != "queryset"}, "school": item["school"].pk} for item in plan]
        return _no_store(Response(RetentionReportRowSerializer(rows, many=True).data))

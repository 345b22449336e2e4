"""Roster import API: the only roster views that take multipart (files); everything else is JSON.
A dry run (default) answers the report; ``dry_run=false`` applies the valid rows and answers the
same report with ``applied: true``. Unreadable files, bad headers and over-size files are a 400."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.base import call_service
from accounts.services.errors import ServiceError
from physed.api.roster_import_serializers import (
    CsvImportRequestSerializer,
    OneRosterImportRequestSerializer,
    RosterImportReportSerializer,
)
from physed.api.roster_views import resolve_school
from physed.models import RosterImportKind
from physed.services import roster_import
from physed.services.roster_import_jobs import run_import

IMPORT_PERM = "physed.import_roster"


def _read(upload, name: str) -> bytes:
    limit = roster_import.settings()["max_file_bytes"]
    if upload.size > limit:
        raise ServiceError(
            _("%(name)s is larger than %(size)s MB.") % {"name": name, "size": limit // 2**20},
            field=name,
            code="file_too_large",
        )
    return upload.read()


class _ImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    request_serializer: type
    kind: str

    def files(self, data) -> dict[str, bytes]:
        raise NotImplementedError

    def import_options(self, data) -> dict:
        # not ``options``: that name is APIView's handler of the OPTIONS method
        return {}

    def post(self, request):
        body = self.request_serializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        school = resolve_school(request.user, IMPORT_PERM, data.get("school"))
        files = call_service(self.files, data=data)
        report = call_service(
            run_import,
            actor=request.user,
            school=school,
            kind=self.kind,
            files=files,
            options=self.import_options(data),
            dry_run=data["dry_run"],
        )
        response = Response(RosterImportReportSerializer(report.as_dict()).data)
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(
    tags=["roster"],
    request={"multipart/form-data": CsvImportRequestSerializer},
    responses={200: RosterImportReportSerializer},
)
class CsvImportView(_ImportView):
    """Students from any CSV, with a column mapping (JSON) from our fields to your headers."""

    request_serializer = CsvImportRequestSerializer
    kind = RosterImportKind.CSV

    def files(self, data):
        return {"file": _read(data["file"], "file")}

    def import_options(self, data):
        return {"mapping": data["mapping"]} if "mapping" in data else {}


@extend_schema(
    tags=["roster"],
    request={"multipart/form-data": OneRosterImportRequestSerializer},
    responses={200: RosterImportReportSerializer},
)
class OneRosterImportView(_ImportView):
    """OneRoster 1.1 CSV: a zip (``file``) or ``users``, ``classes``, ``enrollments`` (and
    optionally ``demographics``) as separate files. Idempotent by ``sourcedId``."""

    request_serializer = OneRosterImportRequestSerializer
    kind = RosterImportKind.ONEROSTER

    def files(self, data):
        files = {}
        if "file" in data:
            files["zip"] = _read(data["file"], "file")
        for name in ("users", "classes", "enrollments", "demographics"):
            if name in data:
                files[name] = _read(data[name], name)
        return files

    def import_options(self, data):
        return {"school_year": data["school_year"]} if "school_year" in data else {}

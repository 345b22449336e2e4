"""API: roster (mounted under /api/v1/physed/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from physed.api import roster_import_views, roster_views

router = SimpleRouter()
router.register("students", roster_views.StudentViewSet, basename="physed-student")
router.register("guardianships", roster_views.GuardianshipViewSet, basename="physed-guardianship")
router.register("classes", roster_views.PEClassViewSet, basename="physed-class")
router.register("enrollments", roster_views.EnrollmentViewSet, basename="physed-enrollment")

urlpatterns = [
    path("me/students/", roster_views.MyStudentsView.as_view(), name="physed-my-students"),
    path("imports/csv/", roster_import_views.CsvImportView.as_view(), name="physed-import-csv"),
    path("imports/oneroster/", roster_import_views.OneRosterImportView.as_view(), name="physed-import-oneroster"),
    *router.urls,
]

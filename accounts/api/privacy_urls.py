"""API routes; included from accounts/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import privacy_views

router = SimpleRouter()
router.register("jobs", privacy_views.ExportJobViewSet, basename="privacy-job")
router.register("me/erasure-requests", privacy_views.MyErasureRequestViewSet, basename="my-erasure-request")
router.register("erasure-requests", privacy_views.ErasureRequestViewSet, basename="erasure-request")
router.register("retention-policies", privacy_views.RetentionPolicyViewSet, basename="retention-policy")

urlpatterns = [
    path("me/export/", privacy_views.MyExportView.as_view(), name="my-export"),
    path("users/<int:pk>/export/", privacy_views.MemberExportView.as_view(), name="member-export"),
    path("schools/<int:school_id>/imports/people/", privacy_views.PeopleImportView.as_view(), name="people-import"),
    *router.urls,
]

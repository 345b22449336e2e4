"""API routes; included from accounts/api/urls.py."""

from rest_framework.routers import SimpleRouter

from accounts.api.audit_views import AuditEventViewSet

router = SimpleRouter()
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns: list = [*router.urls]

"""API routes for roles and permissions; included from accounts/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import rbac_views

router = SimpleRouter()
router.register("memberships", rbac_views.MembershipViewSet, basename="membership")
router.register("roles", rbac_views.CustomRoleViewSet, basename="custom-role")
router.register("role-assignments", rbac_views.RoleAssignmentViewSet, basename="role-assignment")
router.register("permission-stats", rbac_views.PermissionStatViewSet, basename="permission-stat")

urlpatterns = [
    path("permissions/", rbac_views.PermissionCatalogueView.as_view(), name="permission-catalogue"),
    path("permissions/check/", rbac_views.PermissionCheckView.as_view(), name="permission-check"),
    path("me/permissions/", rbac_views.MyPermissionsView.as_view(), name="my-permissions"),
    *router.urls,
]

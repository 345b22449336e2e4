"""Roles and permissions API: the catalogue, my permissions, batch checks, memberships, custom roles,
their assignments and permission analytics."""

from django.apps import apps
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet, call_service
from accounts.api.rbac_serializers import (
    CatalogueEntrySerializer,
    CustomRoleSerializer,
    MembershipSerializer,
    PermissionCheckRequestSerializer,
    PermissionCheckResponseSerializer,
    PermissionDecisionStatSerializer,
    RoleAssignmentSerializer,
    SchoolPermissionsSerializer,
)
from accounts.models import CustomRole, Membership, PermissionDecisionStat, RoleAssignment, School
from accounts.permissions import allowed_on_object
from accounts.roles import CATALOGUE, roles_holding
from accounts.selectors import has_perm_in_any_school, has_school_perm, school_access_for
from accounts.services import rbac
from accounts.visibility import school_of
from config.api.schema import update_body_schema


@extend_schema(tags=["permissions"])
class PermissionCatalogueView(generics.ListAPIView):
    """Every permission codename a role can hold, with the built-in roles that hold it."""

    serializer_class = CatalogueEntrySerializer

    filter_backends: list = []

    def get_queryset(self):
        return [
            {"codename": codename, "area": str(area), "description": str(text), "roles": roles_holding(codename)}
            for codename, (area, text) in sorted(CATALOGUE.items())
        ]


@extend_schema(tags=["permissions"])
class MyPermissionsView(APIView):
    """My effective permissions in each school: built-in roles, custom roles and codenames."""

    @extend_schema(responses=SchoolPermissionsSerializer(many=True))
    def get(self, request):
        access = school_access_for(request.user)
        slugs = dict(School.objects.filter(pk__in=access).values_list("pk", "slug"))
        rows = [
            {
                "school": school_id,
                "school_slug": slugs[school_id],
                "roles": sorted(item.roles),
                "custom_roles": list(item.custom_roles),
                "permissions": sorted(item.permissions),
            }
            for school_id, item in sorted(access.items())
        ]
        response = Response(SchoolPermissionsSerializer(rows, many=True).data)
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(
    tags=["permissions"], request=PermissionCheckRequestSerializer, responses=PermissionCheckResponseSerializer
)
class PermissionCheckView(generics.GenericAPIView):
    """Batch check: for each {permission, school?, object?: {type, id}} → allowed.
    An object the user cannot see is simply not allowed (no hint that it exists)."""

    serializer_class = PermissionCheckRequestSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = []
        for check in serializer.validated_data["checks"]:
            perm = check["permission"]
            if "object" in check:
                allowed = self._object_allowed(request.user, perm, check["object"], check.get("school"))
            elif "school" in check:
                allowed = has_school_perm(request.user, perm, check["school"])
            else:
                allowed = has_perm_in_any_school(request.user, perm)
            results.append({**check, "allowed": allowed})
        return Response({"results": results})

    @staticmethod
    def _object_allowed(user, perm, target, school_id) -> bool:
        model = apps.get_model(target["type"])
        obj = model.objects.visible_to(user).filter(pk=target["id"]).first()
        if obj is None or (school_id is not None and school_of(obj).pk != school_id):
            return False
        return allowed_on_object(user, perm, obj, record=False)


@extend_schema(tags=["permissions"])
@update_body_schema(MembershipSerializer, "school", "email")
class MembershipViewSet(ScopedModelViewSet):
    """Who holds which role in the user's schools. School admins add, change and remove members,
    never granting a role with more than they hold; the last school admin stays."""

    queryset = Membership.objects.select_related("user", "school").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.active().select_related("custom_role"))
    )
    serializer_class = MembershipSerializer
    personal_data = True
    filterset_fields = ["role", "school", "school__slug", "user"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    ordering_fields = ["user__email", "role", "valid_from", "valid_until"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = call_service(
            rbac.add_membership,
            actor=self.request.user,
            school=data["school"],
            user=data["user"],
            role=data["role"],
            valid_from=data.get("valid_from"),
            valid_until=data.get("valid_until"),
        )

    def perform_update(self, serializer):
        serializer.instance = call_service(
            rbac.change_membership,
            actor=self.request.user,
            membership=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        call_service(rbac.remove_membership, actor=self.request.user, membership=instance)


@extend_schema(tags=["permissions"])
class CustomRoleViewSet(ScopedModelViewSet):
    """Custom roles a school defines from the catalogue."""

    queryset = CustomRole.objects.select_related("school").prefetch_related("assignments")
    serializer_class = CustomRoleSerializer
    filterset_fields = ["school"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "updated_at"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = call_service(
            rbac.create_custom_role,
            actor=self.request.user,
            school=data["school"],
            name=data["name"],
            description=data.get("description", ""),
            permissions=data["permissions"],
        )

    def perform_update(self, serializer):
        serializer.instance = call_service(
            rbac.update_custom_role, actor=self.request.user, role=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        call_service(rbac.delete_custom_role, actor=self.request.user, role=instance)


@extend_schema(tags=["permissions"])
class RoleAssignmentViewSet(ScopedModelViewSet):
    """Custom roles given to members, optionally until a date."""

    queryset = RoleAssignment.objects.select_related("membership__user", "membership__school", "custom_role")
    serializer_class = RoleAssignmentSerializer
    filterset_fields = ["custom_role", "membership"]
    ordering_fields = ["created_at", "valid_until"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = call_service(
            rbac.assign_custom_role,
            actor=self.request.user,
            membership=data["membership"],
            custom_role=data["custom_role"],
            valid_until=data.get("valid_until"),
        )

    def perform_update(self, serializer):
        serializer.instance = call_service(
            rbac.change_assignment,
            actor=self.request.user,
            assignment=serializer.instance,
            valid_until=serializer.validated_data.get("valid_until", serializer.instance.valid_until),
        )

    def perform_destroy(self, instance):
        call_service(rbac.unassign_custom_role, actor=self.request.user, assignment=instance)


@extend_schema(tags=["permissions"])
class PermissionStatViewSet(ScopedReadOnlyViewSet):
    """Allowed/denied decision counts per day, permission and role (permission analytics)."""

    queryset = PermissionDecisionStat.objects.all()
    serializer_class = PermissionDecisionStatSerializer
    filterset_fields = ["school", "permission", "role", "day"]
    ordering_fields = ["day", "allowed", "denied"]

"""Bench-only views: the baselines that ratios are measured against."""

from django.http import JsonResponse
from rest_framework import generics
from rest_framework.permissions import AllowAny

from accounts.api.rbac_views import MembershipViewSet


def bare_json(request):
    """The cheapest possible Django JSON response on the same server."""
    return JsonResponse({"ok": True})


class OpenMembershipList(generics.ListAPIView):
    """The memberships list with authentication, permissions and scoping switched off: same
    queryset (one school), serializer and pagination."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = MembershipViewSet.serializer_class

    def get_queryset(self):
        return MembershipViewSet.queryset.filter(school__slug="northside")

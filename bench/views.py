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
    queryset (one school), serializer, pagination, filters, search and ordering — so the ratio
    holds only what authorization costs, not the filter set's (a django-filter form per request)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = MembershipViewSet.serializer_class
    filter_backends = MembershipViewSet.filter_backends
    filterset_fields = MembershipViewSet.filterset_fields
    search_fields = MembershipViewSet.search_fields
    ordering_fields = MembershipViewSet.ordering_fields

    def get_queryset(self):
        return MembershipViewSet.queryset.filter(school__slug="northside")

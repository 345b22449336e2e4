"""A deliberately broken API used only by ``test_walkers_catch_broken``: it skips the visibility
path (leaks other schools) and serializes with an N+1 query per row."""

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from accounts.api.base import ScopedViewSetMixin
from accounts.models import Membership


class LeakySerializer(serializers.ModelSerializer):
    email = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "role", "email"]

    def get_email(self, obj) -> str:
        return Membership.objects.get(pk=obj.pk).user.email  # one query per row, twice


class LeakyMembershipViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = Membership.objects.all()
    serializer_class = LeakySerializer
    permission_classes = [IsAuthenticated]  # and no role check either

    def get_queryset(self):  # bypasses visible_to: the bug the walkers must catch
        return Membership.objects.all()


router = SimpleRouter()
router.register("leaky-memberships", LeakyMembershipViewSet, basename="leaky")

urlpatterns = [path("api/v1/", include(router.urls))]

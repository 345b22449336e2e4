"""Sessions ("devices"), security monitoring and lockouts.

* ``/me/sessions/``: the caller's own active sessions; revoking someone else's is a 404.
* ``/security/flagged-sessions/``: flagged sessions of the members of the caller's schools
  (``accounts.view_usersession``; revoking needs ``accounts.change_usersession``).
* ``/lockouts/``: current lockouts of members of the caller's schools (``accounts.unlock_user``).

Platform staff see and act on everything. A person outside all of the caller's schools is a 404,
a shared school without the permission a 403 (``accounts.selectors_security``).
"""

from django.contrib.auth import logout
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, filters, mixins, status
from rest_framework.response import Response

from accounts import selectors_security as security
from accounts.api.auth_serializers import FlaggedSessionSerializer, LockoutSerializer, UserSessionSerializer
from accounts.api.auth_views import AuthView
from accounts.api.authentication import current_session_id
from accounts.models import UserSession
from accounts.services import lockout as lockout_service
from accounts.services import sessions as session_service


class SessionAPIView(AuthView):
    throttle_scope = None  # ordinary reads and writes: the global user rate applies


def _raise_for(decision):
    if decision.outcome == security.MISSING:
        raise Http404
    if decision.outcome == security.FORBIDDEN:
        raise exceptions.PermissionDenied()


class _ListMixin(mixins.ListModelMixin):
    """Paginated list (and typed as one in the schema)."""

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(tags=["sessions"], summary="My active sessions (devices)")
class MySessionListView(_ListMixin, SessionAPIView):
    """The caller's active sessions, most recently used first; ``current`` marks this one."""

    serializer_class = UserSessionSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["last_seen_at", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UserSession.objects.none()
        return security.own_sessions(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_session_id": current_session_id(self.request)}


@extend_schema(tags=["sessions"], request=None, responses={204: None}, summary="End one of my sessions")
class MySessionDetailView(SessionAPIView):
    """Ends one of the caller's sessions (this one included). Anyone else's is a 404."""

    serializer_class = UserSessionSerializer

    def delete(self, request, pk: int):
        session = security.own_sessions(request.user).filter(pk=pk).first()
        if session is None:
            raise Http404
        session_service.revoke_session(
            session=session,
            actor=request.user,
            reason=session_service.Reason.REVOKED_BY_USER,
            school=session_service.primary_school_of(request.user),
        )
        if request.auth is None and session.pk == current_session_id(request):
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["security"], summary="Flagged sessions of my schools' members")
class FlaggedSessionListView(_ListMixin, SessionAPIView):
    """Active sessions that security monitoring flagged: the browser or app changed mid-session,
    a sign-in after a burst of failures, or use from many networks."""

    serializer_class = FlaggedSessionSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["flagged_at", "last_seen_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UserSession.objects.none()
        return security.flagged_sessions_for(self.request.user)

    def check_permissions(self, request):
        super().check_permissions(request)
        if not security.may_use(request.user, security.VIEW_SESSIONS):
            raise exceptions.PermissionDenied()


@extend_schema(tags=["security"], request=None, responses={204: None}, summary="End a flagged session")
class FlaggedSessionRevokeView(SessionAPIView):
    serializer_class = FlaggedSessionSerializer

    def post(self, request, pk: int):
        session, decision = security.flagged_session_for_action(request.user, pk)
        _raise_for(decision)
        session_service.revoke_session(
            session=session,
            actor=request.user,
            reason=session_service.Reason.REVOKED_BY_ADMIN,
            school=decision.school,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["security"], summary="Current lockouts of my schools' members")
class LockoutListView(_ListMixin, SessionAPIView):
    """Email+address pairs locked after failed sign-ins (or whose address is locked), newest first."""

    serializer_class = LockoutSerializer
    filter_backends: list = []

    def check_permissions(self, request):
        super().check_permissions(request)
        if not security.may_use(request.user, security.UNLOCK):
            raise exceptions.PermissionDenied()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return []
        return security.lockouts_for(self.request.user)


@extend_schema(tags=["security"], request=None, responses={204: None}, summary="Unlock")
class LockoutDetailView(SessionAPIView):
    """Clears the failures that hold the lock: the email's, and for platform staff also the address's."""

    serializer_class = LockoutSerializer

    def delete(self, request, pk: int):
        lockout, decision = security.lockout_for_action(request.user, pk)
        _raise_for(decision)
        lockout_service.unlock(
            lockout=lockout,
            actor=request.user,
            school=decision.school,
            clear_ip=security.is_platform_staff(request.user),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

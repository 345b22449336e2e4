"""Account-security pages: registration and email verification, password change, the Devices
page, lockouts and flagged sessions for school admins, and the locked-out page.

Thin like the API views: the same services and selectors decide. Destructive actions (end a
session, sign out everywhere else, unlock) go through a confirmation page that posts an explicit
``confirm`` field.
"""

import math

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors_security as security
from accounts import services
from accounts.forms_security import ConfirmForm, EmailForm, PasswordChangeForm, RegistrationForm
from accounts.pages import paginate, render_confirm
from accounts.services import lockout as lockout_service
from accounts.services import sessions as session_service
from config.api.errors import error_response


def _raise_for(decision):
    if decision.outcome == security.MISSING:
        raise Http404
    if decision.outcome == security.FORBIDDEN:
        raise PermissionDenied


# --- registration and verification ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_user(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            request.session["registered_email"] = form.cleaned_data["email"].lower()
            return redirect("register-done")
    return render(request, "accounts/security/register.html", {"form": form})


def register_done(request):
    return render(
        request, "accounts/security/register_done.html", {"email": request.session.get("registered_email", "")}
    )


def verify_email(request, token):
    """The emailed link. Verifying is idempotent, so opening the link twice is harmless."""
    try:
        user = services.verify_email(token=token)
    except services.ServiceError as exc:
        return render(
            request,
            "accounts/security/verify_email_result.html",
            {"ok": False, "error": exc.message, "expired": exc.code == "expired"},
            status=400,
        )
    return render(request, "accounts/security/verify_email_result.html", {"ok": True, "email": user.email})


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    initial = {"email": request.user.email} if request.user.is_authenticated else None
    form = EmailForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.resend_verification(email=form.cleaned_data["email"])
        return render(request, "accounts/security/resend_verification.html", {"form": EmailForm(), "sent": True})
    return render(request, "accounts/security/resend_verification.html", {"form": form, "sent": False})


# --- password reset pages -------------------------------------------------------------------
# Django's reset pages, with the work done by our services: the request answers the same and
# does the same work whatever the address; setting the password ends every session and is
# audited. To be routed at accounts/password-reset/ and accounts/reset/<uidb64>/<token>/.


class PasswordResetPageView(auth_views.PasswordResetView):
    def form_valid(self, form):
        services.request_password_reset(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmPageView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        try:
            services.complete_password_reset(user=form.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc.message_dict.get("new_password", exc.messages))
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


# --- password change ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None, initial={"end_other_sessions": True})
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.change_password(
                user=request.user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password1"],
                end_other_sessions=form.cleaned_data["end_other_sessions"],
                current_session_id=request.session.get(session_service.WEB_SESSION_KEY),
            )
        except services.ServiceError as exc:
            form.add_error("current_password", exc.message)
        except ValidationError as exc:
            form.add_error("new_password1", exc.message_dict.get("new_password", exc.messages))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(
                request,
                _("Your password has been changed. Other sessions ended: %(count)d.") % {"count": ended},
            )
            return redirect("security-devices")
    return render(request, "accounts/security/password_change.html", {"form": form})


# --- devices --------------------------------------------------------------------------------


@login_required
def devices(request):
    current = request.session.get(session_service.WEB_SESSION_KEY)
    rows = list(security.own_sessions(request.user))
    for row in rows:
        row.is_current = row.pk == current
        row.flag_list = session_service.flag_labels(row)
    return render(
        request,
        "accounts/security/devices.html",
        {"sessions": rows, "others": sum(1 for row in rows if not row.is_current)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_revoke(request, pk):
    session = security.own_sessions(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404
    is_current = session.pk == request.session.get(session_service.WEB_SESSION_KEY)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session_service.revoke_session(
            session=session,
            actor=request.user,
            reason=session_service.Reason.REVOKED_BY_USER,
            school=session_service.primary_school_of(request.user),
        )
        if is_current:
            logout(request)
            return redirect("login")
        messages.success(request, _("The session on %(device)s has ended.") % {"device": _label(session)})
        return redirect("security-devices")
    return render_confirm(
        request,
        title=_("End this session?"),
        question=_("The device will be signed out at once. This cannot be undone.")
        if not is_current
        else _("This is the session you are using now: you will be signed out."),
        details=_session_details(session),
        action_label=_("End session"),
        cancel_url=reverse("security-devices"),
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_others(request):
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = session_service.logout_everywhere_else(
            user=request.user, current_session_id=request.session.get(session_service.WEB_SESSION_KEY)
        )
        messages.success(request, _("Signed out everywhere else. Sessions ended: %(count)d.") % {"count": ended})
        return redirect("security-devices")
    others = security.own_sessions(request.user).exclude(pk=request.session.get(session_service.WEB_SESSION_KEY))
    return render_confirm(
        request,
        title=_("Sign out everywhere else?"),
        question=_("Every other browser and app signed in to your account will be signed out."),
        details=[(_("Sessions that will end"), str(others.count()))],
        action_label=_("Sign out everywhere else"),
        cancel_url=reverse("security-devices"),
        form=form,
        status=400 if request.method == "POST" else 200,
    )


def _label(session) -> str:
    return session.device_label or _("an unknown device")


def _session_details(session):
    return [
        (_("Device"), _label(session)),
        (_("Kind"), session.get_kind_display()),
        (_("Network"), session.ip_address or "—"),
        (_("Signed in"), session.created_at),
        (_("Last seen"), session.last_seen_at),
    ]


# --- school admins: flagged sessions and lockouts ---------------------------------------------


@login_required
def flagged_sessions(request):
    if not security.may_use(request.user, security.VIEW_SESSIONS):
        raise PermissionDenied
    page = paginate(request, security.flagged_sessions_for(request.user))
    for row in page:
        row.flag_list = session_service.flag_labels(row)
    return render(request, "accounts/security/flagged_sessions.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def flagged_session_revoke(request, pk):
    session, decision = security.flagged_session_for_action(request.user, pk)
    _raise_for(decision)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session_service.revoke_session(
            session=session,
            actor=request.user,
            reason=session_service.Reason.REVOKED_BY_ADMIN,
            school=decision.school,
        )
        messages.success(
            request,
            _("The session of %(person)s on %(device)s has ended.")
            % {"person": session.user.get_full_name(), "device": _label(session)},
        )
        return redirect("security-flagged-sessions")
    return render_confirm(
        request,
        title=_("End this flagged session?"),
        question=_("%(person)s will be signed out on this device at once.") % {"person": session.user.get_full_name()},
        details=[
            (_("Person"), session.user.email),
            *_session_details(session),
            (_("Flags"), ", ".join(flag["label"] for flag in session_service.flag_labels(session))),
        ],
        action_label=_("End session"),
        cancel_url=reverse("security-flagged-sessions"),
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def lockouts(request):
    if not security.may_use(request.user, security.UNLOCK):
        raise PermissionDenied
    page = paginate(request, security.lockouts_for(request.user))
    return render(request, "accounts/security/lockouts.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def lockout_unlock(request, pk):
    lockout, decision = security.lockout_for_action(request.user, pk)
    _raise_for(decision)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lockout_service.unlock(
            lockout=lockout,
            actor=request.user,
            school=decision.school,
            clear_ip=security.is_platform_staff(request.user),
        )
        messages.success(request, _("%(email)s can sign in again.") % {"email": lockout.username or "?"})
        return redirect("security-lockouts")
    return render_confirm(
        request,
        title=_("Unlock this account?"),
        question=_("The failed attempts that hold the lock are cleared, so signing in works again at once."),
        details=[
            (_("Email"), lockout.username or "—"),
            (_("Network"), lockout.ip_address or "—"),
            (_("Failed attempts"), str(lockout.failures)),
            (_("Locked until"), lockout.locked_until),
        ],
        action_label=_("Unlock"),
        cancel_url=reverse("security-lockouts"),
        form=form,
        status=400 if request.method == "POST" else 200,
    )


# --- the lockout response (AXES_LOCKOUT_CALLABLE) ---------------------------------------------


def locked_out_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets from axes: the standard error shape on the API, a
    friendly page elsewhere; 429 with Retry-After either way."""
    from axes.helpers import get_client_username

    wait = lockout_service.retry_after_seconds(
        username=get_client_username(request, credentials), ip_address=getattr(request, "axes_ip_address", None)
    )
    headers = {"Retry-After": str(wait)}
    if request.path.startswith("/api/"):
        return error_response(
            429,
            "locked_out",
            _("Too many failed sign-in attempts. Try again in %(minutes)d minutes.")
            % {"minutes": math.ceil(wait / 60)},
            headers=headers,
        )
    response = render(
        request,
        "accounts/security/locked_out.html",
        {"minutes": max(1, math.ceil(wait / 60))},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response

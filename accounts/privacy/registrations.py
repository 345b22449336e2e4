"""The accounts app's (and the third-party apps it installs) personal-data declarations.
Imported from ``AccountsConfig.ready()``; other apps register from their own ``ready()``."""

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from accounts.privacy.registry import ANONYMIZED, DELETE, RETAIN, default_exporter, exclude, register


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _erase_user(queryset, user):
    count = 0
    for row in queryset:
        row.email = f"erased-{row.pk}@invalid"
        row.first_name = ""
        row.last_name = ""
        row.is_active = False
        row.password = make_password(None)
        row.email_verified_at = None
        row.save(update_fields=["email", "first_name", "last_name", "is_active", "password", "email_verified_at"])
        count += 1
    return ANONYMIZED, count


def _erase_sessions(queryset, user):
    """Every session ends (web sessions deleted, refresh tokens blacklisted) without new audit rows
    naming the devices; the erasure itself is audited once."""
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    from accounts.services.sessions import Reason, revoke_session

    for session in queryset.filter(revoked_at__isnull=True):
        revoke_session(session=session, actor=None, reason=Reason.DEACTIVATED, audit=False)
    outstanding = OutstandingToken.objects.filter(user_id=user.pk, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=row) for row in outstanding], ignore_conflicts=True)
    count, _ = queryset.delete()
    return DELETE, count


def _erase_role_assignments(queryset, user):
    from accounts.models import RoleAssignment

    own = RoleAssignment.objects.filter(membership__user=user)
    count = own.count()
    own.delete()
    count += RoleAssignment.objects.filter(granted_by=user).update(granted_by=None)
    return ANONYMIZED, count


def _erase_admin_log(queryset, user):
    from django.contrib.contenttypes.models import ContentType

    about = queryset.filter(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
    count = about.update(object_repr=f"erased user #{user.pk}", change_message="")
    return ANONYMIZED, count


def _erase_exports(queryset, user):
    count = 0
    for job in queryset:
        if job.archive:
            job.archive.delete(save=False)
        job.delete()
        count += 1
    return DELETE, count


def _erase_erasure_requests(queryset, user):
    return ANONYMIZED, queryset.update(reason="", decision_note="")


def _profile_files(user):
    from django.core.files.storage import default_storage

    profile = apps.get_model("accounts.Profile")._base_manager.filter(user_id=user.pk).first()
    if profile is None:
        return
    for size in ("small", "large"):
        name = getattr(profile, f"avatar_{size}", "")
        if name and default_storage.exists(name):
            extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
            yield f"avatar-{size}.{extension}", default_storage.open(name, "rb")


def _erase_profiles(queryset, user):
    from django.core.files.storage import default_storage

    count = 0
    for profile in queryset:
        for name in (profile.avatar_small, profile.avatar_large):
            if name and default_storage.exists(name):
                default_storage.delete(name)
        profile.delete()
        count += 1
    return DELETE, count


def _erase_staff_records(queryset, user):
    model = queryset.model
    model._base_manager.filter(verified_by_id=user.pk).update(verified_by=None)
    return RETAIN, model._base_manager.filter(user_id=user.pk).count()


def register_user_system_areas() -> None:
    """Profiles, preferences and activity (the other user-system areas), when their models exist."""
    profile = _model("accounts.Profile")
    if profile is not None:
        register(profile, category="profile", user_path="user", files=_profile_files, erase=_erase_profiles)
    staff_record = _model("accounts.StaffRecord")
    if staff_record is not None:
        register(
            staff_record,
            category="memberships",
            rows=lambda user: staff_record._base_manager.filter(Q(user_id=user.pk) | Q(verified_by_id=user.pk)),
            erase=_erase_staff_records,
            retained_reason="The school's staff record (staff id, verification) is kept; 'verified by' links "
            "to the erased person are cleared.",
        )
    for label, category in (
        ("accounts.UserPreference", "preferences"),
        ("accounts.ActivitySettings", "activity"),
        ("accounts.SatisfactionResponse", "activity"),
    ):
        model = _model(label)
        if model is not None:
            register(model, category=category, user_path="user", erase=DELETE)
    activity = _model("accounts.ActivityEvent")
    if activity is not None:
        # its age limit is the activity area's own SchoolActivityPolicy.retention_days
        register(activity, category="activity", user_path="user", erase=DELETE, date_field="occurred_at")
    for label, reason in (
        ("accounts.SchoolPreferenceDefaults", "A school's default settings; no person link."),
        ("accounts.SchoolActivityPolicy", "A school's activity-tracking policy; no person link."),
        ("accounts.RiskModelFit", "Fitted coefficients over aggregated features; no person link."),
    ):
        if _model(label) is not None:
            exclude(label, reason)


def register_accounts() -> None:
    from accounts.models import (
        AuditEvent,
        DataExportJob,
        ErasureRequest,
        Membership,
        Notification,
        PersonExternalId,
        RoleAssignment,
        User,
        UserSession,
    )

    register(
        User,
        category="account",
        user_path="pk",
        exporter=lambda qs: default_exporter(qs, exclude_fields=("password",)),
        erase=_erase_user,
    )
    register(
        Membership,
        category="memberships",
        user_path="user",
        erase=RETAIN,
        retained_reason="School enrolment and staff history the school must keep; holds no text about the person.",
    )
    register(
        RoleAssignment,
        category="memberships",
        rows=lambda user: RoleAssignment.objects.filter(Q(membership__user=user) | Q(granted_by=user)),
        erase=_erase_role_assignments,
    )
    register(
        UserSession,
        category="sessions",
        user_path="user",
        exporter=lambda qs: default_exporter(qs, exclude_fields=("session_key", "current_jti", "previous_jti")),
        erase=_erase_sessions,
        date_field="last_seen_at",
        retention=True,
    )
    register(
        Notification,
        category="notifications",
        user_path="user",
        erase=DELETE,
        date_field="created_at",
        retention=True,
    )
    register(
        AuditEvent,
        category="audit",
        rows=lambda user: AuditEvent.objects.filter(
            Q(actor_id=user.pk) | Q(target_type="accounts.user", target_id=str(user.pk))
        ),
        erase=RETAIN,
        retained_reason="Append-only audit log: kept with a pseudonymous actor (the erased account's id).",
    )
    register(
        PersonExternalId,
        category="import_records",
        user_path="user",
        erase=RETAIN,
        retained_reason="Links the school's own record id to the erased account so a re-import cannot revive it.",
    )
    register(
        DataExportJob,
        category="exports",
        rows=lambda user: DataExportJob.objects.filter(Q(subject=user) | Q(requested_by=user)),
        exporter=lambda qs: default_exporter(qs, exclude_fields=("archive",)),
        erase=_erase_exports,
    )
    register(
        ErasureRequest,
        category="erasure",
        rows=lambda user: ErasureRequest.objects.filter(Q(subject=user) | Q(requested_by=user) | Q(decided_by=user)),
        erase=_erase_erasure_requests,
        retained_reason="Proof that the erasure was requested, decided and carried out.",
    )

    log_entry = _model("admin.LogEntry")
    if log_entry is not None:
        from django.contrib.contenttypes.models import ContentType

        register(
            log_entry,
            category="audit",
            rows=lambda user: log_entry.objects.filter(
                Q(user=user) | Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
            ),
            erase=_erase_admin_log,
            retained_reason="Admin history of platform staff; entries about the person lose their name.",
        )
    token = _model("token_blacklist.OutstandingToken")
    if token is not None:
        register(
            token,
            category="sessions",
            user_path="user",
            exporter=lambda qs: default_exporter(qs, exclude_fields=("token",)),
            erase=RETAIN,
            retained_reason="Kept so revoked refresh tokens stay refused until they expire; holds only the user id.",
        )
    grant = _model("guardian.UserObjectPermission")
    if grant is not None:
        register(grant, category="memberships", user_path="user", erase=DELETE)
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        model = _model(label)
        if model is not None:
            register(
                model,
                category="security",
                rows=lambda user, model=model: model.objects.filter(username__iexact=user.email),
                erase=DELETE,
            )

    exclude("accounts.School", "A tenant, not a person.")
    exclude("accounts.CustomRole", "A school's role definition; no person link.")
    exclude("accounts.PermissionDecisionStat", "Aggregated counts per school and role; no person link.")
    exclude("accounts.RetentionPolicy", "A school's setting; no person link.")
    exclude("accounts.ErasureLedger", "Counts per model of an erasure; no person data (linked via the request).")
    exclude("token_blacklist.BlacklistedToken", "Points at an OutstandingToken (registered), holds no person data.")
    exclude("sessions.Session", "Ended through UserSession (registered) on erasure; expires by itself.")
    exclude("guardian.GroupObjectPermission", "Grants to groups, not people.")
    register_user_system_areas()

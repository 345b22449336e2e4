from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AuditEvent,
    CustomRole,
    Membership,
    PermissionDecisionStat,
    RoleAssignment,
    School,
    User,
    UserSession,
)
from accounts.services import deactivate_user


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "school"]
    fields = ["user", "school", "role", "valid_from", "valid_until"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "memberships__school"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["date_joined", "last_login"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Platform access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["deactivate_users"]

    def save_model(self, request, obj, form, change):
        """Unticking "active" goes through the service, so every session and token ends too."""
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if deactivating:
            obj.is_active = True  # the service records the change and ends the sessions
        super().save_model(request, obj, form, change)
        if deactivating:
            deactivate_user(user=obj, actor=request.user)

    @admin.action(description=_("Deactivate the selected users and end all their sessions"))
    def deactivate_users(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            deactivate_user(user=user, actor=request.user)
            count += 1
        self.message_user(request, _("%(count)d user(s) deactivated.") % {"count": count})


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "region", "timezone", "default_language", "created_at"]
    list_filter = ["country", "default_language"]
    search_fields = ["name", "slug", "region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "valid_from", "valid_until"]
    list_filter = ["role", "school"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "school__name"]
    autocomplete_fields = ["user", "school"]
    list_select_related = ["user", "school"]
    date_hierarchy = "valid_from"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows are append-only everywhere."""

    list_display = ["occurred_at", "action", "actor", "school", "target_label", "ip_address", "request_id"]
    list_filter = ["action", "school"]
    search_fields = ["action", "target_label", "target_id", "request_id", "actor__email"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "school"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "kind",
        "device_label",
        "ip_address",
        "created_at",
        "last_seen_at",
        "expires_at",
        "revoked_at",
        "flagged_reason",
    ]
    list_filter = ["kind", "revoked_reason", ("flagged_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "device_label", "ip_address"]
    list_select_related = ["user"]
    readonly_fields = ["family", "current_jti", "session_key", "user_agent", "created_at", "last_seen_at"]
    date_hierarchy = "created_at"


@admin.register(CustomRole)
class CustomRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "updated_at"]
    list_filter = ["school"]
    search_fields = ["name", "description", "school__name"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["custom_role", "membership", "valid_until", "granted_by", "created_at"]
    list_filter = ["custom_role__school"]
    search_fields = ["custom_role__name", "membership__user__email"]
    list_select_related = ["custom_role", "membership__user", "membership__school", "granted_by"]
    raw_id_fields = ["membership", "granted_by"]


@admin.register(PermissionDecisionStat)
class PermissionDecisionStatAdmin(admin.ModelAdmin):
    list_display = ["day", "school", "permission", "role", "allowed", "denied"]
    list_filter = ["school", "role"]
    search_fields = ["permission", "role"]
    date_hierarchy = "day"


# user-system areas register their own models
from accounts import admin_activity, admin_preferences, admin_privacy, admin_profiles  # noqa: E402, F401

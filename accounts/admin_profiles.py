"""Admin for the profiles area; imported from accounts/admin.py.

Picture files and staff verification are read-only here: pictures change only through the
validated upload, and verification through ``set_staff_verification`` (audited) — the admin
action below calls it."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile, StaffRecord
from accounts.services import ServiceError
from accounts.services import profiles as profile_services


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "preferred_name", "title", "pronouns", "directory_opt_out", "has_picture", "updated_at")
    list_filter = ("directory_opt_out", "email_visibility", "phone_visibility", "picture_visibility", "bio_visibility")
    search_fields = ("user__email", "user__first_name", "user__last_name", "preferred_name", "title")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("avatar_small", "avatar_large", "avatar_updated_at", "updated_at")

    @admin.display(boolean=True, description=_("picture"))
    def has_picture(self, obj):
        return obj.has_avatar


@admin.register(StaffRecord)
class StaffRecordAdmin(admin.ModelAdmin):
    list_display = ("user", "school", "staff_id", "is_verified", "verified_at", "verified_by")
    list_filter = ("school", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "user__last_name", "staff_id", "school__name")
    list_select_related = ("user", "school", "verified_by")
    raw_id_fields = ("user",)
    readonly_fields = ("verified_at", "verified_by", "updated_at")
    actions = ["verify_selected", "unverify_selected"]

    @admin.display(boolean=True, description=_("verified staff"))
    def is_verified(self, obj):
        return obj.is_verified

    def _set(self, request, queryset, verified: bool):
        done = 0
        for record in queryset.select_related("user", "school"):
            try:
                profile_services.set_staff_verification(
                    actor=request.user, user=record.user, school=record.school, verified=verified
                )
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{record}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(count)d staff record(s) updated.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Verify selected as staff"))
    def verify_selected(self, request, queryset):
        self._set(request, queryset, True)

    @admin.action(description=_("Remove staff verification"))
    def unverify_selected(self, request, queryset):
        self._set(request, queryset, False)

"""Admin: movement. Analyses are computed results: staff can read, filter, re-run and delete them,
not edit the numbers (the keypoints and results are read-only)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.services.errors import ServiceError
from physed.models import MovementAnalysis
from physed.services import movement as services


@admin.register(MovementAnalysis)
class MovementAnalysisAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "student",
        "movement",
        "score",
        "rep_count",
        "layout",
        "dimensions",
        "has_video",
        "created_at",
    ]
    list_filter = ["movement", "layout", "dimensions", "rules_version", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["student__first_name", "student__last_name", "student__external_id", "note"]
    list_select_related = ["student", "student__school"]
    autocomplete_fields = ["student", "session"]
    raw_id_fields = ["exercise", "created_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "layout",
        "dimensions",
        "fps",
        "frame_count",
        "duration_seconds",
        "rules_version",
        "score",
        "rep_count",
        "results",
        "video_content_type",
        "video_size",
        "created_at",
        "updated_at",
    ]
    exclude = ["keypoints_gz"]
    actions = ["reanalyse_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("keypoints_gz")

    @admin.display(boolean=True, description=_("video"))
    def has_video(self, obj):
        return bool(obj.video)

    @admin.action(description=_("Re-run the selected analyses with the current rules"))
    def reanalyse_selected(self, request, queryset):
        done = 0
        for analysis in queryset.select_related("student__school"):
            try:
                services.reanalyse(actor=request.user, analysis=MovementAnalysis.objects.get(pk=analysis.pk))
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"#{analysis.pk}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(count)d analyses re-run.") % {"count": done}, messages.SUCCESS)

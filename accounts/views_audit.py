"""The audit log page for school admins (and platform auditors): the same rows, filters and
permission as ``/api/v1/audit-events/``, with a CSV link that carries the current filters."""

import json
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.generic import ListView

from accounts.api.audit_filters import (
    AuditEventFilter,
    audit_events_for_listing,
    can_view_audit_log,
    is_platform_auditor,
    permitted_school_ids,
)
from accounts.api.audit_serializers import actor_of
from accounts.models import AuditEvent

PAGE_FILTERS = ("action", "actor_email", "occurred_after", "occurred_before")


class AuditLogView(LoginRequiredMixin, ListView):
    model = AuditEvent
    template_name = "accounts/audit/list.html"
    context_object_name = "events"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_view_audit_log(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_events(self):
        return audit_events_for_listing(self.request.user, AuditEvent.objects.select_related("actor", "school"))

    def get_queryset(self):
        data = {key: self.request.GET.get(key, "") for key in PAGE_FILTERS}
        self.filterset = AuditEventFilter(data, queryset=self.visible_events())
        if not self.filterset.is_valid():
            return AuditEvent.objects.none()
        return self.filterset.qs.order_by("-occurred_at", "-id")

    def paginate_queryset(self, queryset, page_size):
        """An out-of-range or malformed ``page`` shows the nearest page instead of a 404."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for event in context["events"]:
            event.actor_user = actor_of(event)
            event.changes_text = json.dumps(event.changes, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        current = {key: self.request.GET.get(key, "") for key in PAGE_FILTERS}
        active = {key: value for key, value in current.items() if value}
        action_choices = list(self.visible_events().order_by("action").values_list("action", flat=True).distinct())
        if current["action"] and current["action"] not in action_choices:
            action_choices.append(current["action"])
        query = urlencode(active)
        user = self.request.user
        context.update(
            filter_form=self.filterset.form,
            current=current,
            action_choices=action_choices,
            filtered=bool(active),
            filter_query=query,
            export_url=reverse("audit-event-export") + (f"?{query}" if query else ""),
            show_school=is_platform_auditor(user) or len(permitted_school_ids(user)) > 1,
        )
        return context

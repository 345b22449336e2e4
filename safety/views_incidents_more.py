"""Incident pages, continued: guardian notices (generate, edit, mark sent with confirmation; the
guardian's own list and notice page) and the analytics page with bar charts and their numbers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.permissions import allowed_on_object
from accounts.selectors import schools_where
from accounts.services.errors import ServiceError
from physed.charts import bar_chart
from safety.forms_incidents import AnalyticsForm, NoticeForm
from safety.models import GuardianNotice
from safety.selectors import incidents as selectors
from safety.selectors.incidents_analytics import Period, analytics, parse_period
from safety.services import incidents as services
from safety.services import incidents_notices as notice_services
from safety.views_incidents import _visible_incident, report_school

VIEW, CHANGE = services.VIEW, services.CHANGE


def _staff_notice(request, pk) -> GuardianNotice:
    notice = get_object_or_404(
        GuardianNotice.objects.visible_to(request.user).select_related("incident__school", "student"), pk=pk
    )
    if not allowed_on_object(request.user, CHANGE, notice.incident):
        raise PermissionDenied
    return notice


@login_required
@require_POST
def notices_generate(request, pk):
    incident = _visible_incident(request, pk, CHANGE)
    try:
        notices = notice_services.generate_notices(actor=request.user, incident=incident)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)s notice(s) ready to review.") % {"count": len(notices)})
    return redirect(reverse("safety-incident-detail", args=[incident.pk]) + "#notices")


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk):
    notice = _staff_notice(request, pk)
    if notice.sent_at is not None:
        messages.error(request, _("A sent notice cannot be changed."))
        return redirect("safety-guardian-notice", pk=notice.pk)
    form = NoticeForm(request.POST or None, initial={"subject": notice.subject, "body": notice.body})
    if request.method == "POST" and form.is_valid():
        try:
            notice_services.edit_notice(actor=request.user, notice=notice, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Notice saved."))
            return redirect(reverse("safety-incident-detail", args=[notice.incident_id]) + "#notices")
    return render(request, "safety/incidents/notice_form.html", {"notice": notice, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def notice_send(request, pk):
    notice = _staff_notice(request, pk)
    back = reverse("safety-incident-detail", args=[notice.incident_id]) + "#notices"
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice_services.mark_sent(actor=request.user, notice=notice)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Notice marked sent; the guardians with accounts were notified."))
        return redirect(back)
    return render_confirm(
        request,
        title=_("Send the guardian notice"),
        question=_("Mark this notice sent? The student's guardians with accounts are notified and can read it."),
        action_label=_("Mark sent"),
        cancel_url=back,
        details=[(_("Student"), notice.student.display_name), (_("Subject"), notice.subject)],
        form=form,
    )


@login_required
def notice_detail(request, pk):
    """A notice as its reader sees it: a guardian (sent notices about their child) or staff."""
    user = request.user
    staff_schools = schools_where(user, VIEW)
    notice = (
        GuardianNotice.objects.visible_to(user)
        .filter(Q(incident__school__in=staff_schools) | Q(pk__in=selectors.notices_for_guardian(user).values("pk")))
        .select_related("incident__school", "student")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404
    return render(
        request,
        "safety/incidents/notice_detail.html",
        {"notice": notice, "is_staff": notice.incident.school_id in staff_schools},
    )


@login_required
def my_notices(request):
    """The guardian's page: sent notices about their children."""
    page = paginate(request, selectors.notices_for_guardian(request.user))
    return render(request, "safety/incidents/my_notices.html", {"page": page})


def _chart(title, rows, y_label):
    return bar_chart(
        [(row["label"], row["count"]) for row in rows],
        title=title,
        y_label=y_label,
        empty_message=_("No incidents in this period."),
    )


@login_required
def incident_analytics(request):
    school = report_school(request, VIEW)
    form = AnalyticsForm(request.GET or None, school=school)
    start = end = pe_class = None
    if form.is_valid():
        start, end, pe_class = (
            form.cleaned_data["date_from"],
            form.cleaned_data["date_to"],
            form.cleaned_data["pe_class"],
        )
    error = None
    try:
        start, end = parse_period(start, end, today=timezone.localdate())
    except ServiceError as exc:
        error = exc.message
        start, end = parse_period(None, None, today=timezone.localdate())
    result = analytics(school, Period(start, end, pe_class))
    count = _("incidents")
    charts = [
        _chart(_("By kind"), result["by_kind"], count),
        _chart(_("By severity"), result["by_severity"], count),
        _chart(_("By location"), result["by_location"][:10], count),
        _chart(_("By activity"), result["by_activity"][:10], count),
        _chart(_("By space"), result["by_space"], count),
        _chart(_("By month"), result["by_month"], count),
        _chart(_("By hour of day"), [row for row in result["by_hour"] if 6 <= int(row["key"]) <= 19], count),
        _chart(_("By weekday"), result["by_weekday"], count),
    ]
    return render(
        request,
        "safety/incidents/analytics.html",
        {"school": school, "form": form, "result": result, "charts": charts, "error": error},
        status=400 if error else 200,
    )

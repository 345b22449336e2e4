"""Fitness analytics pages: a class dashboard (its teachers, department heads, school admins)
and a school dashboard (department heads, school admins). Same selectors as the API; charts as
inline SVG with their numbers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from accounts.models import School
from accounts.selectors import schools_where
from assessments.forms_analytics import AnalyticsFilterForm
from assessments.selectors import analytics as selectors
from physed.charts import PAD_BOTTOM, PAD_LEFT, PAD_RIGHT, PAD_TOP, Chart, bar_chart
from physed.models import PEClass

WIDTH, HEIGHT = 640, 260


def _filters(form) -> selectors.Filters:
    if not form.is_valid():
        return selectors.Filters()
    data = form.cleaned_data
    return selectors.Filters(
        start=data.get("date_from"),
        end=data.get("date_to"),
        school_year=data.get("school_year"),
        term=data.get("term") or "",
        grade=data.get("grade"),
        test=data.get("test"),
        pre_window=data.get("pre_window") or "",
        post_window=data.get("post_window") or "",
    )


def scatter_chart(points: list[dict], *, title: str, x_label: str, y_label: str, empty_message: str) -> Chart:
    """Attendance rate (x, 0–100 %) vs a test value (y): one dot per student, numbers as a table."""
    if not points:
        return Chart(title=title, svg=format_html('<p class="who">{}</p>', empty_message), empty=True)
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    values = [p["value"] for p in points]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1

    def sx(rate) -> str:
        return f"{PAD_LEFT + rate * plot_w:.1f}"

    def sy(value) -> str:
        return f"{PAD_TOP + plot_h - (value - low) / (high - low) * plot_h:.1f}"

    dots = format_html_join(
        "",
        '<circle class="dot series-0" cx="{}" cy="{}" r="4"><title>{}%, {}</title></circle>',
        (
            (sx(p["attendance_rate"]), sy(p["value"]), round(p["attendance_rate"] * 100), f"{p['value']:g}")
            for p in points
        ),
    )
    axes = format_html(
        '<line class="axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}"></line>'
        '<line class="axis" x1="{l}" y1="{t}" x2="{l}" y2="{b}"></line>'
        '<text class="tick" x="{l}" y="{lb}">0%</text><text class="tick" x="{r}" y="{lb}" text-anchor="end">100%</text>'
        '<text class="tick" x="4" y="{b}">{lo}</text><text class="tick" x="4" y="{t2}">{hi}</text>'
        '<text class="tick" x="{mid}" y="{lb}" text-anchor="middle">{xl}</text>',
        l=PAD_LEFT,
        r=PAD_LEFT + plot_w,
        t=PAD_TOP,
        t2=PAD_TOP + 10,
        b=PAD_TOP + plot_h,
        lb=HEIGHT - 8,
        lo=f"{low:g}",
        hi=f"{high:g}",
        mid=PAD_LEFT + plot_w / 2,
        xl=x_label,
    )
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}</svg>',
        WIDTH,
        HEIGHT,
        f"{title}: {x_label} / {y_label}",
        axes,
        dots,
    )
    rows = [[f"{round(p['attendance_rate'] * 100)}%", f"{p['value']:g}"] for p in points]
    return Chart(title=title, svg=svg, columns=[x_label, y_label], rows=rows)


# above this many students a scatter shows one dot per attendance band (mean value, with the
# count): a school of 1,500 students is unreadable as dots and as a 1,500-row table
MAX_DOTS = 60
BANDS = 10


def banded(points: list[dict]) -> list[dict]:
    """Points grouped by attendance-rate tenth (0–10 %, …, 90–100 %): mean rate and value per band."""
    groups: dict[int, list[dict]] = {}
    for point in points:
        groups.setdefault(min(BANDS - 1, int(point["attendance_rate"] * BANDS)), []).append(point)
    return [
        {
            "attendance_rate": sum(p["attendance_rate"] for p in group) / len(group),
            "value": round(sum(p["value"] for p in group) / len(group), 1),
            "students": len(group),
        }
        for _band, group in sorted(groups.items())
    ]


def _charts(result) -> dict:
    dist = result["distribution"]
    hfz = bar_chart(
        [(row["code"], round((row["hfz_share"] or 0) * 100, 1)) for row in result["hfz"]],
        title=_("Share in the Healthy Fitness Zone"),
        y_label="%",
        empty_message=_("No classified results in this period."),
    )
    histogram = bar_chart(
        [(f"{b['low']:g}–{b['high']:g}", b["count"]) for b in dist["histogram"]],
        title=_("Distribution: %(test)s") % {"test": dist.get("name", "—")},
        y_label=_("students"),
        empty_message=_("No results for this test."),
    )
    att = result["attendance"]
    points = att["points"]
    title = _("Attendance vs %(test)s") % {"test": att.get("test_name") or "PACER"}
    if len(points) > MAX_DOTS:
        points = banded(points)
        title = _("Attendance vs %(test)s (mean per attendance band of 10 points)") % {
            "test": att.get("test_name") or "PACER"
        }
    scatter = scatter_chart(
        points,
        title=title,
        x_label=_("attendance rate"),
        y_label=att.get("test_name") or "",
        empty_message=_("No students with both attendance and a PACER result."),
    )
    return {"hfz": hfz, "histogram": histogram, "scatter": scatter}


def _render(request, *, school, pe_class=None):
    body = selectors.can_view_body_composition(request.user, school)
    form = AnalyticsFilterForm(request.GET or None, school=school, body_composition=body)
    filters = _filters(form)
    result = selectors.analytics(school=school, pe_class=pe_class, filters=filters, body_composition=body)
    return render(
        request,
        "assessments/analytics/dashboard.html",
        {
            "school": school,
            "pe_class": pe_class,
            "form": form,
            "result": result,
            "charts": _charts(result),
            "percentiles": list(result["distribution"]["percentiles"].items()),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def class_analytics(request, pk):
    pe_class = get_object_or_404(PEClass.objects.visible_to(request.user).select_related("school"), pk=pk)
    if not selectors.can_view_class(request.user, pe_class):
        raise PermissionDenied
    return _render(request, school=pe_class.school, pe_class=pe_class)


@login_required
def school_analytics(request):
    user = request.user
    permitted = (
        School.objects.all() if user.is_superuser else School.objects.filter(pk__in=schools_where(user, selectors.VIEW))
    )
    wanted = request.GET.get("school", "")
    school = permitted.filter(pk=int(wanted)).first() if wanted.isdigit() else permitted.order_by("pk").first()
    if school is None or not selectors.can_view_school(user, school):
        raise PermissionDenied
    return _render(request, school=school)

"""Panels the sessions area lends to other pages (class page, student page). Each checks the
request user's permission itself and renders nothing it may not see."""

from django import template

from accounts.permissions import allowed_on_object
from physed.selectors import attendance as attendance_selectors
from physed.selectors import performance as performance_selectors
from physed.selectors.sessions import participation_rate, upcoming_and_recent
from physed.views_sessions_charts import student_metric_chart

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("physed/sessions/_class_panel.html", takes_context=True)
def class_sessions_panel(context, pe_class):
    user = _user(context)
    allowed = user is not None and allowed_on_object(user, "physed.view_classsession", pe_class, record=False)
    result = {"request": context.get("request"), "pe_class": pe_class, "allowed": allowed}
    if not allowed:
        return result
    upcoming, recent = upcoming_and_recent(pe_class)
    for session in [*upcoming, *recent]:
        session.rate = participation_rate(session)
    rates = [session.rate for session in recent if session.rate is not None]
    result.update(
        {
            "upcoming": upcoming,
            "recent": recent,
            "recent_rate": round(sum(rates) / len(rates) * 100) if rates else None,
            "can_plan": allowed_on_object(user, "physed.add_classsession", pe_class, record=False),
        }
    )
    return result


@register.inclusion_tag("physed/sessions/_student_panel.html", takes_context=True)
def student_sessions_panel(context, student):
    user = _user(context)
    allowed = user is not None and allowed_on_object(user, "physed.view_student", student, record=False)
    result = {"request": context.get("request"), "student": student, "allowed": allowed}
    if not allowed:
        return result
    summary = attendance_selectors.student_attendance_summary(student)
    recorded = performance_selectors.metrics_recorded_for_student(student)
    chart = None
    if recorded:
        chart = student_metric_chart(performance_selectors.student_metric_trend(student, recorded[0][0]))
    result.update(
        {
            "summary": summary,
            "participation_pct": None
            if summary["participation_rate"] is None
            else round(summary["participation_rate"] * 100),
            "chart": chart,
            "metric": recorded[0][0] if recorded else None,
        }
    )
    return result


@register.inclusion_tag("physed/sessions/_department_panel.html", takes_context=True)
def department_overview_panel(context):
    """The department head's figures for the current school (nothing without attendance rights)."""
    from accounts.selectors import has_school_perm
    from accounts.services_session import current_school
    from physed.selectors.sessions import department_overview

    request = context.get("request")
    school = current_school(request) if request is not None else None
    user = _user(context)
    allowed = school is not None and has_school_perm(user, "physed.view_attendancerecord", school.pk)
    return {"allowed": allowed, "overview": department_overview(school) if allowed else None}

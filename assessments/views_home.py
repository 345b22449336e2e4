"""The assessments home page: the areas the user may open, and per class the fitness, skills,
reports, analytics and progress pages (teachers: the classes they teach; department heads and
school admins: every active class of the school)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import allowed_somewhere
from accounts.selectors import has_school_perm, roles_in
from accounts.services_session import current_school
from physed.models import PEClass
from progress.selectors.at_risk import staff_class_access

VIEW_EVENT = "assessments.view_testevent"


def area_links(user, school) -> list[dict]:
    areas = [
        ("assessments-event-list", VIEW_EVENT, _("Fitness testing"), _("Test events, the fast entry grid, zones")),
        ("assessments-rubric-list", "assessments.view_rubric", _("Rubrics and skills"), _("Rubrics, quick scoring")),
        ("progress-home", "progress.view_goal", _("Goals and badges"), _("Goals, milestones, achievements")),
        ("assessments-standards", "assessments.view_fitnesstest", _("Fitness standards"), _("Zones with sources")),
        (
            "assessments-fitness-settings",
            "assessments.change_schoolfitnesssettings",
            _("Fitness settings"),
            _("Standard set in use, body composition"),
        ),
    ]
    links = [
        {"url": reverse(name), "label": label, "description": description}
        for name, perm, label, description in areas
        if allowed_somewhere(user, perm)
    ]
    if (
        school is not None
        and _school_wide(user, school)
        and has_school_perm(user, "assessments.view_analytics", school.pk)
    ):
        links.append(
            {
                "url": reverse("assessments-analytics-school"),
                "label": _("School analytics"),
                "description": _("Healthy Fitness Zone shares by test and grade, improvement, percentiles"),
            }
        )
    return links


def _school_wide(user, school) -> bool:
    return user.is_superuser or bool({Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN} & set(roles_in(user, school.pk)))


def class_rows(user, school) -> list[dict]:
    """One row per class with the links its viewer may open (a fixed number of queries per class
    is avoided: access is decided from the roles once and the taught-class ids once)."""
    classes = PEClass.objects.visible_to(user).filter(school=school, is_active=True)
    if not _school_wide(user, school):
        classes = classes.filter(teachers=user)
    classes = list(classes.order_by("name", "pk"))
    can = {perm: has_school_perm(user, perm, school.pk) for perm in _CLASS_LINKS_PERMS}
    rows = []
    for pe_class in classes:
        links = []
        for label, name, perm, by_query in _class_links():
            if not can[perm]:
                continue
            url = reverse(name) + f"?pe_class={pe_class.pk}" if by_query else reverse(name, args=[pe_class.pk])
            links.append({"label": label, "url": url})
        rows.append({"pe_class": pe_class, "links": links})
    return rows


def _class_links():
    return [
        (_("Fitness tests"), "assessments-event-list", VIEW_EVENT, True),
        (_("Reports"), "assessments-class-reports", "assessments.view_progressreport", False),
        (_("Analytics"), "assessments-analytics-class", "assessments.view_analytics", False),
        (_("Progress"), "progress-class", "progress.view_goal", False),
        (_("Forecasts"), "progress-forecasts", "progress.view_goal", False),
    ]


_CLASS_LINKS_PERMS = {
    VIEW_EVENT,
    "assessments.view_progressreport",
    "assessments.view_analytics",
    "progress.view_goal",
}


@login_required
def home(request):
    if not allowed_somewhere(request.user, VIEW_EVENT):
        raise PermissionDenied
    school = current_school(request)
    rows = class_rows(request.user, school) if school is not None else []
    # the class links are for staff who reach the class (teachers of it, or school-wide roles)
    rows = [row for row in rows if staff_class_access(request.user, row["pe_class"], VIEW_EVENT)]
    return render(
        request,
        "assessments/home.html",
        {"links": area_links(request.user, school), "rows": rows, "school": school},
    )

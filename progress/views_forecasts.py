"""Forecasts page of a class: goal forecasts (paginated) and the at-risk students with reasons.
For the class's teachers, department heads and school admins (``progress.view_goal``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from physed.models import PEClass
from progress.selectors.at_risk import class_forecasts, staff_class_access

VIEW_GOAL = "progress.view_goal"
PAGE_SIZE = 20


@login_required
def class_forecasts_page(request, pk):
    pe_class = get_object_or_404(PEClass.objects.visible_to(request.user).select_related("school"), pk=pk)
    if not staff_class_access(request.user, pe_class, VIEW_GOAL):
        raise PermissionDenied
    result = class_forecasts(pe_class)
    goals_page = Paginator(result["goals"], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "progress/forecasts/class.html",
        {
            "pe_class": pe_class,
            "result": result,
            "goals_page": goals_page,
            "page_goals": goals_page.object_list,
            "page_risk": result["at_risk"],
            "show_analytics": staff_class_access(request.user, pe_class, "assessments.view_analytics"),
        },
    )

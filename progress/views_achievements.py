"""Badge pages: the badges of the school (shipped and its own) with who earned what. Students and
guardians see the badges and only their own awards."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render

from accounts.pages import paginate
from accounts.services_session import current_school
from physed.selectors.roster import linked_students
from progress.models import AchievementDefinition
from progress.selectors import goals as selectors


@login_required
def achievement_list(request):
    user = request.user
    school = current_school(request)
    if school is None and not user.is_superuser:
        raise PermissionDenied
    definitions = AchievementDefinition.objects.visible_to(user).filter(active=True)
    if school is not None:
        definitions = definitions.filter(Q(school__isnull=True) | Q(school=school))
    awards = selectors.achievements_visible_to(user).select_related("definition", "student")
    if school is not None:
        awards = awards.filter(student__school=school)
    term = (request.GET.get("search") or "").strip()[:100]
    if term:
        awards = awards.filter(
            Q(student__first_name__icontains=term)
            | Q(student__last_name__icontains=term)
            | Q(definition__name__icontains=term)
        )
    page = paginate(request, awards.order_by("-awarded_on", "pk"))
    context = {
        "definitions": list(definitions.order_by("name")),
        "page": page,
        "search": term,
        "is_staff_viewer": school is not None
        and selectors.is_staff_viewer(user, school.pk, selectors.VIEW_ACHIEVEMENT),
        "linked": list(linked_students(user)),
    }
    return render(request, "progress/achievements/list.html", context)

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.forms import EmailAuthenticationForm
from accounts.services_session import current_school, switch_school

DASHBOARD_TITLES = {
    "school_admin": gettext_lazy("School admin dashboard"),
    "department_head": gettext_lazy("Department head dashboard"),
    "teacher": gettext_lazy("Teacher dashboard"),
    "assistant": gettext_lazy("Assistant dashboard"),
    "student": gettext_lazy("Student dashboard"),
    "guardian": gettext_lazy("Guardian dashboard"),
}


def home(request):
    return redirect("dashboard" if request.user.is_authenticated else "login")


@login_required
def dashboard(request):
    """Landing page per role in the current school; later issues add panels to each."""
    school = current_school(request)
    roles = selectors.roles_in(request.user, school.pk) if school else frozenset()
    role = selectors.primary_role(roles)
    context = {
        "school": school,
        "role": role,
        "roles": sorted(roles),
        "dashboard_title": DASHBOARD_TITLES[role] if role else _("Welcome"),
        "template_role": role or "none",
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_POST
def switch_school_view(request):
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError as exc:
        raise Http404 from exc
    if not switch_school(request, school_id):
        raise Http404
    messages.success(request, _("Switched school."))
    return redirect("dashboard")


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

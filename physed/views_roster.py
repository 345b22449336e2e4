"""Roster pages: classes (list, page with roster and schedule, create/edit, enroll, withdraw).

Same visibility path and permission rule as the API: rows come through ``visible_to`` (another
school's class is a 404), the role permission or an object grant decides (403). Writes call the
roster services. Lists work on the school chosen in the header (the current school)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import paginate
from accounts.permissions import allowed_on_object
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from physed.forms_roster import ClassFilterForm, MeetingFormSet, PEClassForm, WithdrawForm
from physed.models import Enrollment, EnrollmentStatus, PEClass, Student, StudentStatus
from physed.selectors import roster as selectors
from physed.services import roster_classes as service

CANDIDATES = 20


def school_with(request, perm: str):
    """The current school, if the user holds ``perm`` there (else 403; no school → 404)."""
    school = current_school(request)
    if school is None:
        raise Http404
    if not has_school_perm(request.user, perm, school.pk):
        raise PermissionDenied
    return school


def object_with(request, queryset, pk, perm: str):
    obj = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    if not allowed_on_object(request.user, perm, obj):
        raise PermissionDenied
    return obj


@login_required
def class_list(request):
    school = school_with(request, "physed.view_peclass")
    form = ClassFilterForm(request.GET or None, years=selectors.school_years(school))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.class_list(
        request.user,
        school,
        query=filters.get("q", ""),
        year=filters.get("year"),
        term=filters.get("term", ""),
        grade=filters.get("grade"),
        active=None if filters.get("inactive") else True,
    )
    return render(
        request,
        "physed/roster/class_list.html",
        {
            "school": school,
            "form": form,
            "page": paginate(request, rows),
            "can_add": has_school_perm(request.user, "physed.add_peclass", school.pk),
        },
    )


def _class_context(request, pe_class) -> dict:
    user, school = request.user, pe_class.school
    query = request.GET.get("q", "").strip()
    candidates = []
    can_enroll = has_school_perm(user, "physed.add_enrollment", school.pk)
    if can_enroll and query:
        enrolled = Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE).values("student_id")
        candidates = list(
            selectors.search_students(
                Student.objects.filter(school=school, status=StudentStatus.ACTIVE).exclude(pk__in=enrolled), query
            )[:CANDIDATES]
        )
    roster = list(selectors.class_roster(pe_class))
    return {
        "pe_class": pe_class,
        "roster": roster,
        "free": pe_class.capacity - len(roster),
        "meetings": pe_class.meetings.all(),
        "teachers": pe_class.teachers.order_by("last_name", "first_name"),
        "past": selectors.class_roster(pe_class, status=None).exclude(status=EnrollmentStatus.ACTIVE),
        "query": query,
        "candidates": candidates,
        "can_enroll": can_enroll,
        "can_withdraw": has_school_perm(user, "physed.change_enrollment", school.pk),
        "can_edit": allowed_on_object(user, "physed.change_peclass", pe_class, record=False),
        "can_view_students": has_school_perm(user, "physed.view_student", school.pk),
    }


@login_required
def class_detail(request, pk):
    pe_class = object_with(request, PEClass.objects.select_related("school"), pk, "physed.view_peclass")
    return render(request, "physed/roster/class_detail.html", _class_context(request, pe_class))


@login_required
@require_POST
def class_enroll(request, pk):
    pe_class = object_with(request, PEClass.objects.select_related("school"), pk, "physed.view_peclass")
    if not has_school_perm(request.user, "physed.add_enrollment", pe_class.school_id):
        raise PermissionDenied
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=request.POST.get("student") or 0)
    try:
        result = service.enroll(actor=request.user, pe_class=pe_class, student=student)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s enrolled.") % {"name": student.display_name})
        for warning in result.warnings:
            messages.warning(request, warning)
    return redirect("class-detail", pk=pe_class.pk)


@login_required
def enrollment_withdraw(request, pk):
    enrollment = object_with(
        request, Enrollment.objects.select_related("pe_class", "student"), pk, "physed.change_enrollment"
    )
    back = reverse("class-detail", args=[enrollment.pe_class_id])
    form = WithdrawForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            service.withdraw(actor=request.user, enrollment=enrollment, end_date=form.cleaned_data["end_date"])
        except ServiceError as exc:
            form.add_error("end_date" if exc.field == "end_date" else None, exc.message)
        else:
            messages.success(request, _("%(name)s withdrawn.") % {"name": enrollment.student.display_name})
            return redirect(back)
    return render(
        request,
        "physed/roster/withdraw.html",
        {"enrollment": enrollment, "form": form, "cancel_url": back},
        status=400 if form.errors else 200,
    )


def _meetings(formset) -> list[dict]:
    return [
        {key: form.cleaned_data[key] for key in ("weekday", "start_time", "end_time", "period")}
        for form in formset
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _save_class(request, form, formset, *, pe_class=None, school=None):
    values = {name: value for name, value in form.cleaned_data.items() if name != "teachers"}
    teachers = list(form.cleaned_data["teachers"])
    try:
        with transaction.atomic():
            if pe_class is None:
                return service.create_class(
                    actor=request.user, school=school, teachers=teachers, meetings=_meetings(formset), **values
                )
            return service.update_class(
                actor=request.user, pe_class=pe_class, teachers=teachers, meetings=_meetings(formset), **values
            )
    except ServiceError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            form.add_error(None, exc.message)
        return None


def _class_form_page(request, *, pe_class=None, school):
    form = PEClassForm(request.POST or None, instance=pe_class, school=school)
    initial = [
        {"weekday": m.weekday, "start_time": m.start_time, "end_time": m.end_time, "period": m.period}
        for m in (pe_class.meetings.all() if pe_class else [])
    ]
    formset = MeetingFormSet(request.POST or None, initial=initial, prefix="meetings")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = _save_class(request, form, formset, pe_class=pe_class, school=school)
        if saved is not None:
            messages.success(request, _("Class saved."))
            return redirect("class-detail", pk=saved.pk)
    return render(
        request,
        "physed/roster/class_form.html",
        {"form": form, "formset": formset, "pe_class": pe_class, "school": school},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def class_create(request):
    school = school_with(request, "physed.add_peclass")
    return _class_form_page(request, school=school)


@login_required
def class_edit(request, pk):
    pe_class = object_with(request, PEClass.objects.select_related("school"), pk, "physed.change_peclass")
    return _class_form_page(request, pe_class=pe_class, school=pe_class.school)

"""Pages: the medical profile list (staff), a student's profile, its editor, the action plan
(upload, private download, removal) and "what this class needs" for teachers. Same visibility
path, services and audit as the API: another school's student or class is a 404, a user who may
not see the profile a 403, and every read of a full profile is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.permissions import allowed_on_object
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from physed.models import PEClass, Student
from safety.api.medical_views import action_plan_response
from safety.forms_medical import ActionPlanForm, ProfileForm, ProfileSearchForm, build_formsets, formset_items
from safety.models import MedicalProfile
from safety.selectors import medical as selectors
from safety.services import medical as services


def _student(request, pk) -> Student:
    return get_object_or_404(Student.objects.visible_to(request.user).select_related("school"), pk=pk)


def _profile(student):
    return selectors.with_children(MedicalProfile.objects.filter(student=student)).first()


@login_required
def profile_list(request):
    school = current_school(request)
    if school is None:
        raise Http404
    if not has_school_perm(request.user, selectors.VIEW_PROFILE, school.pk):
        raise PermissionDenied
    form = ProfileSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query = (filters.get("q") or "").strip()
    rows = MedicalProfile.objects.visible_to(request.user).filter(student__school=school)
    students_without = []
    if query:
        match = (
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(preferred_name__icontains=query)
            | Q(external_id__iexact=query)
        )
        rows = rows.filter(student__in=Student.objects.filter(school=school).filter(match))
        students_without = list(
            Student.objects.filter(school=school)
            .filter(match)
            .exclude(Exists(MedicalProfile.objects.filter(student=OuterRef("pk"))))
            .order_by("last_name", "first_name", "pk")[:10]
        )
    if filters.get("condition"):
        rows = rows.filter(conditions__kind=filters["condition"]).distinct()
    rows = rows.select_related("student").prefetch_related("conditions", "restrictions")
    return render(
        request,
        "safety/medical/list.html",
        {
            "school": school,
            "form": form,
            "page": paginate(request, rows.order_by("student__last_name", "student__first_name", "pk")),
            "students_without": students_without,
            "can_edit": has_school_perm(request.user, selectors.CHANGE_PROFILE, school.pk),
            "today": services.today(),
        },
    )


def _detail_context(request, student, profile, upload_form=None) -> dict:
    user = request.user
    return {
        "student": student,
        "profile": profile,
        "today": services.today(),
        "staff_notes": selectors.sees_staff_notes(user, student),
        "can_edit": selectors.can_edit_profile(user, student),
        "is_guardian_view": not selectors.sees_staff_notes(user, student),
        "upload_form": upload_form or ActionPlanForm(),
    }


@login_required
def profile_detail(request, pk):
    student = _student(request, pk)
    if not selectors.can_view_profile(request.user, student):
        raise PermissionDenied
    profile = _profile(student)
    if profile is not None:
        services.record_profile_read(actor=request.user, profile=profile, context="page")
    return render(request, "safety/medical/detail.html", _detail_context(request, student, profile))


@login_required
def profile_edit(request, pk):
    student = _student(request, pk)
    user = request.user
    if not selectors.can_edit_profile(user, student):
        raise PermissionDenied
    staff_notes = selectors.sees_staff_notes(user, student) and not selectors.edits_as_guardian(user, student)
    profile = _profile(student)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, staff_notes=staff_notes)
        formsets = build_formsets(request.POST, profile, staff_notes=staff_notes)
        if form.is_valid() and all(formset.is_valid() for formset in formsets.values()):
            try:
                services.save_profile(
                    actor=user,
                    student=student,
                    values=form.values(),
                    **{name: formset_items(formset) for name, formset in formsets.items()},
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Medical profile saved."))
                return redirect("safety-medical-detail", pk=student.pk)
        status = 400
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile), staff_notes=staff_notes)
        formsets = build_formsets(None, profile, staff_notes=staff_notes)
        if profile is not None:
            services.record_profile_read(actor=user, profile=profile, context="edit_page")
    return render(
        request,
        "safety/medical/edit.html",
        {"student": student, "profile": profile, "form": form, "formsets": list(formsets.values())},
        status=status,
    )


@login_required
def action_plan(request, pk):
    """GET: the private download (audited); POST: upload or replace."""
    student = _student(request, pk)
    user = request.user
    if request.method == "POST":
        if not selectors.can_edit_profile(user, student):
            raise PermissionDenied
        form = ActionPlanForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                profile = MedicalProfile.objects.filter(student=student).first() or services.save_profile(
                    actor=user, student=student
                )
                services.upload_action_plan(actor=user, profile=profile, upload=form.cleaned_data["file"])
            except ServiceError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Action plan uploaded."))
                return redirect("safety-medical-detail", pk=student.pk)
        return render(
            request,
            "safety/medical/detail.html",
            _detail_context(request, student, _profile(student), upload_form=form),
            status=400,
        )
    if not selectors.can_view_profile(user, student):
        raise PermissionDenied
    profile = MedicalProfile.objects.filter(student=student).select_related("student").first()
    if profile is None or not profile.action_plan:
        raise Http404
    services.record_profile_read(actor=user, profile=profile, context="action_plan")
    return action_plan_response(profile)


@login_required
def action_plan_delete(request, pk):
    student = _student(request, pk)
    if not selectors.can_edit_profile(request.user, student):
        raise PermissionDenied
    profile = MedicalProfile.objects.filter(student=student).first()
    if profile is None or not profile.action_plan:
        raise Http404
    cancel = reverse("safety-medical-detail", args=[student.pk])
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.remove_action_plan(actor=request.user, profile=profile)
        messages.success(request, _("Action plan removed."))
        return redirect(cancel)
    return render_confirm(
        request,
        title=_("Remove the action plan"),
        question=_("The file is deleted for good. Upload a new one if the plan changed."),
        action_label=_("Remove the action plan"),
        cancel_url=cancel,
        details=[(_("Student"), student.display_name)],
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def class_needs(request, pk):
    pe_class = get_object_or_404(PEClass.objects.visible_to(request.user).select_related("school"), pk=pk)
    if not allowed_on_object(request.user, selectors.VIEW_CLASS_NEEDS, pe_class):
        raise PermissionDenied
    day = services.today()
    students = selectors.class_students(pe_class)
    needs = selectors.class_needs(students, day)
    services.record_class_needs_read(request.user, pe_class.school, [n.student for n in needs], f"class:{pe_class.pk}")
    return render(
        request,
        "safety/medical/class_needs.html",
        {
            "pe_class": pe_class,
            "needs": needs,
            "today": day,
            "enrolled": len(students),
            "can_view_profiles": has_school_perm(request.user, selectors.VIEW_PROFILE, pe_class.school_id),
        },
    )

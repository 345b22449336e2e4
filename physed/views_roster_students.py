"""Roster pages: students (list, PE page, create/edit), guardians, "My PE" and year-end promotion.

A student's PE page is open to staff with ``physed.view_student`` in the student's school and to
the student's own account and guardians through the object grant (``allowed_on_object``): a
guardian sees their children's pages, a student only their own; any other student is a 403, a
student of another school a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from physed.forms_roster import GuardianForm, StudentForm, StudentSearchForm
from physed.models import Guardianship, Student, StudentStatus
from physed.selectors import roster as selectors
from physed.services import roster as service
from physed.services.roster_promotion import promote_grades
from physed.views_roster import object_with, school_with


@login_required
def student_list(request):
    school = school_with(request, "physed.view_student")
    form = StudentSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.search_students(selectors.students_for(request.user, school), filters.get("q", ""))
    if filters.get("grade") is not None:
        rows = rows.filter(grade=filters["grade"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    return render(
        request,
        "physed/roster/student_list.html",
        {
            "school": school,
            "form": form,
            "page": paginate(request, rows.order_by("last_name", "first_name", "pk")),
            "can_add": has_school_perm(request.user, "physed.add_student", school.pk),
            "can_import": has_school_perm(request.user, "physed.import_roster", school.pk),
            "can_promote": has_school_perm(request.user, "physed.promote_grades", school.pk),
        },
    )


@login_required
def student_detail(request, pk):
    student = object_with(request, Student.objects.select_related("school", "user"), pk, "physed.view_student")
    school_id, user = student.school_id, request.user
    can_view_guardians = has_school_perm(user, "physed.view_guardianship", school_id)
    return render(
        request,
        "physed/roster/student_detail.html",
        {
            "student": student,
            "enrollments": selectors.current_enrollments(student),
            "guardians": student.guardianships.select_related("guardian") if can_view_guardians else None,
            "can_edit": has_school_perm(user, "physed.change_student", school_id),
            "can_add_guardian": has_school_perm(user, "physed.add_guardianship", school_id),
            "can_remove_guardian": has_school_perm(user, "physed.delete_guardianship", school_id),
            "is_staff_view": has_school_perm(user, "physed.view_student", school_id),
        },
    )


def _apply_student(request, form, student=None, school=None):
    values = {name: value for name, value in form.cleaned_data.items() if name != "user"}
    user = form.cleaned_data.get("user")
    try:
        with transaction.atomic():
            if student is None:
                student = service.create_student(actor=request.user, school=school, **values)
            else:
                student = service.update_student(actor=request.user, student=student, **values)
            if user is not None:
                service.link_student_user(actor=request.user, student=student, user=user)
            elif student.user_id is not None:
                service.unlink_student_user(actor=request.user, student=student)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    return student


@login_required
def student_create(request):
    school = school_with(request, "physed.add_student")
    form = StudentForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        student = _apply_student(request, form, school=school)
        if student is not None:
            messages.success(request, _("Student added."))
            return redirect("student-detail", pk=student.pk)
    return render(
        request,
        "physed/roster/student_form.html",
        {"form": form, "school": school},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def student_edit(request, pk):
    student = object_with(request, Student.objects.select_related("school"), pk, "physed.change_student")
    form = StudentForm(request.POST or None, instance=student, school=student.school)
    if request.method == "POST" and form.is_valid():
        fresh = Student.objects.select_related("school", "user").get(pk=student.pk)  # the form changed ``student``
        if _apply_student(request, form, student=fresh) is not None:
            messages.success(request, _("Student saved."))
            return redirect("student-detail", pk=student.pk)
    return render(
        request,
        "physed/roster/student_form.html",
        {"form": form, "student": student, "school": student.school},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def guardian_add(request, pk):
    student = object_with(request, Student.objects.select_related("school"), pk, "physed.view_student")
    if not has_school_perm(request.user, "physed.add_guardianship", student.school_id):
        raise PermissionDenied
    form = GuardianForm(request.POST or None, school=student.school)
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if name != "guardian"}
        try:
            service.add_guardian(
                actor=request.user, student=student, guardian=form.cleaned_data.get("guardian"), **values
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Guardian added."))
            return redirect("student-detail", pk=student.pk)
    return render(
        request,
        "physed/roster/guardian_form.html",
        {"form": form, "student": student},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def guardian_remove(request, pk):
    guardianship = object_with(
        request, Guardianship.objects.select_related("student"), pk, "physed.delete_guardianship"
    )
    student = guardianship.student
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        service.remove_guardianship(actor=request.user, guardianship=guardianship)
        messages.success(request, _("Guardian removed."))
        return redirect("student-detail", pk=student.pk)
    details = [(_("Guardian"), guardianship.name), (_("Student"), student.display_name)]
    if guardianship.guardian_id:
        details.append((_("Effect"), _("The guardian's account no longer sees this student's PE page.")))
    return render_confirm(
        request,
        title=_("Remove guardian"),
        question=_("Remove this guardian from the student?"),
        action_label=_("Remove guardian"),
        cancel_url=reverse("student-detail", args=[student.pk]),
        details=details,
        form=form,
        status=400 if form.errors else 200,
    )


@login_required
def my_pe(request):
    """The student's own record or a guardian's children: links to their PE pages."""
    students = list(selectors.linked_students(request.user))
    cards = [(student, list(selectors.current_enrollments(student))) for student in students]
    return render(request, "physed/roster/my_pe.html", {"cards": cards})


@login_required
def promote(request):
    school = school_with(request, "physed.promote_grades")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        report = promote_grades(actor=request.user, school=school, dry_run=False)
        messages.success(
            request,
            _("%(promoted)s students moved up a grade; %(graduated)s graduated.")
            % {"promoted": report.promoted, "graduated": report.graduated},
        )
        return redirect("student-list")
    report = promote_grades(actor=request.user, school=school, dry_run=True)
    return render(
        request,
        "physed/roster/promote.html",
        {"school": school, "report": report, "form": form, "active": StudentStatus.ACTIVE},
        status=400 if form.errors else 200,
    )

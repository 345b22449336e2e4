"""Rubric and skill pages: the rubric list (search, templates vs mine), a rubric's criteria ×
levels grid, the rubric form, copy and delete/archive, the quick scoring page (one tap per
criterion, saved per student with htmx), a skill assessment with its private evidence, and a
student's skills page (also for the student and their guardians). Same selectors and services as
the API."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import paginate, render_confirm
from accounts.permissions import allowed_somewhere
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from assessments.api.rubrics_views import evidence_response
from assessments.forms_rubrics import EvidenceForm, RubricForm, RubricSearchForm
from assessments.models import AssessmentMode, EvidenceFile, Rubric, SkillAssessment
from assessments.selectors import rubrics as sel
from assessments.services import rubrics as services
from assessments.services import rubrics_evidence as evidence_services
from physed.models import ClassSession, PEClass, Student
from physed.selectors.roster import class_roster


def _form_error(form, exc: ServiceError) -> None:
    target = {"criteria": "criteria_text", "levels": "levels_text"}.get(exc.field, exc.field)
    form.add_error(target if target in form.fields else None, exc.message)


def _rubric(request, pk):
    rubric = get_object_or_404(sel.rubric_detail_queryset(Rubric.objects.visible_to(request.user)), pk=pk)
    if not has_school_perm(request.user, sel.VIEW, rubric.school_id):
        student = sel.student_record(request.user, rubric.school_id)
        if student is None or not sel.rubrics_for_student(student).filter(pk=rubric.pk).exists():
            raise Http404
    return rubric


@login_required
def rubric_list(request):
    if not allowed_somewhere(request.user, sel.VIEW):
        raise PermissionDenied
    form = RubricSearchForm(request.GET or None)
    query, scope = "", ""
    if form.is_valid():
        query, scope = form.cleaned_data["q"], form.cleaned_data["scope"]
    rows = sel.rubrics_for(request.user, query=query, scope=scope).order_by("title", "pk")
    school = current_school(request)
    return render(
        request,
        "assessments/rubrics/list.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "can_add": bool(school and has_school_perm(request.user, sel.ADD, school.pk)),
        },
    )


@login_required
def rubric_detail(request, pk):
    rubric = _rubric(request, pk)
    levels = list(rubric.levels.all())
    grid = []
    for criterion in rubric.criteria.all():
        texts = {d.level_id: d.text for d in criterion.descriptors.all()}
        grid.append({"criterion": criterion, "cells": [texts.get(level.pk, "") for level in levels]})
    staff = has_school_perm(request.user, sel.VIEW, rubric.school_id)
    classes = (
        PEClass.objects.visible_to(request.user).filter(school=rubric.school).order_by("name")
        if has_school_perm(request.user, sel.SCORE, rubric.school_id)
        else PEClass.objects.none()
    )
    return render(
        request,
        "assessments/rubrics/detail.html",
        {
            "rubric": rubric,
            "levels": levels,
            "grid": grid,
            "staff": staff,
            "classes": classes,
            "can_edit": sel.can_edit_rubric(request.user, rubric),
            "can_copy": has_school_perm(request.user, sel.ADD, rubric.school_id),
            "in_use": rubric.assessments.exists(),
        },
    )


def _save_rubric(request, form, rubric=None):
    data = form.cleaned_data
    fields = {key: data[key] for key in ("title", "description", "grade_from", "grade_to", "shared", "peer_mode")}
    fields["indicators"] = data["indicator_codes"]
    fields["standards"] = sorted({i.standard for i in data["indicator_codes"]}, key=lambda s: s.pk)
    if rubric is None:
        return services.create_rubric(
            actor=request.user,
            school=current_school(request),
            criteria=data["criteria_text"],
            levels=data["levels_text"],
            **fields,
        )
    structure = {}
    if not rubric.assessments.exists():
        structure = {"criteria": data["criteria_text"], "levels": data["levels_text"]}
    return services.update_rubric(actor=request.user, rubric=rubric, **structure, **fields)


@login_required
def rubric_create(request):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, sel.ADD, school.pk):
        raise PermissionDenied
    form = RubricForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rubric = _save_rubric(request, form)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Rubric saved."))
            return redirect("assessments-rubric-detail", pk=rubric.pk)
    return render(request, "assessments/rubrics/form.html", {"form": form, "rubric": None})


@login_required
def rubric_edit(request, pk):
    rubric = _rubric(request, pk)
    if not sel.can_edit_rubric(request.user, rubric):
        raise PermissionDenied
    form = RubricForm(request.POST or None, initial=RubricForm.initial_for(rubric))
    if request.method == "POST" and form.is_valid():
        try:
            _save_rubric(request, form, rubric)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Rubric saved."))
            return redirect("assessments-rubric-detail", pk=rubric.pk)
    return render(
        request,
        "assessments/rubrics/form.html",
        {"form": form, "rubric": rubric, "frozen": rubric.assessments.exists()},
    )


@login_required
@require_POST
def rubric_copy(request, pk):
    rubric = _rubric(request, pk)
    try:
        copy = services.copy_rubric(actor=request.user, rubric=rubric)
    except ServiceError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Copied. This rubric is yours to change."))
    return redirect("assessments-rubric-edit", pk=copy.pk)


@login_required
def rubric_delete(request, pk):
    rubric = _rubric(request, pk)
    if not sel.can_edit_rubric(request.user, rubric):
        raise PermissionDenied
    in_use = rubric.assessments.exists()
    if request.method == "POST" and request.POST.get("confirm"):
        outcome = services.delete_rubric(actor=request.user, rubric=rubric)
        messages.success(request, _("Rubric archived.") if outcome == "archived" else _("Rubric deleted."))
        return redirect("assessments-rubric-list")
    return render_confirm(
        request,
        title=_("Archive rubric") if in_use else _("Delete rubric"),
        question=(
            _("Students were assessed with “%(title)s”: it will be archived and its scores kept.")
            if in_use
            else _("Delete “%(title)s”? This cannot be undone.")
        )
        % {"title": rubric.title},
        action_label=_("Archive") if in_use else _("Delete"),
        cancel_url=reverse("assessments-rubric-detail", kwargs={"pk": rubric.pk}),
    )


def _assess_rows(request, rubric, pe_class, session):
    """(mode, students) for the scoring page: staff score the class; a student scores themselves
    and, with peer mode on, their classmates."""
    user = request.user
    if has_school_perm(user, sel.SCORE, rubric.school_id):
        if pe_class is None:
            return AssessmentMode.TEACHER, []
        return AssessmentMode.TEACHER, [e.student for e in class_roster(pe_class)]
    own = sel.student_record(user, rubric.school_id)
    if own is None:
        raise PermissionDenied
    rows = [own]
    if pe_class is not None and rubric.peer_mode and pe_class.pk in sel.active_class_ids(own):
        rows += [e.student for e in class_roster(pe_class) if e.student_id != own.pk]
    return None, rows


def _latest(rubric, students, mode, date, user):
    rows = SkillAssessment.objects.filter(rubric=rubric, student__in=students, date=date).prefetch_related("scores")
    rows = rows.filter(mode=AssessmentMode.TEACHER) if mode == AssessmentMode.TEACHER else rows.filter(assessor=user)
    return {a.student_id: a for a in rows.order_by("pk")}


@login_required
def assess(request, pk):
    """``?pe_class=<id>&session=<id>&date=YYYY-MM-DD``; POST saves one student's row."""
    rubric = _rubric(request, pk)
    if rubric.archived:
        raise Http404
    classes = PEClass.objects.visible_to(request.user).filter(school=rubric.school)
    params = request.POST if request.method == "POST" else request.GET
    pe_class = session = None
    if params.get("pe_class", "").isdigit():
        pe_class = get_object_or_404(classes, pk=params["pe_class"])
    if params.get("session", "").isdigit():
        session = get_object_or_404(ClassSession.objects.visible_to(request.user), pk=params["session"])
        pe_class = pe_class or session.pe_class
    try:
        date = datetime.date.fromisoformat(params.get("date", ""))
    except ValueError:
        date = session.date if session else datetime.date.today()
    fixed_mode, students = _assess_rows(request, rubric, pe_class, session)
    own = None if fixed_mode else students[0]
    errors, saved = {}, None
    if request.method == "POST":
        student = next((s for s in students if str(s.pk) == request.POST.get("student")), None)
        if student is None:
            raise Http404
        mode = fixed_mode or (AssessmentMode.SELF if student.pk == own.pk else AssessmentMode.PEER)
        levels = {c.pk: request.POST.get(f"c{c.pk}") for c in rubric.criteria.all()}
        try:
            saved = services.score_student(
                actor=request.user,
                rubric=rubric,
                student=student,
                levels={k: v for k, v in levels.items() if v},
                mode=mode,
                date=date,
                pe_class=pe_class,
                session=session,
                comment=request.POST.get("comment", "")[:2000],
            )
        except ServiceError as exc:
            errors[student.pk] = exc.message
        if request.htmx:
            latest = _latest(rubric, [student], fixed_mode, date, request.user)
            return render(
                request,
                "assessments/rubrics/_assess_row.html",
                {
                    "row": _row(rubric, student, latest.get(student.pk), errors.get(student.pk), own),
                    "rubric": rubric,
                    "pe_class": pe_class,
                    "session": session,
                    "date": date,
                    "saved": saved,
                },
                status=200,
            )
        if saved:
            messages.success(request, _("Saved %(name)s: %(score)s") % {"name": student, "score": saved.score})
            query = f"?pe_class={pe_class.pk if pe_class else ''}&date={date.isoformat()}"
            if session:
                query += f"&session={session.pk}"
            return redirect(reverse("assessments-assess", kwargs={"pk": rubric.pk}) + query)
    latest = _latest(rubric, students, fixed_mode, date, request.user)
    rows = [_row(rubric, s, latest.get(s.pk), errors.get(s.pk), own) for s in students]
    return render(
        request,
        "assessments/rubrics/assess.html",
        {
            "rubric": rubric,
            "rows": rows,
            "pe_class": pe_class,
            "session": session,
            "date": date,
            "classes": classes.order_by("name") if fixed_mode else [],
            "teacher_mode": bool(fixed_mode),
        },
    )


def _row(rubric, student, assessment, error, own):
    chosen = {s.criterion_id: s.level_id for s in assessment.scores.all()} if assessment else {}
    return {
        "student": student,
        "assessment": assessment,
        "error": error,
        "is_self": own is not None and student.pk == own.pk,
        "criteria": [
            {
                "criterion": c,
                "levels": [{"level": lv, "checked": chosen.get(c.pk) == lv.pk} for lv in rubric.levels.all()],
            }
            for c in rubric.criteria.all()
        ],
    }


def _assessment(request, pk):
    return get_object_or_404(sel.assessment_detail_queryset(sel.assessments_for(request.user)), pk=pk)


@login_required
def skill_detail(request, pk):
    assessment = _assessment(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    can_upload = evidence_services.can_upload(request.user, assessment)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            try:
                evidence_services.add_evidence(
                    actor=request.user, assessment=assessment, upload=form.cleaned_data["file"]
                )
            except ServiceError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Evidence attached."))
                return redirect("assessments-skill-detail", pk=assessment.pk)
    return render(
        request,
        "assessments/rubrics/skill_detail.html",
        {"assessment": assessment, "form": form, "can_upload": can_upload},
    )


@login_required
def evidence_download(request, pk, evidence_id):
    assessment = _assessment(request, pk)
    item = get_object_or_404(EvidenceFile, pk=evidence_id, assessment=assessment)
    return evidence_response(request.user, item)


@login_required
def student_skills(request, pk):
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=pk)
    if not sel.can_view_student_skills(request.user, student):
        raise Http404
    rows = list(sel.student_assessments(student))
    by_mode = {mode: [a for a in rows if a.mode == mode] for mode in AssessmentMode.values}
    summary = sel.skill_summary(student, start=datetime.date(2000, 1, 1), end=datetime.date(2100, 1, 1))
    self_rubrics = []
    if student.user_id == request.user.pk:
        self_rubrics = list(sel.rubrics_for_student(student))
    return render(
        request,
        "assessments/rubrics/student_skills.html",
        {
            "student": student,
            "summary": summary,
            "teacher_rows": by_mode[AssessmentMode.TEACHER],
            "self_rows": by_mode[AssessmentMode.SELF],
            "peer_rows": by_mode[AssessmentMode.PEER],
            "self_rubrics": self_rubrics,
            "classes": sorted(sel.active_class_ids(student)) if self_rubrics else [],
        },
    )

"""Movement pages: list, upload, the analysis page, a student's history, video, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import schools_where
from accounts.services.errors import ServiceError
from physed.forms_movement import AnalysisUploadForm, HistoryFilterForm, ListFilterForm
from physed.models import MovementAnalysis
from physed.selectors import movement as selectors
from physed.services import movement as services
from physed.services import movement_video
from physed.views_movement_charts import analysis_charts, history_chart

VIEW, ADD, DELETE = selectors.VIEW, services.ADD, services.DELETE


def _visible_analysis(request, pk: int) -> MovementAnalysis:
    analysis = get_object_or_404(selectors.base_queryset().visible_to(request.user), pk=pk)
    if not selectors.can_view_analysis(request.user, analysis):
        raise PermissionDenied
    return analysis


@login_required
def analysis_list(request):
    if not allowed_somewhere(request.user, VIEW):
        raise PermissionDenied
    form = ListFilterForm(request.GET or None)

    rows = selectors.base_queryset().visible_to(request.user).defer(*selectors.LIST_FIELDS_DEFERRED)
    if not request.user.is_superuser:
        rows = rows.filter(student__school__in=schools_where(request.user, VIEW))
    if form.is_valid():
        if form.cleaned_data["movement"]:
            rows = rows.filter(movement=form.cleaned_data["movement"])
        query = form.cleaned_data["q"].strip()
        if query:
            rows = rows.filter(
                Q(student__first_name__icontains=query)
                | Q(student__last_name__icontains=query)
                | Q(student__preferred_name__icontains=query)
            )
    page = paginate(request, rows)
    return render(
        request,
        "physed/movement/list.html",
        {"page": page, "form": form, "can_add": allowed_somewhere(request.user, ADD, record=False)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_upload(request):
    if not allowed_somewhere(request.user, ADD):
        raise PermissionDenied
    initial = {}
    if request.GET.get("student"):
        initial["student"] = request.GET["student"]
    if request.GET.get("movement"):
        initial["movement"] = request.GET["movement"]
    if request.method == "POST":
        form = AnalysisUploadForm(request.POST, request.FILES, user=request.user)
    else:
        form = AnalysisUploadForm(user=request.user, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            analysis = services.analyse_movement(
                actor=request.user,
                student=data["student"],
                movement=data["movement"],
                keypoints=data["keypoints"],
                exercise=data.get("exercise"),
                note=data.get("note", ""),
            )
            if data.get("video"):
                movement_video.attach_video(actor=request.user, analysis=analysis, upload=data["video"])
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            field = exc.field if exc.field in form.fields else None
            target = "keypoints_file" if data.get("keypoints_file") else "keypoints_text"
            form.add_error(field or target, f"{exc.field}: {exc.message}" if exc.field and not field else exc.message)
        else:
            messages.success(request, _("Analysis saved."))
            return redirect("movement-analysis", pk=analysis.pk)
    return render(request, "physed/movement/upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def analysis_detail(request, pk: int):
    analysis = _visible_analysis(request, pk)
    results = analysis.results or {}
    texts = selectors.rule_texts(analysis.movement, get_language() or "en")
    faults = [{**fault, **texts.get(fault["code"], {})} for fault in results.get("faults", [])]
    not_assessed = [{**row, **texts.get(row["code"], {})} for row in results.get("not_assessed", [])]
    user = request.user
    return render(
        request,
        "physed/movement/detail.html",
        {
            "analysis": analysis,
            "results": results,
            "faults": faults,
            "not_assessed": not_assessed,
            "charts": analysis_charts(analysis),
            "can_delete": allowed_on_object(user, DELETE, analysis, record=False),
            "can_add": allowed_on_object(user, ADD, analysis, record=False),
            "can_see_history": selectors.can_view_student_analyses(user, analysis.student),
        },
    )


@login_required
def analysis_video(request, pk: int):
    return selectors.video_response(_visible_analysis(request, pk))


@login_required
@require_POST
def analysis_reanalyse(request, pk: int):
    analysis = _visible_analysis(request, pk)
    try:
        services.reanalyse(actor=request.user, analysis=analysis)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Analysis re-run with the current rules."))
    return redirect("movement-analysis", pk=analysis.pk)


@login_required
@require_http_methods(["GET", "POST"])
def analysis_delete(request, pk: int):
    analysis = _visible_analysis(request, pk)
    if not allowed_on_object(request.user, DELETE, analysis):
        raise PermissionDenied
    form = ConfirmForm(request.POST) if request.method == "POST" else ConfirmForm()
    if form.is_bound and form.is_valid():
        student = analysis.student
        services.delete_analysis(actor=request.user, analysis=analysis)
        messages.success(request, _("Analysis deleted."))
        return redirect("movement-student", student_id=student.pk)
    return render_confirm(
        request,
        title=_("Delete this analysis?"),
        question=_("The analysis, its keypoints and its video are deleted for good."),
        action_label=_("Delete analysis"),
        cancel_url=analysis.get_absolute_url(),
        details=[
            (_("Student"), analysis.student.display_name),
            (_("Movement"), analysis.get_movement_display()),
            (_("Date"), analysis.created_at.date()),
        ],
        form=form,
        status=400 if form.errors else 200,
    )


@login_required
def student_history(request, student_id: int):
    student = selectors.visible_student(request.user, student_id)
    if student is None:
        raise Http404
    if not selectors.can_view_student_analyses(request.user, student):
        raise PermissionDenied
    form = HistoryFilterForm(request.GET or None)
    movement = form.cleaned_data["movement"] if form.is_valid() else ""
    rows = selectors.student_analyses(request.user, student, movement or None)
    return render(
        request,
        "physed/movement/student.html",
        {
            "student": student,
            "form": form,
            "page": paginate(request, rows),
            "chart": history_chart(rows),
            "can_add": allowed_on_object(request.user, ADD, student, record=False),
        },
    )

"""Fitness pages: test events per class, an event's results with zones, the fast entry grid
(students × tests, one post, all or nothing, errors per cell), the standards page, the school's
fitness settings, and a student's fitness record (also for the student and their guardians).
Same visibility path and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.pages import paginate, render_confirm
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import has_school_perm, schools_where
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from assessments.forms_fitness import ClassFilterForm, FitnessSettingsForm, TestEventForm
from assessments.models import StandardSet, TestEvent
from assessments.selectors import fitness as selectors
from assessments.services import fitness as services
from physed.models import PEClass, Student
from physed.services.sessions_common import RowErrors

PAGE_SIZE = 25


def _event(request, pk: int, perm: str) -> TestEvent:
    event = get_object_or_404(TestEvent.objects.visible_to(request.user).select_related("pe_class__school"), pk=pk)
    if not allowed_on_object(request.user, perm, event):
        raise PermissionDenied
    return event


def _classes(user, perm):
    rows = PEClass.objects.visible_to(user)
    if not user.is_superuser:
        rows = rows.filter(school__in=schools_where(user, perm))
    return rows.order_by("name")


def _school_for(request, perm):
    school = current_school(request)
    if school is None or not (request.user.is_superuser or has_school_perm(request.user, perm, school.pk)):
        raise PermissionDenied
    return school


@login_required
def event_list(request):
    if not allowed_somewhere(request.user, services.VIEW_EVENT):
        raise PermissionDenied
    classes = _classes(request.user, services.VIEW_EVENT)
    form = ClassFilterForm(request.GET or None, classes=classes)
    pe_class = form.cleaned_data["pe_class"] if form.is_valid() else None
    rows = selectors.events_for(request.user, pe_class=pe_class).annotate(result_total=Count("results"))
    school = current_school(request)
    return render(
        request,
        "assessments/fitness/event_list.html",
        {
            "page": paginate(request, rows, per_page=PAGE_SIZE),
            "form": form,
            "can_add": school is not None and has_school_perm(request.user, services.ADD_EVENT, school.pk),
        },
    )


@login_required
def event_create(request):
    school = _school_for(request, services.ADD_EVENT)
    classes = PEClass.objects.visible_to(request.user).filter(school=school, is_active=True).order_by("name")
    tests = selectors.tests_for_school(school)
    if not services.settings_for(school).record_body_composition:
        tests = tests.filter(is_body_composition=False)
    initial = {"pe_class": request.GET.get("class")} if (request.GET.get("class") or "").isdigit() else {}
    form = TestEventForm(request.POST or None, classes=classes, tests=tests, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.create_test_event(
                actor=request.user,
                pe_class=data["pe_class"],
                name=data["name"],
                window=data["window"],
                date=data["date"],
                tests=data["tests"],
                notes=data["notes"],
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Test event planned."))
            return redirect("assessments-event-entry", pk=event.pk)
    return render(request, "assessments/fitness/event_form.html", {"form": form}, status=400 if form.errors else 200)


def _grid_context(request, event):
    school = event.pe_class.school
    body = services.settings_for(school).record_body_composition and has_school_perm(
        request.user, services.VIEW_BODY, school.pk
    )
    tests, rows = selectors.event_grid(event, include_body_composition=body or request.user.is_superuser)
    return tests, rows


@login_required
def event_detail(request, pk):
    event = _event(request, pk, services.VIEW_EVENT)
    tests, rows = _grid_context(request, event)
    summary = {}
    for _student, results in rows:
        for result in results.values():
            if result.test in tests:
                summary.setdefault(result.test_id, {}).setdefault(result.zone or "none", 0)
                summary[result.test_id][result.zone or "none"] += 1
    table = [(student, [results.get(test.pk) for test in tests]) for student, results in rows]
    return render(
        request,
        "assessments/fitness/event_detail.html",
        {
            "event": event,
            "tests": tests,
            "table": table,
            "summary": [(test, summary.get(test.pk, {})) for test in tests],
            "can_enter": allowed_on_object(request.user, services.ADD_RESULT, event, record=False),
            "can_delete": allowed_on_object(request.user, services.DELETE_EVENT, event, record=False),
        },
    )


@login_required
def event_entry(request, pk):
    """The fast entry grid: one input per student × test (``c-<student>-<test>``); blank removes
    a saved value. One post; nothing is saved if any cell is invalid."""
    event = _event(request, pk, services.ADD_RESULT)
    tests, rows = _grid_context(request, event)
    cell_errors: dict[str, str] = {}
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        entries, names = [], []
        for student, results in rows:
            for test in tests:
                name = f"c-{student.pk}-{test.pk}"
                if name not in posted:
                    continue
                value = posted.get(name, "").strip()
                if not value and test.pk not in results:
                    continue
                entries.append({"student": student, "test": test, "value": value})
                names.append(name)
        try:
            summary = services.record_fitness_results(actor=request.user, event=event, entries=entries)
        except RowErrors as exc:
            for index, problems in exc.rows.items():
                cell_errors[names[index]] = " ".join(
                    message for messages_ in problems.values() for message in messages_
                )
            messages.error(request, _("Nothing was saved: fix the marked cells."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved %(saved)s results, removed %(removed)s.") % summary)
            return redirect("assessments-event-detail", pk=event.pk)
    grid = []
    for student, results in rows:
        cells = []
        for test in tests:
            name = f"c-{student.pk}-{test.pk}"
            saved = results.get(test.pk)
            if posted is not None and name in posted:
                value = posted.get(name, "")
            else:
                value = _display(saved.value, test) if saved else ""
            cells.append(
                {"name": name, "test": test, "value": value, "error": cell_errors.get(name, ""), "result": saved}
            )
        grid.append((student, cells))
    return render(
        request,
        "assessments/fitness/event_entry.html",
        {"event": event, "tests": tests, "grid": grid, "has_errors": bool(cell_errors)},
        status=400 if cell_errors else 200,
    )


def _display(value, test) -> str:
    if test.unit == "min":
        total = round(float(value) * 60)
        return f"{total // 60}:{total % 60:02d}"
    text = f"{value:.{test.decimal_places}f}"
    return text


@login_required
def event_delete(request, pk):
    event = _event(request, pk, services.DELETE_EVENT)
    cancel = reverse("assessments-event-detail", args=[event.pk])
    from accounts.pages import ConfirmForm

    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_test_event(actor=request.user, event=event)
        messages.success(request, _("The test event and its results were deleted."))
        return redirect("assessments-event-list")
    return render_confirm(
        request,
        title=_("Delete %(event)s") % {"event": event.name},
        question=_("This deletes the event and every result entered for it."),
        action_label=_("Delete"),
        cancel_url=cancel,
        details=[(_("Class"), event.pe_class.name), (_("Date"), event.date), (_("Results"), event.results.count())],
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def standards(request):
    if not allowed_somewhere(request.user, services.VIEW_TESTS):
        raise PermissionDenied
    school = current_school(request)
    sets = StandardSet.objects.visible_to(request.user)
    chosen = request.GET.get("set", "")
    if chosen.isdigit():
        standard_set = get_object_or_404(sets, pk=int(chosen))
    else:
        standard_set = services.standard_set_for(school) if school is not None else sets.first()
    measures: dict[str, list] = {}
    if standard_set is not None:
        for band in selectors.bands_of(standard_set):
            measures.setdefault(band.measure, []).append(band)
    return render(
        request,
        "assessments/fitness/standards.html",
        {"standard_set": standard_set, "sets": sets.order_by("name"), "measures": sorted(measures.items())},
    )


@login_required
def fitness_settings(request):
    school = _school_for(request, services.CHANGE_SETTINGS)
    current = services.settings_for(school)
    sets = StandardSet.objects.filter(Q(school__isnull=True) | Q(school=school))
    form = FitnessSettingsForm(
        request.POST or None,
        sets=sets,
        initial={"standard_set": current.standard_set_id, "record_body_composition": current.record_body_composition},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_fitness_settings(actor=request.user, school=school, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Fitness settings saved."))
            return redirect("assessments-fitness-settings")
    return render(
        request,
        "assessments/fitness/settings.html",
        {"form": form, "school": school, "current": current},
        status=400 if form.errors else 200,
    )


@login_required
def student_fitness(request, pk):
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("school"), pk=pk)
    staff = request.user.is_superuser or has_school_perm(request.user, services.VIEW_EVENT, student.school_id)
    if not staff and not selectors.is_linked(request.user, student):
        raise Http404
    body = selectors.can_see_body_composition(request.user, student)
    results = selectors.student_results(student, include_body_composition=body)
    by_test: dict = {}
    for result in results:
        by_test.setdefault(result.test, []).append(result)
    charts = []
    from physed.charts import Series, line_chart

    for test, rows in by_test.items():
        name, unit = _(test.name), pgettext("fitness unit", test.unit)  # shipped names: assessments/data_strings.py
        chart = line_chart(
            [Series(name, [(row.event.date, float(row.value)) for row in rows])],
            title=f"{name} ({unit})",
            y_label=unit,
        )
        charts.append((test, rows, chart))
    return render(
        request,
        "assessments/fitness/student.html",
        {"student": student, "charts": charts, "staff": staff},
    )

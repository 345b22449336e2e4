"""Pages of "What the assistant remembers about me" (/memory/): list and search, add, edit,
delete (with confirmation), pin/unpin, export (JSON download) and "Tidy up" (the clean-up's
dry-run report, applied on confirmation).

Only the signed-in person's own memories, in the school they work in
(``Memory.objects.visible_to``: anybody else's memory is a 404, whatever their role). Writes go
through ``memory.services.memories``; the clean-up through ``memory.services.maintenance``.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from memory.api.serializers import MemorySerializer
from memory.api.views import SEARCH_LIMIT, run_own_maintenance
from memory.forms_memories import MemoryForm, MemorySearchForm, add_service_error
from memory.models import Memory
from memory.services import memories as service

PER_PAGE = 20
STEP_LABELS = {
    "merge": gettext_lazy("Merge near-duplicates"),
    "consolidate": gettext_lazy("Summarise old episodes"),
    "decay": gettext_lazy("Lower the importance of unused memories"),
    "expire": gettext_lazy("Remove expired memories"),
    "cap": gettext_lazy("Keep within the limit per person"),
}


def _school(request):
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    return school


def _mine(request, pk):
    return get_object_or_404(
        Memory.objects.visible_to(request.user).select_related("school", "student", "pe_class", "content_item"),
        pk=pk,
    )


@never_cache
@login_required
def memory_list(request):
    school = _school(request)
    form = MemorySearchForm(request.GET or None)
    query, kind, pinned_first = "", "", False
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        kind = form.cleaned_data["kind"]
        pinned_first = form.cleaned_data["pinned_first"]
    total = Memory.objects.visible_to(request.user).filter(school=school).count()
    if query:
        from memory.selectors.search import search_memories

        hits = search_memories(request.user, query, school=school, kinds=[kind] if kind else None, limit=SEARCH_LIMIT)
        rows = [(hit.memory, hit) for hit in hits]
        if pinned_first:
            rows.sort(key=lambda row: not row[0].pinned)  # stable: best match first within each group
    else:
        queryset = (
            Memory.objects.visible_to(request.user)
            .filter(school=school)
            .select_related("student", "pe_class", "content_item")
        )
        if kind:
            queryset = queryset.filter(kind=kind)
        order = ["-pinned"] if pinned_first else []
        rows = [(memory, None) for memory in queryset.order_by(*order, "-created_at", "-pk")]
    return render(
        request,
        "memory/memories/list.html",
        {
            "form": form,
            "query": query,
            "page": paginate(request, rows, per_page=PER_PAGE),
            "total": total,
            "filtered": bool(query or kind),
        },
    )


def _form_page(request, *, memory=None):
    school = memory.school if memory else _school(request)
    initial = MemoryForm.initial_for(memory) if memory else None
    form = MemoryForm(request.POST or None, initial=initial, user=request.user, school=school)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if memory is None:
                    service.create_memory(actor=request.user, school=school, **data)
                    messages.success(request, _("Memory added."))
                else:
                    service.update_memory(actor=request.user, memory=memory, **data)
                    messages.success(request, _("Memory saved."))
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                return redirect("memory-list")
        status = 400
    title = _("Edit memory") if memory else _("Add a memory")
    return render(request, "memory/memories/form.html", {"form": form, "memory": memory, "title": title}, status=status)


@login_required
def memory_add(request):
    return _form_page(request)


@login_required
def memory_edit(request, pk):
    return _form_page(request, memory=_mine(request, pk))


@login_required
def memory_delete(request, pk):
    memory = _mine(request, pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.delete_memory(actor=request.user, memory=memory)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Memory deleted: the assistant will not use it any more."))
        return redirect("memory-list")
    return render_confirm(
        request,
        title=_("Delete this memory?"),
        question=_("The assistant forgets it for good; this cannot be undone."),
        details=[(_("Memory"), memory.content), (_("Kind"), memory.get_kind_display())],
        action_label=_("Delete memory"),
        cancel_url=reverse("memory-list"),
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def memory_pin(request, pk):
    memory = _mine(request, pk)
    try:
        service.update_memory(actor=request.user, memory=memory, pinned=not memory.pinned)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Memory pinned.") if memory.pinned else _("Memory unpinned."))
    return redirect("memory-list")


@never_cache
@login_required
def memory_export(request):
    rows = MemorySerializer(
        Memory.objects.visible_to(request.user).select_related("student", "pe_class", "content_item"), many=True
    ).data
    response = HttpResponse(
        json.dumps({"memories": rows}, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="memories-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def _steps(user, reports: dict) -> list[dict]:
    """The reports in run order for the page: a label, how many memories would change, and each
    change with the memory's text (``{"memory_id", "action", "reason"}`` per change)."""
    ids = {change.get("memory_id") for report in reports.values() for change in report.get("changes", ())}
    texts = dict(Memory.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "content"))
    steps = []
    for name, report in reports.items():
        changes = [
            {**change, "content": texts.get(change.get("memory_id"), "")} for change in report.get("changes", ())
        ]
        steps.append({"name": name, "label": STEP_LABELS.get(name, name), "count": len(changes), "changes": changes})
    return steps


@never_cache
@login_required
def memory_tidy(request):
    school = _school(request)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run_own_maintenance(user=request.user, school=school, dry_run=False)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your memories were tidied up."))
        return redirect("memory-list")
    reports = run_own_maintenance(user=request.user, school=school, dry_run=True)
    steps = _steps(request.user, reports)
    return render(
        request,
        "memory/memories/tidy.html",
        {"form": form, "steps": steps, "has_changes": any(step["count"] for step in steps)},
        status=400 if request.method == "POST" else 200,
    )

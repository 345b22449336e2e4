"""Tag pages: the school's vocabulary with counts of items the user can see (rename, merge and
delete for managers), bulk tagging (items posted from the library page, or picked here), and the
htmx fragment of tag suggestions used on the item edit page. Rules live in the services
(``content.services.tags``, ``tags_bulk``) and the suggestion selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from content.forms_taxonomy import BulkTagForm, TagMergeForm, TagRenameForm, add_service_error
from content.models import ContentItem, ContentTag
from content.models.visibility import MANAGE_PERM, VIEW_PERM
from content.selectors import taxonomy as sel
from content.selectors.access import can_view
from content.selectors.taxonomy_suggestions import suggest_for_item, suggest_tags
from content.services import tags as tag_services
from content.services.tags_bulk import MAX_BULK_ITEMS, bulk_tag, skip_reason_label

PICKER_LIMIT = 100


def _school_for_view(request):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, VIEW_PERM, school.pk):
        raise PermissionDenied
    return school


@login_required
def tag_list(request):
    school = _school_for_view(request)
    query = request.GET.get("q", "")[:100]
    rows = sel.tags_for(request.user, query=query, school=school).order_by("name", "pk")
    return render(
        request,
        "content/taxonomy/tag_list.html",
        {
            "page": paginate(request, rows, per_page=50),
            "query": query,
            "can_manage": has_school_perm(request.user, MANAGE_PERM, school.pk),
        },
    )


def _managed_tag(request, pk):
    tag = get_object_or_404(ContentTag.objects.visible_to(request.user).select_related("school"), pk=pk)
    if not has_school_perm(request.user, MANAGE_PERM, tag.school_id):
        raise PermissionDenied
    return tag


@login_required
def tag_rename(request, pk):
    tag = _managed_tag(request, pk)
    form = TagRenameForm(request.POST or None, initial={"name": tag.name})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tag_services.rename_tag(actor=request.user, tag=tag, name=form.cleaned_data["name"])
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Tag renamed."))
                return redirect("content-tag-list")
        status = 400
    return render(
        request,
        "content/taxonomy/tag_form.html",
        {"form": form, "tag": tag, "title": _("Rename tag “%(name)s”") % {"name": tag.name}},
        status=status,
    )


@login_required
def tag_merge(request, pk):
    tag = _managed_tag(request, pk)
    others = ContentTag.objects.filter(school=tag.school).exclude(pk=tag.pk).order_by("name")
    form = TagMergeForm(request.POST or None, tags=others)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            target = others.get(pk=form.cleaned_data["into"])
            try:
                moved = tag_services.merge_tags(actor=request.user, source=tag, target=target)
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("“%(source)s” merged into “%(target)s”; %(count)d items re-tagged.")
                    % {"source": tag.name, "target": target.name, "count": moved},
                )
                return redirect("content-tag-list")
        status = 400
    return render(
        request,
        "content/taxonomy/tag_form.html",
        {"form": form, "tag": tag, "title": _("Merge tag “%(name)s”") % {"name": tag.name}, "merge": True},
        status=status,
    )


@login_required
def tag_delete(request, pk):
    tag = _managed_tag(request, pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = tag_services.delete_tag(actor=request.user, tag=tag)
        messages.success(request, _("Tag deleted from %(count)d items.") % {"count": count})
        return redirect("content-tag-list")
    return render_confirm(
        request,
        title=_("Delete tag"),
        question=_("Delete the tag “%(name)s” from the vocabulary and from every item?") % {"name": tag.name},
        action_label=_("Delete tag"),
        cancel_url=reverse("content-tag-list"),
        details=[(_("Items with this tag"), tag.tagged_items.count())],
        form=form,
        status=400 if request.method == "POST" else 200,
    )


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
        return value
    return ""


def _picker_items(request, school, chosen: list[int], query: str):
    """Items offered: the ones already chosen (that the user can see) and the user's editable
    items of the school (filtered by ``query``), newest first."""
    editable = ContentItem.objects.editable_by(request.user).filter(school=school)
    if query:
        editable = editable.filter(title__icontains=query)
    editable_ids = list(editable.order_by("-updated_at", "pk").values_list("pk", flat=True)[:PICKER_LIMIT])
    rows = ContentItem.objects.visible_to(request.user).filter(Q(pk__in=chosen) | Q(pk__in=editable_ids))
    return list(rows.order_by("-updated_at", "pk"))


def _ids(values) -> list[int]:
    return [int(value) for value in values if str(value).isdigit()][:MAX_BULK_ITEMS]


@login_required
def bulk_tag_page(request):
    school = _school_for_view(request)
    source = request.POST if request.method == "POST" else request.GET
    chosen = _ids(source.getlist("items"))
    query = source.get("q", "")[:100]
    next_url = _safe_next(request, source.get("next", ""))
    items = _picker_items(request, school, chosen, query)
    applying = request.method == "POST" and "apply" in request.POST
    form = BulkTagForm(request.POST if applying else None, items=items, initial={"items": chosen, "next": next_url})
    result, status = None, 200
    if applying:
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = bulk_tag(
                    actor=request.user,
                    item_ids=data["items"],
                    add=form.split(data["add"]),
                    remove=form.split(data["remove"]),
                )
            except ServiceError as exc:
                add_service_error(form, exc)
                status = 400
            else:
                titles = {item.pk: item.title for item in items}
                result = {
                    "changed": [titles.get(pk, pk) for pk in outcome.changed],
                    "skipped": [
                        {"title": titles.get(row["id"], row["id"]), "reason": skip_reason_label(row["reason"])}
                        for row in outcome.skipped
                    ],
                }
        else:
            status = 400
    return render(
        request,
        "content/taxonomy/bulk_tag.html",
        {"form": form, "result": result, "query": query, "next_url": next_url, "chosen": chosen},
        status=status,
    )


def _draft_params(request):
    """The query, with the item form's ``tag_names`` field (sent by ``hx-include``) read as
    ``tags``."""
    params = request.GET.copy()
    if "tag_names" in params and "tags" not in params:
        params["tags"] = params["tag_names"]
    return params


@login_required
@require_GET
def tag_suggestions(request, pk):
    """The htmx fragment: existing tags suggested for the item, with reasons. ``title``,
    ``summary``, ``body`` and ``tags`` in the query (the edit form's current values, sent with
    ``hx-include``) replace the stored ones, so suggestions follow the draft."""
    item = get_object_or_404(ContentItem.objects.in_user_schools(request.user), pk=pk)
    if not can_view(request.user, item):
        raise PermissionDenied
    params = _draft_params(request)
    if any(key in params for key in ("title", "summary", "body", "tags")):
        rows = suggest_tags(
            request.user,
            item.school,
            title=params.get("title", item.title)[:200],
            summary=params.get("summary", item.summary)[:1000],
            body=params.get("body", item.body)[:100000],
            tags=params["tags"].split(",") if "tags" in params else [tag.name for tag in item.tags.all()],
            activity_ids=list(item.activities.values_list("pk", flat=True)),
            standard_ids=list(item.standards.values_list("pk", flat=True)),
            exclude_item=item.pk,
        )
    else:
        rows = suggest_for_item(request.user, item)
    return render(request, "content/taxonomy/_suggestions.html", {"suggestions": rows, "item": item})


@login_required
@require_GET
def tag_suggestions_draft(request):
    """The same fragment for a new item's form (no item yet): the draft's ``title``, ``summary``,
    ``body`` and ``tags`` from the query, the current school's vocabulary."""
    school = _school_for_view(request)
    params = _draft_params(request)
    rows = suggest_tags(
        request.user,
        school,
        title=params.get("title", "")[:200],
        summary=params.get("summary", "")[:1000],
        body=params.get("body", "")[:100000],
        tags=params.get("tags", "").split(","),
    )
    return render(request, "content/taxonomy/_suggestions.html", {"suggestions": rows, "item": None})

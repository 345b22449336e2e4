"""Item pages: create, detail, edit (optimistic concurrency: a stale edit is re-rendered with
status 409, the changes since, the user's input kept and the new base version) and delete.
Thin: rights through ``content.selectors``, writes through ``content.services.items``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.pages import ConfirmForm, render_confirm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from content.forms_items import ItemForm
from content.forms_sharing import CommentForm
from content.models import ContentItem, ContentKind
from content.selectors import items as sel
from content.selectors.access import rights
from content.selectors.discovery import related_items
from content.selectors.sharing import comments_for
from content.services.common import ConflictError
from content.services.items import create_item, delete_item, update_item
from content.services.views import record_view


def _form_error(form, exc: ServiceError) -> None:
    field = {"tags": "tag_names"}.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def item_create(request):
    school = current_school(request)
    if not sel.can_add_in(request.user, school):
        raise PermissionDenied
    form = ItemForm(request.POST if request.method == "POST" else None, school=school, can_manage=True)
    if request.method == "POST" and form.is_valid():
        try:
            item = create_item(
                actor=request.user,
                school=school,
                change_note=form.cleaned_data["change_note"],
                co_authors=form.cleaned_data.get("co_authors") or (),
                **form.service_fields(),
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Item saved."))
            return redirect("content-item-detail", pk=item.pk)
    status = 400 if form.is_bound else 200
    return render(request, "content/items/form.html", {"form": form, "item": None}, status=status)


@login_required
def item_detail(request, pk):
    item = sel.find_item(request.user, pk, queryset=sel.detail_queryset(ContentItem.objects.all()))
    record_view(request.user, item)
    my_rights = rights(request.user, item)
    return render(
        request,
        "content/items/detail.html",
        {
            "item": item,
            "rights": my_rights,
            "schedules": sel.schedules_for_item(request.user, item),
            "can_schedule": my_rights["edit"] and item.kind == ContentKind.LESSON_PLAN,
            "can_fork": sel.can_add_in(request.user, item.school),
            "related": related_items(request.user, item),
            "comments": comments_for(request.user, item),
            "comment_form": CommentForm(),
            "can_comment": True,  # every viewer may comment (mentions reach only viewers)
        },
    )


@login_required
def item_edit(request, pk):
    item = sel.find_item(request.user, pk, need="edit", queryset=sel.detail_queryset(ContentItem.objects.all()))
    manage = rights(request.user, item)["manage"]
    initial = {"co_authors": list(item.co_authors.all())} if manage else {}
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        instance=item,
        initial=initial,
        school=item.school,
        can_manage=manage,
    )
    context = {"form": form, "item": item}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            extra = {"co_authors": list(form.cleaned_data["co_authors"])} if manage else {}
            try:
                update_item(
                    actor=request.user,
                    item=item,
                    base_version=form.cleaned_data["version"],
                    change_note=form.cleaned_data["change_note"],
                    **extra,
                    **form.service_fields(),
                )
            except ConflictError as exc:
                status = 409
                item.refresh_from_db()
                data = request.POST.copy()
                data["version"] = str(item.version)
                context.update(
                    form=ItemForm(data, instance=item, school=item.school, can_manage=manage),
                    conflict=exc.extra,
                    conflict_message=exc.message,
                )
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Item saved."))
                return redirect("content-item-detail", pk=item.pk)
    return render(request, "content/items/form.html", context, status=status)


@login_required
def item_delete(request, pk):
    item = sel.find_item(request.user, pk, need="manage")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        delete_item(actor=request.user, item=item)
        messages.success(request, _("Item deleted."))
        return redirect("content-home")
    return render_confirm(
        request,
        title=_("Delete %(title)s") % {"title": item.title},
        question=_("Delete this item with all its versions, attachments, shares and comments? Archiving keeps it."),
        details=[(_("Type"), item.get_kind_display()), (_("Version"), item.version)],
        action_label=_("Delete"),
        cancel_url=reverse("content-item-detail", args=[item.pk]),
        form=form,
        status=400 if form.is_bound else 200,
    )

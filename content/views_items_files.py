"""Attachment and scheduling pages of an item: upload (checked by bytes and size), the
permission-checked, audited, never-cached download from private storage, delete with a
confirmation, and scheduling a lesson plan into an upcoming session (and removing it)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts.pages import ConfirmForm, render_confirm
from accounts.services.errors import ServiceError
from content.forms_items import AttachmentForm, ScheduleForm
from content.models import ContentAttachment, ContentKind, LessonSchedule
from content.selectors import items as sel
from content.selectors.access import can_view, rights
from content.services import attachments as attachment_services
from content.services import scheduling


def attachment_response(user, attachment):
    """The file itself: audited, private, no-store, always a download (shared with the API)."""
    attachment_services.record_download(actor=user, attachment=attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _attachment(user, pk) -> ContentAttachment:
    attachment = ContentAttachment.objects.visible_to(user).select_related("item__school").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if not can_view(user, attachment.item):
        raise PermissionDenied
    return attachment


@login_required
def attachment_add(request, pk):
    item = sel.find_item(request.user, pk, need="edit")
    form = AttachmentForm(request.POST if request.method == "POST" else None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                attachment_services.add_attachment(actor=request.user, item=item, upload=form.cleaned_data["file"])
            except ServiceError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("File attached."))
                return redirect("content-item-detail", pk=item.pk)
    return render(
        request,
        "content/items/attachment_form.html",
        {"form": form, "item": item, "max_size": settings.CONTENT_MAX_ATTACHMENT_BYTES},
        status=status,
    )


@login_required
def attachment_download(request, pk):
    return attachment_response(request.user, _attachment(request.user, pk))


@login_required
def attachment_delete(request, pk):
    attachment = _attachment(request.user, pk)
    item = sel.find_item(request.user, attachment.item_id, need="edit")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        attachment_services.delete_attachment(actor=request.user, attachment=attachment)
        messages.success(request, _("Attachment deleted."))
        return redirect("content-item-detail", pk=item.pk)
    return render_confirm(
        request,
        title=_("Delete %(name)s") % {"name": attachment.original_name},
        question=_("Delete this attachment from “%(title)s”?") % {"title": item.title},
        action_label=_("Delete"),
        cancel_url=reverse("content-item-detail", args=[item.pk]),
        form=form,
        status=400 if form.is_bound else 200,
    )


@login_required
def item_schedule(request, pk):
    item = sel.find_item(request.user, pk, need="edit")
    if item.kind != ContentKind.LESSON_PLAN:
        raise Http404
    form = ScheduleForm(
        request.POST if request.method == "POST" else None, sessions=sel.schedulable_sessions(request.user, item)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                scheduling.schedule_lesson(actor=request.user, item=item, session=form.cleaned_data["session"])
            except ServiceError as exc:
                form.add_error("session", exc.message)
            else:
                messages.success(request, _("Lesson plan scheduled."))
                return redirect("content-item-detail", pk=item.pk)
    return render(
        request,
        "content/items/schedule.html",
        {
            "form": form,
            "item": item,
            "rights": rights(request.user, item),
            "schedules": sel.schedules_for_item(request.user, item),
        },
        status=status,
    )


@login_required
def schedule_delete(request, pk):
    schedule = LessonSchedule.objects.visible_to(request.user).select_related("item", "session__pe_class")
    schedule = schedule.filter(pk=pk).first()
    if schedule is None:
        raise Http404
    item = sel.find_item(request.user, schedule.item_id, need="view")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.unschedule_lesson(actor=request.user, schedule=schedule)
        except ServiceError as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("Removed from the session."))
        return redirect("content-item-detail", pk=item.pk)
    return render_confirm(
        request,
        title=_("Remove from session"),
        question=_("Remove “%(title)s” from %(session)s?") % {"title": item.title, "session": schedule.session},
        action_label=_("Remove"),
        cancel_url=reverse("content-item-detail", args=[item.pk]),
        form=form,
        status=400 if form.is_bound else 200,
    )

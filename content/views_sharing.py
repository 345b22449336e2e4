"""Sharing, comment and copy pages. Thin: the item is found in the user's schools (another
school's item is a 404), rights come from ``content.selectors.access`` (403 without them), and
every change goes through ``content.services.sharing / comments / forks``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.pages import ConfirmForm, render_confirm
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from content.forms_sharing import CommentForm, ForkForm, ShareForm
from content.models import ContentComment, ContentItem
from content.selectors.access import can_manage, can_view
from content.selectors.sharing import comments_for, shares_of
from content.services import comments as comment_services
from content.services import forks as fork_services
from content.services import sharing as services

ADD_PERM = "content.add_contentitem"


def _item(request, pk) -> ContentItem:
    return get_object_or_404(ContentItem.objects.in_user_schools(request.user).select_related("school"), pk=pk)


def _viewable(request, pk) -> ContentItem:
    item = _item(request, pk)
    if not can_view(request.user, item):
        raise PermissionDenied(_("You cannot see this item."))
    return item


def _managed(request, pk) -> ContentItem:
    item = _item(request, pk)
    if not can_manage(request.user, item):
        raise PermissionDenied(_("Only the owner or a department head can share this item."))
    return item


def _form_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def item_share(request, pk):
    """The item's shares with remove buttons, and the form to add one."""
    item = _managed(request, pk)
    form = ShareForm(request.POST or None, item=item)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.share(
                    actor=request.user,
                    item=item,
                    audience=data["audience"],
                    user=data.get("user"),
                    pe_class=data.get("pe_class"),
                    can_edit=data["access"] == "edit",
                )
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Shared."))
                return redirect("content-item-share", pk=item.pk)
        status = 400
    context = {"item": item, "shares": shares_of(item), "form": form}
    return render(request, "content/sharing/share.html", context, status=status)


def _share_target(item, audience, target):
    if audience == "user":
        return {"user": get_object_or_404(User, pk=target)}
    if audience == "class":
        from physed.models import PEClass

        return {"pe_class": get_object_or_404(PEClass, pk=target, school=item.school_id)}
    if audience == "school" and target == 0:
        return {}
    raise Http404


@login_required
def share_remove(request, pk, audience, target):
    """Confirm, then stop sharing with one person, class or the school."""
    item = _managed(request, pk)
    kwargs = _share_target(item, audience, target)
    back = reverse("content-item-share", args=[item.pk])
    label = next(
        (row["target_label"] for row in shares_of(item) if row["audience"] == audience and row["target_id"] == target),
        None,
    )
    if label is None:
        raise Http404
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.unshare(actor=request.user, item=item, audience=audience, **kwargs)
        messages.success(request, _("No longer shared with %(who)s.") % {"who": label})
        return redirect(back)
    return render_confirm(
        request,
        title=_("Stop sharing"),
        question=_("Stop sharing “%(title)s” with %(who)s?") % {"title": item.title, "who": label},
        action_label=_("Stop sharing"),
        cancel_url=back,
        form=form,
        status=400 if request.method == "POST" else 200,
    )


def _comment_context(request, item, form=None) -> dict:
    return {
        "item": item,
        "comments": comments_for(request.user, item),
        "comment_form": form or CommentForm(),
        "can_comment": True,
    }


@login_required
def item_comments(request, pk):
    """GET: the item's comments and the form; POST: add one (then back to ``next`` or here)."""
    item = _viewable(request, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                comment = comment_services.add_comment(actor=request.user, item=item, body=form.cleaned_data["body"])
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Comment added."))
                if comment.not_notified:
                    handles = ", ".join(f"@{handle}" for handle in comment.not_notified)
                    messages.warning(
                        request,
                        _("Not notified: %(handles)s cannot see this item.") % {"handles": handles},
                    )
                target = request.POST.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                    target = reverse("content-item-comments", args=[item.pk])
                return redirect(f"{target.split('#')[0]}#comment-{comment.pk}")
        context = _comment_context(request, item, form)
        return render(request, "content/sharing/comments.html", context, status=400)
    return render(request, "content/sharing/comments.html", _comment_context(request, item))


@login_required
def comment_delete(request, pk):
    """Confirm, then delete a comment (its author, or the item's owner or a manager)."""
    comment = get_object_or_404(ContentComment.objects.visible_to(request.user).select_related("item"), pk=pk)
    if not comment_services.can_delete_comment(request.user, comment):
        raise PermissionDenied(_("You can delete only your own comments."))
    back = reverse("content-item-comments", args=[comment.item_id])
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment_services.delete_comment(actor=request.user, comment=comment)
        messages.success(request, _("Comment deleted."))
        return redirect(back)
    return render_confirm(
        request,
        title=_("Delete comment"),
        question=_("Delete this comment on “%(title)s”?") % {"title": comment.item.title},
        details=[(_("Comment"), comment.body[:200])],
        action_label=_("Delete"),
        cancel_url=back,
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def item_fork(request, pk):
    """Confirm (with an optional title), then copy the item into the user's library."""
    item = _viewable(request, pk)
    if not has_school_perm(request.user, ADD_PERM, item.school_id):
        raise PermissionDenied(_("You cannot create items in this school."))
    form = ForkForm(request.POST or None, initial={"title": _("%(title)s (copy)") % {"title": item.title}})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                copy = fork_services.fork_item(actor=request.user, item=item, title=form.cleaned_data["title"])
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Copied into your library as a draft."))
                return redirect("content-item-detail", pk=copy.pk)
        status = 400
    return render(request, "content/sharing/fork.html", {"item": item, "form": form}, status=status)

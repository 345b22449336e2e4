"""History pages of a content item (content §2): the version list, one version read-only, the
diff between any two versions and restoring a version as a new one.

Thin views: the item is found through ``content.selectors.history.viewable_item`` (another
school's item is a 404, same school without view rights a 403); restoring needs edit rights and
goes through ``content.services.items.restore_version``, which refuses a stale confirmation (the
item moved on since the page was shown) with a conflict this page answers as 409 with the
changes since.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.pages import paginate
from accounts.services.errors import ServiceError
from content.forms_history import RestoreForm
from content.selectors import history as selectors
from content.selectors.access import rights
from content.services.common import ConflictError
from content.services.items import restore_version

HISTORY_PAGE_SIZE = 20


@login_required
def item_history(request, pk):
    item = selectors.viewable_item(request.user, pk)
    page = paginate(request, selectors.versions_of(request.user, item), HISTORY_PAGE_SIZE)
    versions = selectors.with_changed_fields(request.user, item, page.object_list)
    return render(
        request,
        "content/history/list.html",
        {
            "item": item,
            "page": page,
            "versions": versions,
            "can_restore": rights(request.user, item)["edit"],
            "default_from": max(item.version - 1, 1),
        },
    )


@login_required
def version_detail(request, pk, number):
    item = selectors.viewable_item(request.user, pk)
    version = selectors.version_of(request.user, item, number)
    return render(
        request,
        "content/history/version.html",
        {
            "item": item,
            "version": version,
            "content": selectors.snapshot_facts(version.snapshot),
            "can_restore": rights(request.user, item)["edit"] and version.number != item.version,
        },
    )


@login_required
def item_diff(request, pk):
    item = selectors.viewable_item(request.user, pk)
    try:
        old, new = selectors.diff_pair(request.user, item, request.GET.get("from"), request.GET.get("to"))
    except selectors.BadVersionParameter as exc:
        context = {"item": item, "error_param": exc.param, "error": exc.message}
        return render(request, "content/history/diff.html", context, status=400)
    return render(
        request,
        "content/history/diff.html",
        {"item": item, "old": old, "new": new, "changes": selectors.diff_versions(old, new)},
    )


@login_required
def version_restore(request, pk, number):
    item = selectors.viewable_item(request.user, pk)
    version = selectors.version_of(request.user, item, number)
    if not rights(request.user, item)["edit"]:
        raise PermissionDenied
    context = {"item": item, "version": version}
    if request.method != "POST":
        context["form"] = RestoreForm(initial={"version": item.version})
        return render(request, "content/history/restore.html", context)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        context["form"] = form
        return render(request, "content/history/restore.html", context, status=400)
    try:
        restored = restore_version(
            actor=request.user,
            item=item,
            number=version.number,
            base_version=form.cleaned_data["version"],
            change_note=form.cleaned_data["change_note"],
        )
    except ConflictError as exc:
        item.refresh_from_db()
        context.update(
            conflict=exc.extra,
            conflict_message=exc.message,
            form=RestoreForm(initial={"version": item.version, "change_note": form.cleaned_data["change_note"]}),
        )
        return render(request, "content/history/restore.html", context, status=409)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        raise Http404 from exc
    if restored.version == form.cleaned_data["version"]:
        messages.info(
            request,
            _("Version %(number)d has the same content as the current version: nothing to restore.")
            % {"number": version.number},
        )
    else:
        messages.success(
            request,
            _("Restored version %(number)d as version %(new)d.") % {"number": version.number, "new": restored.version},
        )
    return redirect(reverse("content-item-detail", args=[item.pk]))

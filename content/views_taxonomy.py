"""Category pages: the school's tree (nested list with counts of items the user can see,
subcategories included), create, edit (rename, move, reorder) and delete with a confirmation.
Thin: the rules live in ``content.services.categories``; the tree in ``content.selectors.taxonomy``.
The tag pages (vocabulary, bulk tagging, suggestions) are in ``content.views_taxonomy_tags``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.pages import render_confirm
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from content.forms_taxonomy import CategoryDeleteForm, CategoryForm, add_service_error
from content.models import Category, ContentItem
from content.models.taxonomy import MAX_CATEGORY_DEPTH
from content.models.visibility import VIEW_PERM
from content.selectors import taxonomy as sel
from content.services import categories as services


def _school_for_view(request):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, VIEW_PERM, school.pk):
        raise PermissionDenied
    return school


def _category(request, pk, perm):
    """Another school's category is a 404; same school without ``perm`` is a 403."""
    category = get_object_or_404(Category.objects.visible_to(request.user).select_related("school"), pk=pk)
    if not has_school_perm(request.user, perm, category.school_id):
        raise PermissionDenied
    return category


@login_required
def category_list(request):
    school = _school_for_view(request)
    tree = sel.category_tree(request.user, school)
    uncategorized = ContentItem.objects.visible_to(request.user).filter(school=school, category__isnull=True).count()
    return render(
        request,
        "content/taxonomy/category_list.html",
        {
            "school": school,
            "tree": tree,
            "uncategorized": uncategorized,
            "can_add": has_school_perm(request.user, services.ADD_PERM, school.pk),
            "can_change": has_school_perm(request.user, services.CHANGE_PERM, school.pk),
            "can_delete": has_school_perm(request.user, services.DELETE_PERM, school.pk),
            "max_depth_index": MAX_CATEGORY_DEPTH - 1,
        },
    )


def _parent(school, parent_id):
    if parent_id is None:
        return None
    return Category.objects.filter(school=school, pk=parent_id).first()


@login_required
def category_create(request):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, services.ADD_PERM, school.pk):
        raise PermissionDenied
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = CategoryForm(request.POST or None, initial=initial, school=school)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                category = services.create_category(
                    actor=request.user,
                    school=school,
                    name=data["name"],
                    description=data["description"],
                    parent=_parent(school, data["parent"]),
                    position=data["position"],
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Category “%(name)s” created.") % {"name": category.name})
                return redirect("content-category-list")
        status = 400
    return render(
        request,
        "content/taxonomy/category_form.html",
        {"form": form, "title": _("New category"), "category": None},
        status=status,
    )


@login_required
def category_edit(request, pk):
    category = _category(request, pk, services.CHANGE_PERM)
    initial = {
        "name": category.name,
        "description": category.description,
        "parent": category.parent_id,
        "position": category.position,
    }
    form = CategoryForm(request.POST or None, initial=initial, school=category.school, category=category)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_category(
                    actor=request.user,
                    category=category,
                    name=data["name"],
                    description=data["description"],
                    parent=_parent(category.school, data["parent"]),
                    position=data["position"],
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Category saved."))
                return redirect("content-category-list")
        status = 400
    return render(
        request,
        "content/taxonomy/category_form.html",
        {"form": form, "title": _("Edit category"), "category": category},
        status=status,
    )


@login_required
def category_delete(request, pk):
    category = _category(request, pk, services.DELETE_PERM)
    form = CategoryDeleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                emptied = services.delete_category(
                    actor=request.user, category=category, children=form.cleaned_data["children"]
                )
            except ServiceError as exc:
                form.add_error("children", exc.message)
            else:
                messages.success(
                    request,
                    _("Category deleted; %(count)d items no longer have a category.") % {"count": emptied},
                )
                return redirect("content-category-list")
        status = 400
    return render_confirm(
        request,
        title=_("Delete category"),
        question=_("Delete “%(name)s”? Its items keep existing without a category.") % {"name": category.name},
        action_label=_("Delete category"),
        cancel_url=reverse("content-category-list"),
        details=[
            (_("Subcategories"), category.children.count()),
            (
                _("Items directly in it"),
                ContentItem.objects.visible_to(request.user).filter(category=category).count(),
            ),
        ],
        form=form,
        status=status,
    )

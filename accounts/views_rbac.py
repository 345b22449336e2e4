"""Pages for school admins: people and their roles, custom roles, the permission matrix.
Every page works on the current school and calls the same services as the API."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms_rbac import AddMemberForm, AssignRoleForm, ChangeMembershipForm, CustomRoleForm
from accounts.models import CustomRole, Membership, PermissionDecisionStat, Role, RoleAssignment, User
from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.permissions import allowed_on_object
from accounts.roles import CATALOGUE, ROLE_PERMISSIONS
from accounts.selectors import has_school_perm
from accounts.services import rbac
from accounts.services.errors import ServiceError
from accounts.services_session import current_school


def _school_with(request, perm):
    """The current school, if the user holds ``perm`` there (else 403)."""
    school = current_school(request)
    if school is None:
        raise Http404
    allowed = has_school_perm(request.user, perm, school.pk)
    rbac.record_decision(request.user, perm, school.pk, allowed)
    if not allowed:
        raise PermissionDenied
    return school


def _apply(request, form, fn, success, **kwargs):
    try:
        result = fn(actor=request.user, **kwargs)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    messages.success(request, success)
    return result or True


@login_required
def people(request):
    school = _school_with(request, "accounts.view_membership")
    can_add = has_school_perm(request.user, "accounts.add_membership", school.pk)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if user is None:
                form.add_error("email", _("No account uses this email address."))
            elif _apply(
                request,
                form,
                rbac.add_membership,
                _("Member added."),
                school=school,
                user=user,
                role=form.cleaned_data["role"],
                valid_until=form.cleaned_data["valid_until"],
            ):
                return redirect("people")
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    rows = (
        Membership.objects.filter(school=school)
        .select_related("user")
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.active().select_related("custom_role"))
        )
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    if query:
        rows = rows.filter(
            Q(user__email__icontains=query) | Q(user__first_name__icontains=query) | Q(user__last_name__icontains=query)
        )
    if role in Role.values:
        rows = rows.filter(role=role)
    page = paginate(request, rows)
    return render(
        request,
        "accounts/rbac/people.html",
        {
            "school": school,
            "page": page,
            "form": form,
            "can_add": can_add,
            "query": query,
            "role": role,
            "roles": Role.choices,
            "now": timezone.now(),
            "can_change": has_school_perm(request.user, "accounts.change_membership", school.pk),
        },
    )


def _membership_in(request, pk, perm):
    membership = get_object_or_404(Membership.objects.visible_to(request.user).select_related("user", "school"), pk=pk)
    if membership.school != current_school(request):
        raise Http404
    if not allowed_on_object(request.user, perm, membership):
        raise PermissionDenied
    return membership


@login_required
def membership_edit(request, pk):
    membership = _membership_in(request, pk, "accounts.change_membership")
    school = membership.school
    form = ChangeMembershipForm(
        request.POST if request.POST.get("form") == "membership" else None,
        initial={"role": membership.role, "valid_until": membership.valid_until},
    )
    assign_form = AssignRoleForm(request.POST if request.POST.get("form") == "assign" else None, school=school)
    if request.method == "POST":
        if request.POST.get("form") == "membership" and form.is_valid():
            if _apply(
                request,
                form,
                rbac.change_membership,
                _("Membership updated."),
                membership=membership,
                **form.cleaned_data,
            ):
                return redirect("people")
        elif request.POST.get("form") == "assign" and assign_form.is_valid():
            if _apply(
                request,
                assign_form,
                rbac.assign_custom_role,
                _("Custom role assigned."),
                membership=membership,
                **assign_form.cleaned_data,
            ):
                return redirect("membership-edit", pk=membership.pk)
        elif request.POST.get("form") == "unassign":
            assignment = get_object_or_404(RoleAssignment, pk=request.POST.get("assignment"), membership=membership)
            try:
                rbac.unassign_custom_role(actor=request.user, assignment=assignment)
                messages.success(request, _("Custom role removed."))
            except ServiceError as exc:
                messages.error(request, exc.message)
            return redirect("membership-edit", pk=membership.pk)
    return render(
        request,
        "accounts/rbac/membership_edit.html",
        {
            "membership": membership,
            "form": form,
            "assign_form": assign_form,
            "assignments": membership.role_assignments.select_related("custom_role").order_by("custom_role__name"),
        },
    )


@login_required
def membership_remove(request, pk):
    membership = _membership_in(request, pk, "accounts.delete_membership")
    form = ConfirmForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(request, form, rbac.remove_membership, _("Member removed."), membership=membership)
    ):
        return redirect("people")
    return render_confirm(
        request,
        form=form,
        title=_("Remove %(name)s from %(school)s?")
        % {"name": membership.user.get_full_name(), "school": membership.school.name},
        question=_("They lose the role %(role)s and every custom role given with it.")
        % {"role": membership.get_role_display()},
        action_label=_("Remove"),
        cancel_url=reverse("people"),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def roles(request):
    school = _school_with(request, "accounts.view_customrole")
    can_add = has_school_perm(request.user, "accounts.add_customrole", school.pk)
    form = CustomRoleForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid() and _apply(
            request, form, rbac.create_custom_role, _("Role created."), school=school, **form.cleaned_data
        ):
            return redirect("roles")
    rows = (
        CustomRole.objects.filter(school=school)
        .annotate(
            holders=Count(
                "assignments",
                filter=Q(assignments__valid_until__isnull=True) | Q(assignments__valid_until__gt=timezone.now()),
            )
        )
        .order_by("name")
    )
    return render(
        request,
        "accounts/rbac/roles.html",
        {
            "school": school,
            "roles": rows,
            "form": form,
            "can_add": can_add,
            "can_see_matrix": has_school_perm(request.user, "accounts.view_permissiondecisionstat", school.pk),
            "catalogue": CATALOGUE,
        },
    )


def _custom_role_in(request, pk, perm):
    role = get_object_or_404(CustomRole.objects.visible_to(request.user).select_related("school"), pk=pk)
    if role.school != current_school(request):
        raise Http404
    if not allowed_on_object(request.user, perm, role):
        raise PermissionDenied
    return role


@login_required
def role_edit(request, pk):
    role = _custom_role_in(request, pk, "accounts.change_customrole")
    form = CustomRoleForm(
        request.POST or None,
        initial={"name": role.name, "description": role.description, "permissions": role.permissions},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(request, form, rbac.update_custom_role, _("Role saved."), role=role, **form.cleaned_data)
    ):
        return redirect("roles")
    holders = role.assignments.select_related("membership__user").order_by("membership__user__email")
    return render(request, "accounts/rbac/role_edit.html", {"role": role, "form": form, "holders": holders})


@login_required
def role_delete(request, pk):
    role = _custom_role_in(request, pk, "accounts.delete_customrole")
    form = ConfirmForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(request, form, rbac.delete_custom_role, _("Role deleted."), role=role)
    ):
        return redirect("roles")
    return render_confirm(
        request,
        form=form,
        title=_("Delete the role %(name)s?") % {"name": role.name},
        question=_("%(count)s member(s) hold it now and will lose its permissions.")
        % {"count": role.assignments.count()},
        action_label=_("Delete"),
        cancel_url=reverse("roles"),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def permission_matrix(request):
    """Role × permission matrix, who holds what, and where access is most often denied."""
    school = _school_with(request, "accounts.view_permissiondecisionstat")
    custom = list(CustomRole.objects.filter(school=school).order_by("name"))
    columns = [{"label": label, "perms": ROLE_PERMISSIONS[value], "custom": False} for value, label in Role.choices]
    columns += [{"label": role.name, "perms": set(role.permissions), "custom": True} for role in custom]
    rows = [
        {
            "codename": codename,
            "area": area,
            "description": text,
            "cells": [codename in column["perms"] for column in columns],
        }
        for codename, (area, text) in sorted(CATALOGUE.items(), key=lambda kv: (str(kv[1][0]), kv[0]))
    ]
    active = Membership.objects.active().filter(school=school)
    holders = {row["role"]: row["n"] for row in active.values("role").annotate(n=Count("id"))}
    since = timezone.localdate() - timedelta(days=30)
    denied = (
        PermissionDecisionStat.objects.filter(school=school, day__gte=since)
        .values("permission", "role")
        .annotate(denied=Sum("denied"), allowed=Sum("allowed"))
        .filter(denied__gt=0)
        .order_by("-denied")[:10]
    )
    return render(
        request,
        "accounts/rbac/matrix.html",
        {
            "school": school,
            "columns": columns,
            "rows": rows,
            "denied": denied,
            "since": since,
            "holders": [(label, holders.get(value, 0)) for value, label in Role.choices],
            "custom_holders": [(role.name, role.assignments.count()) for role in custom],
        },
    )

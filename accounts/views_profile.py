"""Profile pages: your own profile (details, privacy, picture), the school directory, a member's
profile with the school admin's actions (staff id, staff verification), and the
permission-checked picture URL. Thin: the selectors decide who sees what, the services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors_profiles
from accounts.api.profile_views import avatar_response
from accounts.forms_profile import AvatarForm, DirectorySearchForm, ProfileForm, StaffRecordForm
from accounts.models import Profile, User
from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.selectors import has_school_perm
from accounts.selectors_profiles import (
    can_see,
    is_verified_staff,
    profile_of,
    schools_where_viewer_may,
    staff_records_for,
    users_visible_to,
)
from accounts.services import ServiceError
from accounts.services import profiles as profile_services
from accounts.services_session import current_school

VIEW, CHANGE, VERIFY = "accounts.view_user", "accounts.change_user", "accounts.verify_staff"


def member_card(viewer, target, school=None) -> dict:
    """What ``viewer`` may see of ``target`` (privacy applied), for the templates."""
    profile = profile_of(target)
    return {
        "user": target,
        "profile": profile,
        "name": profile.display_name(),
        "email": target.email if can_see(viewer, target, profile.email_visibility) else "",
        "phone": profile.phone if can_see(viewer, target, profile.phone_visibility) else "",
        "bio": profile.bio if can_see(viewer, target, profile.bio_visibility) else "",
        "show_picture": profile.has_avatar and can_see(viewer, target, profile.picture_visibility),
        "picture_version": int(profile.avatar_updated_at.timestamp()) if profile.avatar_updated_at else 0,
        "verified": bool(school) and any(r.school_id == school.pk and r.is_verified for r in staff_records_for(target)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    own = profile_services.profile_for(user)
    # the form validates a copy: the service compares against the stored values
    form = ProfileForm(request.POST or None, instance=Profile.objects.get(pk=own.pk), user=user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("first_name", "last_name", *ProfileForm.Meta.fields)}
        try:
            profile_services.update_user_profile(actor=user, user=user, **fields)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("profile")
    school = current_school(request)
    context = {
        "form": form,
        "avatar_form": AvatarForm(),
        "card": member_card(user, user, school),
        "records": staff_records_for(user),
        "can_use_directory": bool(school) and has_school_perm(user, VIEW, school.pk),
    }
    return render(request, "accounts/profile/profile.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def avatar_upload(request):
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            profile_services.set_avatar(actor=request.user, user=request.user, upload=form.cleaned_data["file"])
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Your picture was updated."))
            return redirect("profile")
    user = request.user
    school = current_school(request)
    context = {
        "form": ProfileForm(instance=profile_services.profile_for(user), user=user),
        "avatar_form": form,
        "card": member_card(user, user, school),
        "records": staff_records_for(user),
        "can_use_directory": bool(school) and has_school_perm(user, VIEW, school.pk),
    }
    return render(request, "accounts/profile/profile.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def avatar_remove(request):
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile_services.remove_avatar(actor=request.user, user=request.user)
        messages.success(request, _("Your picture was removed."))
        return redirect("profile")
    return render_confirm(
        request,
        title=_("Remove your picture"),
        question=_("Remove your profile picture? People will see your initials instead."),
        action_label=_("Remove picture"),
        cancel_url=reverse("profile"),
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def avatar_image(request, user_id: int, size: str):
    """The page-side picture URL: same visibility and privacy checks as the API."""
    target = get_object_or_404(users_visible_to(request.user), pk=user_id)
    return avatar_response(request.user, target, size)


@login_required
def directory(request):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, VIEW, school.pk):
        raise PermissionDenied
    search = DirectorySearchForm(request.GET or None)
    rows = selectors_profiles.directory_for(request.user, school)
    if search.is_valid() and search.cleaned_data["q"]:
        term = search.cleaned_data["q"]
        rows = rows.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(profile__preferred_name__icontains=term)
            | Q(profile__title__icontains=term)
        )
    page = paginate(request, rows)
    cards = [member_card(request.user, target, school) for target in page.object_list]
    return render(
        request, "accounts/profile/directory.html", {"page": page, "cards": cards, "search": search, "school": school}
    )


def _member_or_404(request, user_id: int) -> User:
    return get_object_or_404(users_visible_to(request.user), pk=user_id)


@login_required
@require_http_methods(["GET", "POST"])
def member(request, user_id: int):
    target = _member_or_404(request, user_id)
    school = current_school(request)
    if not schools_where_viewer_may(request.user, VIEW, target) and request.user.pk != target.pk:
        raise PermissionDenied
    admin_school = school if school and school.pk in schools_where_viewer_may(request.user, CHANGE, target) else None
    hidden = profile_of(target).directory_opt_out and request.user.pk != target.pk
    if hidden and admin_school is None:
        raise Http404
    record = next((r for r in staff_records_for(target) if school and r.school_id == school.pk), None)
    staff_form = StaffRecordForm(request.POST or None, initial={"staff_id": record.staff_id if record else ""})
    if request.method == "POST":
        if admin_school is None:
            raise PermissionDenied
        if staff_form.is_valid():
            try:
                profile_services.set_staff_id(
                    actor=request.user, user=target, school=admin_school, staff_id=staff_form.cleaned_data["staff_id"]
                )
            except ServiceError as exc:
                staff_form.add_error("staff_id", exc.message)
            else:
                messages.success(request, _("The staff id was saved."))
                return redirect("directory-member", user_id=target.pk)
    context = {
        "card": member_card(request.user, target, school),
        "school": school,
        "record": record,
        "staff_form": staff_form if admin_school else None,
        "can_verify": bool(school) and school.pk in schools_where_viewer_may(request.user, VERIFY, target),
        "is_verified": bool(school) and is_verified_staff(target, school.pk),
    }
    return render(request, "accounts/profile/member.html", context, status=400 if staff_form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def member_verify(request, user_id: int):
    target = _member_or_404(request, user_id)
    school = current_school(request)
    if school is None or school.pk not in schools_where_viewer_may(request.user, VERIFY, target):
        raise PermissionDenied
    verified_now = any(r.school_id == school.pk and r.is_verified for r in staff_records_for(target))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.set_staff_verification(
                actor=request.user, user=target, school=school, verified=not verified_now
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Staff verification removed.") if verified_now else _("Verified as staff of this school.")
            )
        return redirect("directory-member", user_id=target.pk)
    name = profile_of(target).display_name()
    return render_confirm(
        request,
        title=_("Remove staff verification") if verified_now else _("Verify as staff"),
        question=(
            _("Remove the verified-staff badge from %(name)s in %(school)s?")
            if verified_now
            else _("Confirm that %(name)s is a member of staff at %(school)s? They get the verified badge.")
        )
        % {"name": name, "school": school.name},
        action_label=_("Remove verification") if verified_now else _("Verify as staff"),
        cancel_url=reverse("directory-member", args=[target.pk]),
        form=form,
        status=400 if request.method == "POST" else 200,
    )

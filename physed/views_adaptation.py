"""Pages: the adaptation profile editor, decisions on proposals (posted from the live session
panel), the recommendations page of a class and pick/dismiss (posted from it and the panel).
Same visibility path and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_on_object
from accounts.services.errors import ServiceError
from physed.engines.data import recommendation_config
from physed.forms_adaptation import DecisionForm, FeedbackForm, ProfileForm, RecommendationFilterForm
from physed.models import (
    Activity,
    AdaptationProfile,
    AdaptationProposal,
    ClassSession,
    PEClass,
    SessionStatus,
    Student,
)
from physed.selectors import recommendation as recommendation_selectors
from physed.services import adaptation as adaptation_services
from physed.services import recommendation as recommendation_services

VIEW_PROFILE = "physed.view_adaptationprofile"
CHANGE_PROFILE = "physed.change_adaptationprofile"
VIEW_PROPOSAL = "physed.view_adaptationproposal"
CHANGE_PROPOSAL = "physed.change_adaptationproposal"


def _require(user, perm, obj):
    if not allowed_on_object(user, perm, obj):
        raise PermissionDenied


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


@login_required
def profile_edit(request, pk):
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("school"), pk=pk)
    _require(request.user, CHANGE_PROFILE, student)
    profile = AdaptationProfile.objects.filter(student=student).first()
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                adaptation_services.save_profile(actor=request.user, student=student, **form.profile_values())
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Adaptation profile saved."))
                return redirect(_next_url(request, reverse("adaptation-profile", args=[student.pk])))
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
        if profile is not None and profile.notes:
            adaptation_services.record_profile_read(actor=request.user, profile=profile)
    return render(
        request,
        "physed/adaptation/profile_edit.html",
        {"student": student, "profile": profile, "form": form, "next": _next_url(request, "")},
    )


@login_required
@require_POST
def decide(request, pk):
    session = get_object_or_404(ClassSession.objects.visible_to(request.user).select_related("pe_class"), pk=pk)
    _require(request.user, CHANGE_PROPOSAL, session)
    form = DecisionForm(request.POST)
    fallback = reverse("adaptation-session", args=[session.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a proposal and accept or reject it."))
        return redirect(_next_url(request, fallback))
    proposal = AdaptationProposal.objects.filter(session=session, pk=form.cleaned_data["proposal"]).first()
    if proposal is None:
        messages.error(request, _("That proposal is not part of this session."))
        return redirect(_next_url(request, fallback))
    accepted = form.cleaned_data["decision"] == "accept"
    try:
        adaptation_services.decide_proposal(actor=request.user, proposal=proposal, accepted=accepted)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Adaptation accepted.") if accepted else _("Adaptation rejected."))
    return redirect(_next_url(request, fallback))


@login_required
def session_adaptations(request, pk):
    """The live adaptation panel on its own page (linked from the panel and usable on a phone)."""
    session = get_object_or_404(ClassSession.objects.visible_to(request.user).select_related("pe_class"), pk=pk)
    _require(request.user, VIEW_PROPOSAL, session)
    return render(request, "physed/adaptation/session.html", {"session": session})


def _open_sessions(pe_class):
    return ClassSession.objects.filter(
        pe_class=pe_class, status__in=[SessionStatus.PLANNED, SessionStatus.IN_PROGRESS]
    ).order_by("date", "pk")[:20]


@login_required
def class_recommendations(request, pk):
    pe_class = get_object_or_404(PEClass.objects.visible_to(request.user).select_related("school"), pk=pk)
    _require(request.user, VIEW_PROPOSAL, pe_class)
    sessions = list(_open_sessions(pe_class))
    form = RecommendationFilterForm(request.GET or None, sessions=sessions)
    filters = recommendation_selectors.Filters(limit=recommendation_config()["max_limit"])
    if form.is_valid():
        data = form.cleaned_data
        chosen = {item.slug for item in data["equipment"]}
        filters.equipment = frozenset(chosen) if chosen else None
        filters.duration = data["duration"]
        filters.space = data["space"] or None
        filters.session = next((s for s in sessions if s.pk == data["session"]), None)
    ranking = recommendation_selectors.present(recommendation_selectors.recommend_for_class(pe_class, filters))
    return render(
        request,
        "physed/adaptation/recommendations.html",
        {
            "pe_class": pe_class,
            "form": form,
            "ranking": ranking,
            "session": filters.session,
            "can_decide": allowed_on_object(request.user, CHANGE_PROPOSAL, pe_class, record=False),
        },
    )


@login_required
@require_POST
def recommendation_feedback(request, pk):
    pe_class = get_object_or_404(PEClass.objects.visible_to(request.user).select_related("school"), pk=pk)
    _require(request.user, CHANGE_PROPOSAL, pe_class)
    form = FeedbackForm(request.POST)
    fallback = reverse("adaptation-recommendations", args=[pe_class.pk])
    if not form.is_valid():
        messages.error(request, _("Choose an activity and pick or dismiss it."))
        return redirect(_next_url(request, fallback))
    data = form.cleaned_data
    activity = Activity.objects.visible_to(request.user).filter(pk=data["activity"]).first()
    session = None
    if data.get("session"):
        session = ClassSession.objects.filter(pe_class=pe_class, pk=data["session"]).first()
    if activity is None or (data.get("session") and session is None):
        messages.error(request, _("That activity or session is not available."))
        return redirect(_next_url(request, fallback))
    try:
        recommendation_services.record_feedback(
            actor=request.user,
            pe_class=pe_class,
            activity=activity,
            action=data["action"],
            reason=data.get("reason", ""),
            session=session,
            score=data.get("score"),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if data["action"] == "pick":
            text = (_("%(activity)s added to the session plan.") if session else _("%(activity)s picked.")) % {
                "activity": activity.name
            }
        else:
            text = _("%(activity)s dismissed; it will rank lower.") % {"activity": activity.name}
        messages.success(request, text)
    return redirect(_next_url(request, fallback))

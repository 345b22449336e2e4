"""Panels the adaptation/recommendation area lends to other pages (student page, class page,
live session page). Each checks the request user's permissions itself and renders nothing for
a user who may not see it."""

from django import template

from accounts.permissions import allowed_on_object
from physed.engines.reasons import render_reason
from physed.models import AdaptationProfile, RestrictionKind
from physed.selectors import adaptation as adaptation_selectors
from physed.selectors import recommendation as recommendation_selectors
from physed.services import adaptation as adaptation_services
from physed.services.recommendation import OPEN_STATUSES

register = template.Library()

VIEW_PROFILE = "physed.view_adaptationprofile"
CHANGE_PROFILE = "physed.change_adaptationprofile"
VIEW_PROPOSAL = "physed.view_adaptationproposal"
CHANGE_PROPOSAL = "physed.change_adaptationproposal"
PANEL_LIMIT = 5


def _user(context):
    request = context.get("request")
    return request, getattr(request, "user", None)


def _allowed(user, perm, obj) -> bool:
    return bool(user is not None and user.is_authenticated and allowed_on_object(user, perm, obj, record=False))


def restriction_rows(profile) -> list[dict]:
    labels = dict(RestrictionKind.choices)
    return [
        {"label": labels.get(item["kind"], item["kind"]), "until": item.get("until")}
        for item in (profile.restrictions if profile else [])
    ]


@register.inclusion_tag("physed/adaptation/_student_panel.html", takes_context=True)
def student_adaptation_panel(context, student):
    request, user = _user(context)
    if not _allowed(user, VIEW_PROFILE, student):
        return {"show": False}
    profile = AdaptationProfile.objects.filter(student=student).first()
    recommendations = []
    if _allowed(user, VIEW_PROPOSAL, student):
        ranking = recommendation_selectors.recommend_for_student(student, recommendation_selectors.Filters(limit=3))
        recommendations = recommendation_selectors.present(ranking)["results"]
    return {
        "show": True,
        "request": request,
        "student": student,
        "profile": profile,
        "restrictions": restriction_rows(profile),
        "can_edit": _allowed(user, CHANGE_PROFILE, student),
        "recommendations": recommendations,
    }


def _proposal_rows(proposals) -> list[dict]:
    return [
        {"proposal": p, "reasons": [render_reason(item.get("reason") or {}) for item in p.factors or []]}
        for p in proposals
    ]


@register.inclusion_tag("physed/adaptation/_live_panel.html", takes_context=True)
def live_adaptation_panel(context, session):
    request, user = _user(context)
    if not _allowed(user, VIEW_PROPOSAL, session):
        return {"show": False}
    block = adaptation_services.refresh_proposals(session=session)
    proposals = list(adaptation_selectors.session_proposals(session, block)) if block else []
    return {
        "show": True,
        "request": request,
        "session": session,
        "block": block,
        "pending": _proposal_rows([p for p in proposals if p.status == "pending"]),
        "decided": _proposal_rows([p for p in proposals if p.status != "pending"]),
        "can_decide": _allowed(user, CHANGE_PROPOSAL, session),
        "next": request.get_full_path() if request else "",
    }


@register.inclusion_tag("physed/adaptation/_recommendations_panel.html", takes_context=True)
def recommendations_panel(context, pe_class, session=None):
    request, user = _user(context)
    if not _allowed(user, VIEW_PROPOSAL, pe_class):
        return {"show": False}
    ranking = recommendation_selectors.recommend_for_class(
        pe_class, recommendation_selectors.Filters(limit=PANEL_LIMIT, session=session)
    )
    return {
        "show": True,
        "request": request,
        "pe_class": pe_class,
        "session": session if session is not None and session.status in OPEN_STATUSES else None,
        "ranking": recommendation_selectors.present(ranking),
        "can_decide": _allowed(user, CHANGE_PROPOSAL, pe_class),
        "next": request.get_full_path() if request else "",
    }

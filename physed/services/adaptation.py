"""Writes for adaptation: profiles, the proposals the engine computes for a session's next block,
and the teacher's accept/reject decisions, which re-weight the school's future proposals."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.engines import adaptation as engine
from physed.engines.data import adaptation_config
from physed.models import (
    AdaptationProfile,
    AdaptationProposal,
    ClassSession,
    EngineWeights,
    ModificationKind,
    ProposalStatus,
    RestrictionKind,
    SessionBlock,
    Student,
)
from physed.selectors import adaptation as selectors
from physed.selectors.adaptation_providers import environment_alerts

PROFILE_FIELDS = (
    "has_iep",
    "has_504",
    "notes",
    "restrictions",
    "skill_level",
    "category_skill_levels",
    "preferred_modifications",
    "assistance_needs",
)


def clean_restrictions(items) -> list[dict]:
    """``[{"kind", "until"?}]`` with known kinds and ISO dates; one entry per kind."""
    if not isinstance(items, list):
        raise ServiceError(_("Restrictions must be a list."), field="restrictions")
    cleaned: dict[str, dict] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("kind") not in RestrictionKind.values:
            raise ServiceError(
                _("Each restriction needs a kind, one of: %(kinds)s.") % {"kinds": ", ".join(RestrictionKind.values)},
                field="restrictions",
            )
        until = item.get("until") or None
        if until is not None:
            try:
                until = datetime.date.fromisoformat(str(until)).isoformat()
            except ValueError as exc:
                raise ServiceError(_("A restriction's end date must be YYYY-MM-DD."), field="restrictions") from exc
        cleaned[item["kind"]] = {"kind": item["kind"], "until": until}
    return list(cleaned.values())


def _clean_profile_values(values: dict) -> dict:
    values = dict(values)
    if "restrictions" in values:
        values["restrictions"] = clean_restrictions(values["restrictions"])
    if "preferred_modifications" in values:
        kinds = values["preferred_modifications"]
        if not isinstance(kinds, list) or any(kind not in ModificationKind.values for kind in kinds):
            raise ServiceError(
                _("Preferred modifications must be kinds from: %(kinds)s.")
                % {"kinds": ", ".join(ModificationKind.values)},
                field="preferred_modifications",
            )
        values["preferred_modifications"] = list(dict.fromkeys(kinds))
    if "category_skill_levels" in values:
        levels = values["category_skill_levels"]
        if not isinstance(levels, dict) or any(
            not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5 for level in levels.values()
        ):
            raise ServiceError(_("Skill levels per category must be whole numbers 1–5."), field="category_skill_levels")
    return values


@transaction.atomic
def save_profile(*, actor, student: Student, **values) -> AdaptationProfile:
    """Creates or updates the student's profile; audits what changed (notes masked)."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown profile fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    values = _clean_profile_values(values)
    profile, created = AdaptationProfile.objects.select_for_update().get_or_create(student=student)
    before = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.full_clean(exclude=["student"])
    profile.save()
    after = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    changes = {key: {"before": before[key], "after": after[key]} for key in PROFILE_FIELDS if before[key] != after[key]}
    record_event(
        "physed.adaptation_profile_created" if created else "physed.adaptation_profile_changed",
        actor=actor,
        school=student.school,
        target=profile,
        changes=changes,
    )
    return profile


def record_profile_read(*, actor, profile: AdaptationProfile) -> None:
    """Profile notes are sensitive (DESIGN §5): every read of them is audit-logged."""
    record_event("physed.adaptation_profile_viewed", actor=actor, school=profile.student.school, target=profile)


def _key(block, student_id, kind, direction):
    return (block.pk if block else None, student_id, kind, direction)


@transaction.atomic
def refresh_proposals(*, session: ClassSession, block: SessionBlock | None = None) -> SessionBlock | None:
    """Computes the proposals for ``block`` (default: the next block) and stores the shown ones:
    pending rows are refreshed in place, ones no longer proposed are marked superseded, and a
    change the teacher already decided on is not proposed again. Returns the block."""
    block = block or selectors.next_block(session)
    if block is None:
        return None
    activity = selectors.activity_info(block.activity)
    students = selectors.session_students(session)
    signals = selectors.student_signals(session, students)
    weights = selectors.adaptation_weights(session.pe_class.school_id)
    alerts = environment_alerts(session.pe_class.school, session.date, block.activity.space)
    proposals = engine.shown(engine.propose(signals, activity, alerts=alerts, weights=weights))
    existing = AdaptationProposal.objects.select_for_update().filter(session=session, block=block)
    by_key: dict[tuple, AdaptationProposal] = {}
    decided = set()
    for row in existing:
        key = _key(row.block, row.student_id, row.kind, row.direction)
        if row.status == ProposalStatus.PENDING:
            by_key[key] = row
        elif row.status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
            decided.add(key)
    seen = set()
    for proposal in proposals:
        key = _key(block, proposal.student_id, proposal.kind, proposal.direction)
        if key in decided:
            continue
        seen.add(key)
        values = {
            "activity_id": activity.id,
            "text": proposal.text,
            "score": round(proposal.score, 4),
            "required": proposal.required,
            "factors": [c.as_dict() for c in proposal.contributions],
        }
        row = by_key.get(key)
        if row is None:
            AdaptationProposal.objects.create(
                session=session,
                block=block,
                student_id=proposal.student_id,
                kind=proposal.kind,
                direction=proposal.direction,
                **values,
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
    stale = [row.pk for key, row in by_key.items() if key not in seen]
    if stale:
        AdaptationProposal.objects.filter(pk__in=stale).update(status=ProposalStatus.SUPERSEDED)
    return block


def _learn(proposal: AdaptationProposal, accepted: bool) -> dict[str, float]:
    if proposal.required:
        return {}
    school_id = proposal.session.pe_class.school_id
    rows = {
        row.key: row
        for row in EngineWeights.objects.select_for_update().filter(
            school_id=school_id, engine=EngineWeights.Engine.ADAPTATION
        )
    }
    weights = engine.Weights({key: row.weight for key, row in rows.items()})

    def current(key: str) -> float:
        if key.startswith("factor:"):
            return weights.factor(key.removeprefix("factor:"))
        return rows[key].weight if key in rows else 1.0

    kind_key = f"kind:{proposal.kind}:{proposal.direction}"
    updates = engine.learn(proposal.score, proposal.factors, kind_key, accepted, current, adaptation_config())
    for key, weight in updates.items():
        row = rows.get(key) or EngineWeights(school_id=school_id, engine=EngineWeights.Engine.ADAPTATION, key=key)
        row.weight = weight
        row.decisions += 1
        row.positive += 1 if accepted else 0
        row.save()
    return updates


@transaction.atomic
def decide_proposal(*, actor, proposal: AdaptationProposal, accepted: bool, note: str = "") -> AdaptationProposal:
    """Records the teacher's decision and moves the school's weights (see engines.learning)."""
    proposal = AdaptationProposal.objects.select_for_update().select_related("session__pe_class").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ServiceError(_("This proposal has already been decided or is no longer proposed."), field="proposal")
    proposal.status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = (note or "")[:300]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    updates = _learn(proposal, accepted)
    record_event(
        "physed.adaptation_accepted" if accepted else "physed.adaptation_rejected",
        actor=actor,
        school=proposal.session.pe_class.school,
        target=proposal,
        changes={"kind": proposal.kind, "direction": proposal.direction, "weights": updates},
    )
    return proposal

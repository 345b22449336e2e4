"""The live safety panel of a class session (safety §6): who is there and what they need, the
environment decision and its required actions, equipment flags, open incidents, the protocol
checklist, the risk score — and the alerts that follow from them (``alert_specs``).

``live_panel`` gathers it once (``risk_scoring.session_context`` is shared with the score);
``panel_payload`` is the JSON form used by the API and for the conditional-GET ETag of the
polled fragment; ``panel_etag`` hashes it with the viewer (user, language, medical access).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from physed.engines.adaptation import restriction_conflict
from physed.models import RestrictionKind, Space
from physed.selectors.adaptation import activity_info
from safety.models import SafetyAlert
from safety.selectors import risk_scoring

OUTDOOR_SPACES = {Space.FIELD, Space.COURT}
VIEW_NEEDS = "safety.view_class_needs"


@dataclass
class Conflict:
    student: object
    restriction: str
    activity: object
    detail: str

    @property
    def restriction_label(self) -> str:
        return (
            str(RestrictionKind(self.restriction).label)
            if self.restriction in RestrictionKind.values
            else self.restriction
        )


@dataclass
class AlertSpec:
    key: str
    kind: str
    level: str
    message: str
    student_id: int | None = None


@dataclass
class LivePanel:
    session: object
    context: risk_scoring.SessionContext
    can_see_needs: bool
    needs: list = field(default_factory=list)  # medical.StudentNeeds (only with permission)
    conflicts: list[Conflict] = field(default_factory=list)
    incidents: list = field(default_factory=list)
    protocols: list = field(default_factory=list)
    risk: risk_scoring.SessionRisk | None = None
    alerts: list = field(default_factory=list)

    @property
    def students(self) -> list:
        return self.context.students

    @property
    def environment(self):
        return self.context.environment

    @property
    def flags(self) -> list:
        return self.context.flags

    @property
    def outdoor(self) -> bool:
        return self.context.space in OUTDOOR_SPACES

    @property
    def allowed_participants(self) -> int | None:
        ctx = self.context
        return ctx.adults * ctx.ratio if ctx.ratio else None

    @property
    def ratio_exceeded(self) -> bool:
        allowed = self.allowed_participants
        return allowed is not None and len(self.students) > allowed

    @property
    def checklist(self) -> list[str]:
        items = []
        for protocol in self.protocols:
            for check in protocol.pre_activity_checks or []:
                if check and check not in items:
                    items.append(check)
        return items


def _conflicts(ctx: risk_scoring.SessionContext) -> list[Conflict]:
    infos = [(block.activity, activity_info(block.activity)) for block in ctx.blocks if block.activity]
    found = []
    for student in ctx.students:
        for kind in ctx.restrictions.get(student.pk, []):
            for activity, info in infos:
                detail = restriction_conflict(kind, info)
                if detail:
                    found.append(Conflict(student=student, restriction=kind, activity=activity, detail=detail))
    return found


def live_panel(session, user, *, now=None) -> LivePanel:
    """Everything the panel shows for ``session`` as ``user`` sees it (``session`` should come from
    ``risk_scoring.session_queryset()``). Medical needs only with ``safety.view_class_needs``."""
    from accounts.permissions import allowed_on_object
    from safety.selectors.incidents import open_incidents
    from safety.selectors.medical import class_needs
    from safety.selectors.protocols import protocols_for

    ctx = risk_scoring.session_context(session, now=now)
    can_see_needs = user is not None and allowed_on_object(user, VIEW_NEEDS, session, record=False)
    return LivePanel(
        session=session,
        context=ctx,
        can_see_needs=can_see_needs,
        needs=class_needs(ctx.students, session.date) if can_see_needs else [],
        conflicts=_conflicts(ctx),
        incidents=list(open_incidents(ctx.school, pe_class=session.pe_class)[:20]),
        protocols=protocols_for(ctx.school, ctx.categories, ctx.space),
        risk=risk_scoring.score_session(session, context=ctx),
        alerts=session_alerts(session),
    )


def session_alerts(session) -> list[SafetyAlert]:
    return list(SafetyAlert.objects.filter(session=session).select_related("acknowledged_by"))


# ---- alerts that follow from the panel ------------------------------------------------------


def alert_specs(panel: LivePanel) -> list[AlertSpec]:
    """What needs action now. Keys make each alert unique per session (raised once)."""
    from safety.selectors.medical import class_needs

    ctx = panel.context
    specs = []
    env = ctx.environment
    if env is not None and panel.outdoor and env.decision in ("modify", "indoors", "stop"):
        actions = "; ".join(str(a) for a in env.actions)
        labels = {"modify": _("modify the lesson"), "indoors": _("move indoors"), "stop": _("stop outdoor activity")}
        specs.append(
            AlertSpec(
                key=f"environment:{env.decision}",
                kind="environment",
                level="warning" if env.decision == "modify" else "danger",
                message=(_("Environment: %(decision)s.") % {"decision": labels[env.decision]})
                + (f" {actions}" if actions else ""),
            )
        )
    # danger-level needs are raised even for viewers who cannot see the details
    needs = panel.needs if panel.can_see_needs else class_needs(ctx.students, ctx.session.date)
    for need in needs:
        if need.alert_level == "danger":
            specs.append(
                AlertSpec(
                    key=f"need:{need.student.pk}",
                    kind="medical",
                    level="danger",
                    message=_("%(name)s is here and has a serious medical need: check the live panel before starting.")
                    % {"name": need.student.display_name},
                    student_id=need.student.pk,
                )
            )
    for conflict in panel.conflicts:
        specs.append(
            AlertSpec(
                key=f"restriction:{conflict.student.pk}:{conflict.restriction}:{conflict.activity.pk}",
                kind="restriction",
                level="warning",
                message=_("%(name)s: restriction “%(restriction)s” conflicts with %(activity)s (%(detail)s).")
                % {
                    "name": conflict.student.display_name,
                    "restriction": conflict.restriction_label,
                    "activity": conflict.activity.name,
                    "detail": conflict.detail,
                },
                student_id=conflict.student.pk,
            )
        )
    for flag in ctx.flags:
        if flag.severity == "danger":
            specs.append(
                AlertSpec(
                    key=f"equipment:{flag.item.pk}",
                    kind="equipment",
                    level="danger",
                    message=_("%(item)s is needed (%(activities)s) but cannot be used: %(reason)s")
                    % {
                        "item": flag.item.name,
                        "activities": ", ".join(flag.activities) or flag.equipment_type.name,
                        "reason": flag.reason,
                    },
                )
            )
    if panel.ratio_exceeded:
        specs.append(
            AlertSpec(
                key="supervision",
                kind="supervision",
                level="warning",
                message=_("%(n)d students for %(adults)d adult(s): the protocol allows %(ratio)d per adult.")
                % {"n": len(ctx.students), "adults": ctx.adults, "ratio": ctx.ratio},
            )
        )
    return [AlertSpec(s.key[:120], s.kind[:30], s.level, s.message[:400], s.student_id) for s in specs]


# ---- JSON form and ETag ---------------------------------------------------------------------


def _needs_payload(need) -> dict:
    return {
        "student": need.student.pk,
        "name": need.student.display_name,
        "alert_level": need.alert_level,
        "conditions": [{"kind": c.kind, "label": c.label, "severity": c.severity} for c in need.conditions],
        "instructions": list(need.instructions),
        "medications": [{"name": m.name, "schedule": m.schedule, "location": m.location} for m in need.medications],
        "restrictions": list(need.restrictions),
        "contacts": [{"name": c.name, "relationship": c.relationship, "phone": c.phone} for c in need.contacts],
    }


def panel_payload(panel: LivePanel) -> dict:
    ctx = panel.context
    env = ctx.environment
    reading = getattr(env, "reading", None)
    risk = panel.risk
    return {
        "session": panel.session.pk,
        "pe_class": panel.session.pe_class_id,
        "date": panel.session.date.isoformat(),
        "status": panel.session.status,
        "space": ctx.space,
        "attendance_taken": ctx.attendance_taken,
        "students": [{"id": s.pk, "name": s.display_name} for s in ctx.students],
        "medical_visible": panel.can_see_needs,
        "needs": [_needs_payload(n) for n in panel.needs],
        "conflicts": [
            {
                "student": c.student.pk,
                "restriction": c.restriction,
                "activity": c.activity.pk,
                "activity_name": c.activity.name,
                "detail": c.detail,
            }
            for c in panel.conflicts
        ],
        "environment": {
            "decision": getattr(env, "decision", "go"),
            "stale": bool(getattr(env, "stale", False)),
            "actions": [str(a) for a in getattr(env, "actions", [])],
            "reasons": [str(r) for r in getattr(env, "reasons", [])],
            "reading": reading.pk if reading else None,
            "recorded_at": reading.recorded_at.isoformat() if reading else None,
            "measures": [
                {
                    "measure": m.measure,
                    "value": float(m.value) if m.value is not None else None,
                    "unit": m.unit,
                    "band": str(m.band_label),
                    "decision": m.decision,
                }
                for m in getattr(env, "measures", [])
            ],
        },
        "equipment": [
            {
                "item": f.item.pk,
                "name": f.item.name,
                "status": f.status,
                "severity": getattr(f, "severity", "warning"),
                "reason": str(f.reason),
                "activities": list(f.activities),
            }
            for f in ctx.flags
        ],
        "incidents": [
            {
                "id": i.pk,
                "reference": i.reference,
                "kind": i.kind,
                "status": i.status,
                "occurred_at": i.occurred_at.isoformat(),
                "updated_at": i.updated_at.isoformat(),
            }
            for i in panel.incidents
        ],
        "protocols": [
            {"id": p.pk, "title": p.title, "checks": list(p.pre_activity_checks or [])} for p in panel.protocols
        ],
        "supervision": {
            "participants": len(ctx.students),
            "adults": ctx.adults,
            "ratio": ctx.ratio,
            "exceeded": panel.ratio_exceeded,
        },
        "risk": {
            "score": risk.score,
            "band": risk.band,
            "expected_incidents": round(risk.expected_incidents, 4),
            "method": risk.method,
        }
        if risk
        else None,
        "alerts": [
            {
                "id": a.pk,
                "key": a.key,
                "kind": a.kind,
                "level": a.level,
                "message": a.message,
                "acknowledged": a.acknowledged_at is not None,
            }
            for a in panel.alerts
        ],
    }


def panel_etag(payload: dict, user) -> str:
    """A strong validator of what this viewer would see: the panel data, the user and language."""
    raw = json.dumps(payload, sort_keys=True, default=str) + f"|{user.pk}|{translation.get_language()}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'

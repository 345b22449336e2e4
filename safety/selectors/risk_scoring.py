"""Reads for risk scoring (safety §7): what is known about a session (``session_context``, shared
with the live panel), its explainable score (``score_session``), the school's latest model and the
training rows the fit uses (``training_rows``).

Every other area is read through its contract selectors: participants' restrictions
(``medical.restriction_provider``), recent injuries (``incidents.recent_injuries``), the
environment decision (``environment.current_status``), the supervision ratio
(``protocols.supervision_ratio_for``) and equipment flags (``equipment.flags_for_session``).
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from physed.models import AttendanceRecord, ClassSession, Enrollment, EnrollmentStatus, SessionBlock, Student
from physed.models.sessions import PARTICIPATING_STATUSES, SessionStatus
from safety.engines import risk_score
from safety.engines.risk_model import INTERCEPT
from safety.engines.risk_score import SessionInputs
from safety.models import IncidentKind, RiskModel


@dataclass
class SessionContext:
    """Everything the score and the live panel read about one session, gathered once."""

    session: ClassSession
    school: object
    space: str
    at: datetime.datetime
    blocks: list
    minutes: int
    activity_level: float
    categories: set[str]
    attendance_taken: bool
    students: list  # present (attendance taken) or enrolled students
    adults: int
    ratio: int | None
    environment: object  # safety.selectors.environment.EnvironmentStatus
    restrictions: dict[int, list[str]]
    injuries: dict[int, list]
    flags: list = field(default_factory=list)

    def inputs(self) -> SessionInputs:
        return SessionInputs(
            activity_level=self.activity_level,
            environment=self.environment.decision if self.environment else "go",
            participants=len(self.students),
            restricted=sum(1 for s in self.students if self.restrictions.get(s.pk)),
            recent_injuries=sum(1 for s in self.students if self.injuries.get(s.pk)),
            adults=self.adults,
            ratio=self.ratio,
            flagged_items=len(self.flags),
            minutes=self.minutes,
        )


def session_queryset():
    blocks = SessionBlock.objects.select_related("activity", "exercise").order_by("order")
    return ClassSession.objects.select_related("pe_class__school").prefetch_related(
        Prefetch("blocks", queryset=blocks), "pe_class__teachers"
    )


def activity_level(blocks) -> tuple[float, int]:
    """(minutes-weighted mean risk level, planned minutes); exercises count as low (1)."""
    minutes = sum(block.planned_minutes for block in blocks)
    if not minutes:
        return 1.0, 0
    weighted = sum(block.planned_minutes * (block.activity.risk_level if block.activity else 1) for block in blocks)
    return weighted / minutes, minutes


def session_minutes(session, blocks) -> int:
    """Planned minutes (sum of the blocks), else the recorded start-to-end time."""
    minutes = sum(block.planned_minutes for block in blocks)
    if not minutes and session.started_at and session.ended_at:
        minutes = max(0, int((session.ended_at - session.started_at).total_seconds() // 60))
    return minutes


def session_start(session) -> datetime.datetime:
    start = session.start_time or datetime.time(12, 0)
    return timezone.make_aware(datetime.datetime.combine(session.date, start))


def session_moment(session, now: datetime.datetime | None = None) -> datetime.datetime:
    """The time the environment is read at: now for today's sessions, the start for others."""
    now = now or timezone.now()
    if session.date == timezone.localdate(now):
        return now
    return session_start(session)


def participants(session) -> tuple[bool, list]:
    """(attendance taken, students): the participating students once attendance is taken, else
    the students actively enrolled on the session's date."""
    records = list(
        AttendanceRecord.objects.filter(session=session)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__pk")
    )
    if records:
        return True, [r.student for r in records if r.status in PARTICIPATING_STATUSES]
    enrolled = Enrollment.objects.filter(
        pe_class_id=session.pe_class_id, status=EnrollmentStatus.ACTIVE, start_date__lte=session.date
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=session.date))
    students = Student.objects.active().filter(pk__in=enrolled.values("student_id"))
    return False, list(students.order_by("last_name", "first_name", "pk"))


def session_context(session, *, now: datetime.datetime | None = None) -> SessionContext:
    from safety.selectors.environment import current_status
    from safety.selectors.equipment import flags_for_session
    from safety.selectors.incidents import recent_injuries
    from safety.selectors.medical import restriction_provider
    from safety.selectors.protocols import supervision_ratio_for

    cfg = risk_score.config()
    pe_class = session.pe_class
    school = pe_class.school
    blocks = list(session.blocks.all())
    level, _minutes = activity_level(blocks)
    categories = {block.activity.category for block in blocks if block.activity and block.activity.category}
    taken, students = participants(session)
    at = session_moment(session, now)
    since = session.date - datetime.timedelta(days=cfg["recent_injury_days"])
    injuries = {
        student_id: [row for row in rows if row.incident.occurred_at < at]
        for student_id, rows in recent_injuries(students, since).items()
    }
    return SessionContext(
        session=session,
        school=school,
        space=pe_class.space,
        at=at,
        blocks=blocks,
        minutes=session_minutes(session, blocks),
        activity_level=level,
        categories=categories,
        attendance_taken=taken,
        students=students,
        adults=len(pe_class.teachers.all()),
        ratio=supervision_ratio_for(school, categories, pe_class.space),
        environment=current_status(school, pe_class.space, at),
        restrictions=restriction_provider(students, session.date),
        injuries={k: v for k, v in injuries.items() if v},
        flags=flags_for_session(session, today=session.date),
    )


# ---- the model in use ----------------------------------------------------------------------


def latest_model(school) -> RiskModel | None:
    return RiskModel.objects.filter(school=school).order_by("-fitted_at", "-pk").first()


def prior_model(school) -> RiskModel:
    """An unsaved ``RiskModel`` holding the documented priors (for a school never fitted)."""
    means, sds = risk_score.prior_coefficients()
    return RiskModel(school=school, method="prior", coefficients=means, standard_errors=sds)


def coefficients_for(model: RiskModel | None) -> tuple[dict[str, float], str]:
    """(coefficients, method) of the school's latest model, or the documented priors."""
    if model is not None and model.coefficients:
        means, _sds = risk_score.prior_coefficients()
        return {**means, **model.coefficients}, model.method
    means, _sds = risk_score.prior_coefficients()
    return means, "prior"


@dataclass
class CoefficientRow:
    key: str
    name: str
    coefficient: float
    standard_error: float | None
    rate_ratio: float
    low: float | None
    high: float | None
    prior_rate_ratio: float


def model_rows(model: RiskModel | None) -> list[CoefficientRow]:
    """The model's coefficients as rate ratios with 95% intervals (for priors: the prior's own
    interval, mean +/- 1.96 prior sd); the intercept as a rate per 1,000 participation-hours."""
    cfg = risk_score.config()
    coefficients, _method = coefficients_for(model)
    means, sds = risk_score.prior_coefficients(cfg)
    errors = (model.standard_errors if model else None) or sds
    labels = {INTERCEPT: _("Baseline rate per 1,000 participation-hours")} | {
        f["key"]: _(f["label"]) for f in cfg["factors"]
    }
    rows = []
    for key in [INTERCEPT, *risk_score.factor_keys(cfg)]:
        b, se = coefficients[key], errors.get(key)
        scale = 1000.0 if key == INTERCEPT else 1.0
        rows.append(
            CoefficientRow(
                key=key,
                name=labels[key],
                coefficient=b,
                standard_error=se,
                rate_ratio=math.exp(b) * scale,
                low=math.exp(b - 1.959964 * se) * scale if se is not None else None,
                high=math.exp(b + 1.959964 * se) * scale if se is not None else None,
                prior_rate_ratio=math.exp(means[key]) * scale,
            )
        )
    return rows


# ---- the score and its explanation ---------------------------------------------------------


@dataclass
class FactorExplanation:
    key: str
    name: str
    value: str
    contribution: float
    rate_ratio: float
    reason: str


@dataclass
class SessionRisk:
    session_id: int
    score: float
    baseline: float
    band: str
    band_label: str
    band_action: str
    expected_incidents: float
    rate_per_1000_hours: float
    relative_rate: float
    participation_hours: float
    participants: int
    method: str
    model_id: int | None
    factors: list[FactorExplanation]


def _reasons(ctx: SessionContext, inputs: SessionInputs) -> dict[str, tuple[str, str]]:
    """Factor key → (value as shown, reason sentence)."""
    from safety.selectors.environment import decision_word

    env = ctx.environment
    decision = env.decision if env else "go"
    env_reason = "; ".join(str(r) for r in (env.reasons if env else [])) or _("No environment concerns.")
    activities = [b.activity.name for b in ctx.blocks if b.activity and b.activity.risk_level >= 3]
    if ctx.ratio and inputs.adults:
        allowed = inputs.adults * ctx.ratio
        supervision = _("%(n)d students for %(adults)d adult(s); the protocol allows %(ratio)d per adult.") % {
            "n": inputs.participants,
            "adults": inputs.adults,
            "ratio": ctx.ratio,
        }
        value = f"{inputs.participants} / {allowed}"
    elif ctx.ratio:
        supervision = _("No teacher is assigned to this class.")
        value = f"{inputs.participants} / 0"
    else:
        supervision = _("No supervision ratio is set for these activities.")
        value = str(inputs.participants)
    flags = ", ".join(f"{f.item.name} ({f.reason})" for f in ctx.flags)
    return {
        "activity": (
            f"{inputs.activity_level:.1f} / 4",
            (_("Higher-risk activities planned: %(names)s.") % {"names": ", ".join(activities)})
            if activities
            else _("Minutes-weighted risk level of the planned blocks (exercises count as low)."),
        ),
        "environment": (decision_word(decision), env_reason),
        "restricted": (
            f"{inputs.restricted} / {inputs.participants}",
            _("%(n)d participant(s) with an active activity restriction.") % {"n": inputs.restricted},
        ),
        "recent_injury": (
            f"{inputs.recent_injuries} / {inputs.participants}",
            _("%(n)d participant(s) injured in the last %(days)d days.")
            % {"n": inputs.recent_injuries, "days": risk_score.config()["recent_injury_days"]},
        ),
        "supervision": (value, supervision),
        "equipment": (
            str(inputs.flagged_items),
            (_("Needed equipment flagged: %(items)s.") % {"items": flags})
            if flags
            else _("No flagged equipment needed."),
        ),
    }


def explain(ctx: SessionContext, model: RiskModel | None) -> SessionRisk:
    coefficients, method = coefficients_for(model)
    inputs = ctx.inputs()
    result = risk_score.score(inputs, coefficients)
    labels = {factor["key"]: factor["label"] for factor in risk_score.config()["factors"]}
    reasons = _reasons(ctx, inputs)
    factors = [
        FactorExplanation(
            key=c.key,
            name=_(labels[c.key]),
            value=reasons[c.key][0],
            contribution=c.points,
            rate_ratio=c.rate_ratio,
            reason=str(reasons[c.key][1]),
        )
        for c in result.contributions
    ]
    return SessionRisk(
        session_id=ctx.session.pk,
        score=result.score,
        baseline=result.baseline,
        band=result.band["key"],
        band_label=pgettext("risk", result.band["label"]),
        band_action=_(result.band["action"]),
        expected_incidents=result.expected_incidents,
        rate_per_1000_hours=result.rate_per_1000_hours,
        relative_rate=result.relative_rate,
        participation_hours=result.participation_hours,
        participants=inputs.participants,
        method=method,
        model_id=model.pk if model else None,
        factors=factors,
    )


def score_session(
    session, *, now: datetime.datetime | None = None, context: SessionContext | None = None
) -> SessionRisk:
    """The explainable risk score of ``session`` with the school's latest model (or the priors)."""
    ctx = context or session_context(session, now=now)
    return explain(ctx, latest_model(ctx.school))


# ---- training data -------------------------------------------------------------------------


@dataclass
class TrainingRow:
    session_id: int
    inputs: SessionInputs
    incidents: int


def training_rows(school, *, start: datetime.date, end: datetime.date) -> list[TrainingRow]:
    """One row per past session of ``school`` in [start, end] with attendance and known minutes:
    the factors as they were (activity risk from the blocks; the environment decision from the
    readings at the session's start when there was a reading that day; restrictions and injuries
    of the participating students on that date; the group size against today's supervision
    ratio), exposure = participating students x minutes, and the incidents linked to the session
    (near misses excluded). Equipment flags are not reconstructed (no history of item states):
    their count is 0 in training, so the equipment effect keeps its prior. See the docs."""
    from safety.models import EnvironmentReading
    from safety.selectors.environment import current_status
    from safety.selectors.incidents import recent_injuries
    from safety.selectors.medical import restriction_provider
    from safety.selectors.protocols import supervision_ratio_for

    cfg = risk_score.config()
    sessions = list(
        session_queryset()
        .filter(pe_class__school=school, date__gte=start, date__lte=end)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(attendance__isnull=False)
        .distinct()
        .order_by("date", "pk")
    )
    if not sessions:
        return []
    incidents = _incidents_per_session(school, [s.pk for s in sessions])
    attendance = defaultdict(list)
    for record in AttendanceRecord.objects.filter(
        session_id__in=[s.pk for s in sessions], status__in=list(PARTICIPATING_STATUSES)
    ).only("session_id", "student_id"):
        attendance[record.session_id].append(record.student_id)
    by_date = defaultdict(set)
    for session in sessions:
        by_date[session.date].update(attendance[session.pk])
    restrictions = {day: restriction_provider(sorted(ids), day) for day, ids in by_date.items()}
    all_students = sorted({sid for ids in by_date.values() for sid in ids})
    first = min(by_date) - datetime.timedelta(days=cfg["recent_injury_days"])
    injuries = recent_injuries(all_students, first)
    reading_days = set(
        EnvironmentReading.objects.filter(school=school, recorded_at__date__gte=start, recorded_at__date__lte=end)
        .values_list("space", "recorded_at__date")
        .distinct()
    )
    ratios: dict[tuple, int | None] = {}
    rows = []
    for session in sessions:
        blocks = list(session.blocks.all())
        minutes = session_minutes(session, blocks)
        students = attendance[session.pk]
        if not minutes or not students:
            continue
        level, _m = activity_level(blocks)
        categories = frozenset(b.activity.category for b in blocks if b.activity and b.activity.category)
        space = session.pe_class.space
        if (categories, space) not in ratios:
            ratios[(categories, space)] = supervision_ratio_for(school, set(categories), space)
        decision = "go"
        if (space, session.date) in reading_days:
            decision = current_status(school, space, session_start(session)).decision
        window_start = session.date - datetime.timedelta(days=cfg["recent_injury_days"])
        injured = sum(
            1
            for sid in students
            if any(window_start <= row.incident.occurred_at.date() < session.date for row in injuries.get(sid, []))
        )
        day_restrictions = restrictions[session.date]
        rows.append(
            TrainingRow(
                session_id=session.pk,
                inputs=SessionInputs(
                    activity_level=level,
                    environment=decision,
                    participants=len(students),
                    restricted=sum(1 for sid in students if day_restrictions.get(sid)),
                    recent_injuries=injured,
                    adults=len(session.pe_class.teachers.all()),
                    ratio=ratios[(categories, space)],
                    flagged_items=0,
                    minutes=minutes,
                ),
                incidents=incidents.get(session.pk, 0),
            )
        )
    return rows


def _incidents_per_session(school, session_ids) -> dict[int, int]:
    from safety.models import Incident

    rows = (
        Incident.objects.filter(school=school, session_id__in=session_ids)
        .exclude(kind=IncidentKind.NEAR_MISS)
        .values("session_id")
        .annotate(n=Count("pk"))
    )
    return {row["session_id"]: row["n"] for row in rows}


__all__ = [
    "INTERCEPT",
    "FactorExplanation",
    "SessionContext",
    "SessionRisk",
    "TrainingRow",
    "coefficients_for",
    "explain",
    "latest_model",
    "model_rows",
    "prior_model",
    "score_session",
    "session_context",
    "training_rows",
]

"""Adaptation and recommendations (PE core §6–7).

* ``AdaptationProfile`` — what a teacher must know to adapt PE for one student (IEP/504 flags,
  activity restrictions, skill level, preferred modifications). Notes are sensitive: only staff
  with ``physed.view_adaptationprofile`` read them, and each read is audit-logged.
* ``AdaptationProposal`` — one change the adaptation engine proposes for the next block of a
  session (per student, or for the whole class when ``student`` is empty), kept so the teacher's
  decision (who, when, accepted?) is recorded next to the reasons it was shown with.
* ``RecommendationFeedback`` — a teacher's pick or dismissal of a recommended activity.
* ``EngineWeights`` — the weights each school's decisions and feedback have taught the engines.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from physed.models.roster import ClassChildQuerySet, StudentChildQuerySet
from physed.models.sessions import SessionChildQuerySet

__all__ = [
    "AdaptationProfile",
    "AdaptationProposal",
    "EngineWeights",
    "FeedbackAction",
    "ModificationKind",
    "ProposalDirection",
    "ProposalStatus",
    "RecommendationFeedback",
    "RestrictionKind",
]


class RestrictionKind(models.TextChoices):
    """Kinds of activity restriction; what each one conflicts with is data
    (``physed/data/adaptation/restrictions.json``)."""

    NO_CONTACT = "no_contact", _("No contact")
    NO_HIGH_IMPACT = "no_high_impact", _("No high-impact movement (jumping, landing)")
    NO_RUNNING = "no_running", _("No running")
    LIMITED_DURATION = "limited_duration", _("Limited duration")
    NO_VIGOROUS = "no_vigorous", _("No vigorous intensity")
    NO_AQUATICS = "no_aquatics", _("No aquatics")


class ModificationKind(models.TextChoices):
    """The modification kinds an activity's ``modifications`` list uses."""

    EQUIPMENT = "equipment", _("Equipment")
    SPACE = "space", _("Space")
    RULES = "rules", _("Rules")
    INSTRUCTION = "instruction", _("Instruction")
    INTENSITY = "intensity", _("Intensity")
    DURATION = "duration", _("Duration")
    GROUP_SIZE = "group_size", _("Group size")
    ASSISTANCE = "assistance", _("Assistance / alternative role")


class AdaptationProfile(models.Model):
    """One student's adaptation needs. ``restrictions`` holds
    ``[{"kind": <RestrictionKind>, "until": "YYYY-MM-DD" | null}]``; the safety module adds
    medical restrictions through ``physed.selectors.adaptation_providers`` instead of writing here."""

    student = models.OneToOneField(
        "physed.Student", on_delete=models.CASCADE, related_name="adaptation_profile", verbose_name=_("student")
    )
    has_iep = models.BooleanField(_("IEP"), default=False, help_text=_("Has an Individualized Education Program."))
    has_504 = models.BooleanField(_("504 plan"), default=False, help_text=_("Has a Section 504 plan."))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Sensitive: visible to staff with access only."))
    restrictions = models.JSONField(_("activity restrictions"), default=list, blank=True)
    skill_level = models.PositiveSmallIntegerField(
        _("skill level"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    category_skill_levels = models.JSONField(
        _("skill level per category"), default=dict, blank=True, help_text=_('e.g. {"invasion": 2}')
    )
    preferred_modifications = models.JSONField(_("preferred modification kinds"), default=list, blank=True)
    assistance_needs = models.CharField(_("assistance needs"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StudentChildQuerySet.as_manager()

    class Meta:
        ordering = ["student__last_name", "student__first_name", "pk"]
        verbose_name = _("adaptation profile")
        verbose_name_plural = _("adaptation profiles")

    def __str__(self):
        return f"{self.student} adaptation profile"

    def active_restrictions(self, on_date) -> list[str]:
        """Restriction kinds in force on ``on_date`` (an ``until`` date is inclusive)."""
        kinds = []
        for item in self.restrictions or []:
            until = item.get("until")
            if not until or str(until) >= on_date.isoformat():
                kinds.append(item["kind"])
        return kinds


class ProposalDirection(models.TextChoices):
    EASIER = "easier", _("Easier")
    HARDER = "harder", _("Harder")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("No longer proposed")


class AdaptationProposal(models.Model):
    """A proposed change for the next block, with the factor breakdown it was scored from.
    Recomputing refreshes pending rows in place (one per session, block, student, kind and
    direction); decided rows are history and feed the learned weights."""

    session = models.ForeignKey(
        "physed.ClassSession", on_delete=models.CASCADE, related_name="adaptation_proposals", verbose_name=_("session")
    )
    block = models.ForeignKey(
        "physed.SessionBlock",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("block"),
    )
    activity = models.ForeignKey(
        "physed.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    student = models.ForeignKey(
        "physed.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adaptation_proposals",
        verbose_name=_("student"),
        help_text=_("Empty for a change for the whole class."),
    )
    kind = models.CharField(_("modification kind"), max_length=12, choices=ModificationKind.choices)
    direction = models.CharField(_("direction"), max_length=6, choices=ProposalDirection.choices)
    text = models.TextField(_("proposed change"))
    score = models.FloatField(_("score"))
    required = models.BooleanField(
        _("required"), default=False, help_text=_("Safety-driven (restriction, attendance, environment): always shown.")
    )
    factors = models.JSONField(_("factor breakdown"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        ordering = ["session", "-required", "-score", "pk"]
        verbose_name = _("adaptation proposal")
        verbose_name_plural = _("adaptation proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "block", "student", "kind", "direction"],
                condition=Q(status="pending"),
                name="physed_proposal_one_pending",
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        who = self.student or _("whole class")
        return f"{who}: {self.get_direction_display()} {self.get_kind_display()}"


class FeedbackAction(models.TextChoices):
    PICK = "pick", _("Picked")
    DISMISS = "dismiss", _("Dismissed")


class RecommendationFeedback(models.Model):
    """A teacher's reaction to a recommended activity; it moves the school's learned preference
    for the activity and its category (``EngineWeights``)."""

    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.CASCADE, related_name="recommendation_feedback", verbose_name=_("class")
    )
    activity = models.ForeignKey(
        "physed.Activity", on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    session = models.ForeignKey(
        "physed.ClassSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
        help_text=_("The session a picked activity was added to."),
    )
    action = models.CharField(_("action"), max_length=8, choices=FeedbackAction.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    score = models.FloatField(_("score when shown"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClassChildQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recommendation feedback")
        verbose_name_plural = _("recommendation feedback")

    def __str__(self):
        return f"{self.get_action_display()} {self.activity} ({self.pe_class})"


class EngineWeights(models.Model):
    """One learned weight of one school: an adaptation factor or proposal kind
    (``engine=adaptation``), or a preference for an activity or category (``engine=recommendation``).
    Defaults live in the data files; a row exists only once decisions have moved it."""

    class Engine(models.TextChoices):
        ADAPTATION = "adaptation", _("Adaptation")
        RECOMMENDATION = "recommendation", _("Recommendation")

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    engine = models.CharField(_("engine"), max_length=16, choices=Engine.choices)
    key = models.CharField(_("key"), max_length=80, help_text=_("e.g. factor:rpe_high, kind:intensity:easier"))
    weight = models.FloatField(_("weight"))
    decisions = models.PositiveIntegerField(_("decisions"), default=0)
    positive = models.PositiveIntegerField(_("accepted or picked"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "engine", "key"]
        verbose_name = _("learned weight")
        verbose_name_plural = _("learned weights")
        constraints = [models.UniqueConstraint(fields=["school", "engine", "key"], name="physed_engine_weight_key")]

    def __str__(self):
        return f"{self.engine}:{self.key}={self.weight:.3f}"

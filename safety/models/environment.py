"""Environment readings, rule sets and the school's safety settings (safety §6).

* ``EnvironmentRuleSet`` — bands per measure (WBGT, heat index, AQI, wind chill, temperature,
  lightning) mapped to a decision (go / modify / move indoors / stop) with the required
  modifications, and its source. Shipped rule sets (no school) are loaded from
  ``safety/data/environment_rule_sets.json``; a school copies one to edit it.
* ``EnvironmentReading`` — one observation, in SI units (°C, km/h); heat index and wind chill are
  computed with the NWS formulas when the reading is saved by the service; WBGT only when measured.
* ``SafetySettings`` — per school: the rule set in use and the defaults the live panel uses.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from physed.models import Space
from safety.models.common import SchoolQuerySet, Timestamped

__all__ = ["EnvironmentDecision", "EnvironmentReading", "EnvironmentRuleSet", "ReadingSource", "SafetySettings"]


class EnvironmentDecision(models.TextChoices):
    """Ordered from least to most restrictive (the worst decision across measures wins)."""

    GO = "go", _("Go")
    MODIFY = "modify", _("Go with modifications")
    INDOORS = "indoors", _("Move indoors")
    STOP = "stop", _("Stop")


class RuleSetQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Shipped rule sets (no school) are readable by every signed-in member."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.selectors import school_ids_for

        return self.filter(Q(school__isnull=True) | Q(school__in=school_ids_for(user)))


class EnvironmentRuleSet(Timestamped):
    """``rules`` = ``{measure: {"bands": [{"min": x|null, "max": y|null, "decision": ...,
    "label": ..., "actions": [...]}, ...], "precision": n, "source": "..."}}`` with measures
    ``wbgt_f``, ``heat_index_f``, ``aqi``, ``wind_chill_f``, ``temperature_f``, ``lightning`` and
    ``precipitation`` (bounds inclusive, as the sources print them; evaluated by
    ``safety.engines.rules``). ``sources`` lists ``{"title", "url"}``; ``caveats`` what the sources
    leave open or we could not confirm, kept with the rules so a school sees them when choosing."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, null=True, blank=True, related_name="environment_rule_sets"
    )
    code = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=160)
    region = models.CharField(_("region"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    rules = models.JSONField(_("rules"), default=dict)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    caveats = models.JSONField(_("caveats"), default=list, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["school_id", "name", "pk"]
        verbose_name = _("environment rule set")
        verbose_name_plural = _("environment rule sets")
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="safety_ruleset_code"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(school__isnull=True), name="safety_ruleset_shipped_code"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_shipped(self) -> bool:
        return self.school_id is None

    def clean(self):
        from django.core.exceptions import ValidationError

        from safety.engines.rules import validate_rules

        errors = validate_rules(self.rules)
        if errors:
            raise ValidationError({"rules": errors})


class ReadingSource(models.TextChoices):
    MANUAL = "manual", _("Entered by staff")
    PROVIDER = "provider", _("Weather provider")


class EnvironmentReading(models.Model):
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="environment_readings")
    recorded_at = models.DateTimeField(_("time"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    space = models.CharField(_("space"), max_length=12, choices=Space.choices, default=Space.FIELD)
    source = models.CharField(_("source"), max_length=10, choices=ReadingSource.choices, default=ReadingSource.MANUAL)
    provider = models.CharField(_("provider"), max_length=60, blank=True)
    temperature_c = models.DecimalField(
        _("air temperature (°C)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(-60), MaxValueValidator(60)],
    )
    relative_humidity = models.DecimalField(
        _("relative humidity (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    wind_speed_kmh = models.DecimalField(
        _("wind speed (km/h)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(250)],
    )
    wbgt_c = models.DecimalField(
        _("WBGT (°C), measured"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(-30), MaxValueValidator(50)],
    )
    aqi = models.PositiveSmallIntegerField(
        _("air quality index"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    precipitation = models.BooleanField(_("rain / snow"), default=False)
    lightning = models.BooleanField(_("lightning or thunder nearby"), default=False)
    heat_index_c = models.DecimalField(_("heat index (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    wind_chill_c = models.DecimalField(_("wind chill (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("environment reading")
        verbose_name_plural = _("environment readings")
        indexes = [models.Index(fields=["school", "space", "recorded_at"])]

    def __str__(self):
        return f"{self.recorded_at:%Y-%m-%d %H:%M} {self.temperature_c} °C"


class SafetySettings(models.Model):
    """Per-school safety settings (one row per school, created on first use)."""

    school = models.OneToOneField("accounts.School", on_delete=models.CASCADE, related_name="safety_settings")
    rule_set = models.ForeignKey(
        EnvironmentRuleSet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("environment rule set"),
    )
    reading_max_age_minutes = models.PositiveSmallIntegerField(
        _("readings count as current for (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    default_supervision_ratio = models.PositiveSmallIntegerField(
        _("default students per adult"), default=30, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety settings")
        verbose_name_plural = _("safety settings")

    def __str__(self):
        return f"{self.school} safety settings"

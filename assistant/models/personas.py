"""Personas: how the assistant speaks (tone, verbosity, language, reading level, emoji).

Built-in personas have no school and are offered everywhere; a school may add its own and mark
one as its default; each person may pick one per school (``PersonaChoice``). Which one applies:
the conversation's, else the person's choice, else the school default, else the built-in default
(``assistant.personas.effective_persona``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet


class Tone(models.TextChoices):
    ENCOURAGING = "encouraging", _("Encouraging")
    NEUTRAL = "neutral", _("Neutral")
    FORMAL = "formal", _("Formal")
    COACH = "coach", _("Coach")


class Verbosity(models.TextChoices):
    BRIEF = "brief", _("Brief")
    NORMAL = "normal", _("Normal")
    DETAILED = "detailed", _("Detailed")


class ReadingLevel(models.TextChoices):
    SIMPLE = "simple", _("Simple")
    STANDARD = "standard", _("Standard")
    ADVANCED = "advanced", _("Advanced")


class PersonaQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The built-in personas (no school) and those of the user's schools."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.selectors import school_ids_for

        return self.filter(Q(school__isnull=True) | Q(school__in=school_ids_for(user)))


class Persona(models.Model):
    """A named way of speaking (see the module docstring)."""

    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assistant_personas",
        verbose_name=_("school"),
        help_text=_("Empty for a built-in persona offered to every school."),
    )
    name = models.CharField(_("name"), max_length=60)
    tone = models.CharField(_("tone"), max_length=12, choices=Tone.choices, default=Tone.NEUTRAL)
    verbosity = models.CharField(_("verbosity"), max_length=10, choices=Verbosity.choices, default=Verbosity.NORMAL)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language of the person asking."),
    )
    reading_level = models.CharField(
        _("reading level"), max_length=10, choices=ReadingLevel.choices, default=ReadingLevel.STANDARD
    )
    emoji = models.BooleanField(_("emoji"), default=False)
    is_school_default = models.BooleanField(_("school default"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonaQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistant persona")
        verbose_name_plural = _("assistant personas")
        ordering = ["school_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="persona_name_per_school"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(school__isnull=True), name="builtin_persona_name_unique"
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(is_school_default=True), name="one_default_persona_per_school"
            ),
        ]

    def __str__(self):
        return self.name


class PersonaChoice(models.Model):
    """The persona a person picked for their conversations in one school."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="persona_choices")
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="choices")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("persona choice")
        verbose_name_plural = _("persona choices")
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="one_persona_choice_per_school")]

    def __str__(self):
        return f"{self.user} → {self.persona}"

"""Users, schools (the tenant) and memberships (a user's role in a school)."""

from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    """Users are school-owned through their memberships: a user is visible to members of any
    school where the user holds a *current* membership (``accounts.selectors_profiles``)."""

    school_lookup = "memberships__school"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.selectors import school_ids_for

        return self.in_schools(school_ids_for(user))

    def in_schools(self, school_ids):
        """Users with a current membership in one of ``school_ids`` (a subquery: no duplicate rows)."""
        current = Membership.objects.active().filter(school_id__in=list(school_ids)).values("user_id")
        return self.filter(pk__in=current)

    def in_school(self, school):
        return self.in_schools([getattr(school, "pk", school)])


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    """Email is the login; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. School access comes only from Membership rows; ``is_staff`` is for
    platform operators using the Django admin."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(
        _("email verified at"),
        null=True,
        blank=True,
        help_text=_("Unverified accounts cannot use staff features."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class SchoolQuerySet(ScopedQuerySet):
    school_lookup = "pk"


class School(models.Model):
    """The tenant: every domain row belongs to exactly one school."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    region = models.CharField(_("region"), max_length=100, blank=True)
    default_language = models.CharField(_("default language"), max_length=8, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.timezone not in available_timezones():
            errors["timezone"] = _("Unknown time zone; use an IANA name such as Europe/Madrid.")
        if self.country and not (len(self.country) == 2 and self.country.isalpha() and self.country.isupper()):
            errors["country"] = _("Use a two-letter ISO country code in capitals, e.g. US.")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    """Staff roles form a hierarchy (each inherits the ones below); student and guardian stand
    outside it. The permissions each role holds are data in ``accounts.roles``."""

    SCHOOL_ADMIN = "school_admin", _("School admin")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    TEACHER = "teacher", _("Teacher")
    ASSISTANT = "assistant", _("Assistant")
    STUDENT = "student", _("Student")
    GUARDIAN = "guardian", _("Guardian")


STAFF_ROLES = (Role.SCHOOL_ADMIN, Role.DEPARTMENT_HEAD, Role.TEACHER, Role.ASSISTANT)


class MembershipQuerySet(ScopedQuerySet):
    school_lookup = "school"

    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(
            Q(valid_from__lte=at), Q(valid_until__isnull=True) | Q(valid_until__gt=at), user__is_active=True
        )


class Membership(models.Model):
    """A user's role in one school for a period. Expired rows stop granting access at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="membership_valid_period",
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_until"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.school}"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.valid_from <= now and (self.valid_until is None or self.valid_until > now)

"""Demo data for the privacy area; called by accounts.demo.seed."""

from django.conf import settings


def seed(context: dict) -> None:
    """Default retention policies for every demo school (idempotent)."""
    from accounts.models import RetentionPolicy, School

    for school in School.objects.all():
        for category, days in settings.PRIVACY_RETENTION_DEFAULTS.items():
            RetentionPolicy.objects.get_or_create(school=school, category=category, defaults={"keep_days": days})

"""Celery tasks: activity buffer flush, retention purge, weekly risk-model fits."""

from celery import shared_task


@shared_task(name="accounts.flush_activity")
def flush_activity() -> int:
    from accounts.services.activity import flush_buffer

    return flush_buffer()


@shared_task(name="accounts.purge_activity")
def purge_activity() -> dict:
    from accounts.services.activity import purge_expired_activity

    return purge_expired_activity()


@shared_task(name="accounts.fit_risk_models")
def fit_risk_models() -> dict:
    """Refits every school's disengagement-risk model from its history (schools with too little
    data are skipped and reported)."""
    from accounts.models import School
    from accounts.services.analytics.risk import InsufficientData, fit_school_model

    result = {"fitted": [], "skipped": []}
    for school in School.objects.all():
        try:
            fit_school_model(school=school)
            result["fitted"].append(school.pk)
        except InsufficientData:
            result["skipped"].append(school.pk)
    return result

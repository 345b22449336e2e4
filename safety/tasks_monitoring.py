"""Celery tasks: monitoring and risk scoring.

* ``safety.fit_risk_models`` — weekly (CELERY_BEAT_SCHEDULE): refit every school's risk model
  (its own Poisson fit when it has enough history, else the documented priors).
* ``safety.evaluate_live_sessions`` — every 15 minutes during the school day: evaluate today's
  planned and running sessions and raise their live alerts (each once), so teachers hear about a
  heat band or a failed item even before they open the panel.
"""

from celery import shared_task


@shared_task(name="safety.fit_risk_models")
def fit_risk_models() -> int:
    from safety.services.risk_scoring import refit_all

    return refit_all()


@shared_task(name="safety.evaluate_live_sessions")
def evaluate_live_sessions() -> int:
    from safety.services.monitoring import evaluate_live_sessions as run

    return run()

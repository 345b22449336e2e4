"""Refitting a school's risk model (safety §7): a penalised Poisson fit of its own incident
history when there is enough of it, else the documented priors — stored as a ``RiskModel`` row
so every score says which model produced it. Run weekly by ``safety.fit_risk_models`` and on
demand by staff with ``safety.add_riskmodel``."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_on_object
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from safety.engines import risk_score
from safety.engines.risk_model import enough_history, fit_poisson
from safety.models import RiskModel
from safety.selectors.risk_scoring import training_rows

ADD_MODEL = "safety.add_riskmodel"


def _fit_for(school, today: datetime.date) -> dict:
    """The fields of a new ``RiskModel`` for ``school`` (no writes)."""
    cfg = risk_score.config()
    start = today - datetime.timedelta(days=cfg["fit"]["history_days"])
    rows = training_rows(school, start=start, end=today - datetime.timedelta(days=1))
    keys = risk_score.factor_keys(cfg)
    incidents = sum(row.incidents for row in rows)
    hours = sum(row.inputs.participation_hours for row in rows)
    means, sds = risk_score.prior_coefficients(cfg)
    base = {
        "school": school,
        "incidents": incidents,
        "exposure_hours": round(hours, 2),
        "sessions": len(rows),
    }
    details = {
        "priors_version": cfg["version"],
        "history_from": start.isoformat(),
        "history_to": today.isoformat(),
        "min_history": {k: cfg["min_history"][k] for k in ("incidents", "exposure_hours")},
    }
    if not rows or not enough_history(incidents, hours, cfg["min_history"]):
        return {
            **base,
            "method": "prior",
            "coefficients": means,
            "standard_errors": sds,
            "deviance": None,
            "details": details,
            "notes": _(
                "Documented priors: %(incidents)d incident(s) in %(hours).0f participation-hours is below the "
                "%(min_incidents)d incidents and %(min_hours).0f hours needed for a fit."
            )
            % {
                "incidents": incidents,
                "hours": hours,
                "min_incidents": cfg["min_history"]["incidents"],
                "min_hours": cfg["min_history"]["exposure_hours"],
            },
        }
    fit = fit_poisson(
        [[risk_score.features(row.inputs, cfg)[key] for key in keys] for row in rows],
        [row.incidents for row in rows],
        [row.inputs.participation_hours for row in rows],
        keys,
        prior_means=means,
        prior_sds=sds,
        max_iterations=cfg["fit"]["max_iterations"],
        tolerance=cfg["fit"]["tolerance"],
    )
    return {
        **base,
        "method": "poisson",
        "coefficients": fit.coefficients,
        "standard_errors": fit.standard_errors,
        "deviance": round(fit.deviance, 4),
        "details": {
            **details,
            "iterations": fit.iterations,
            "converged": fit.converged,
            "null_deviance": round(fit.null_deviance, 4),
            "penalty": "Gaussian prior on each coefficient (mean and sd from risk_priors.json)",
        },
        "notes": _(
            "Poisson regression with a log participation-hours offset, penalised toward the priors; "
            "%(sessions)d sessions, %(incidents)d incidents, %(hours).0f participation-hours."
        )
        % {"sessions": len(rows), "incidents": incidents, "hours": hours},
    }


@transaction.atomic
def refit_risk_model(school, *, actor=None, today: datetime.date | None = None) -> RiskModel:
    """Fit (or fall back to the priors) and store a new ``RiskModel`` for ``school``. ``actor``
    None = the scheduled task; a user must hold ``safety.add_riskmodel`` in the school."""
    if actor is not None and not allowed_on_object(actor, ADD_MODEL, school):
        raise ServiceError(_("You may not refit this school's risk model."), code="permission_denied", status=403)
    today = today or timezone.localdate()
    model = RiskModel.objects.create(**_fit_for(school, today))
    record_event(
        "safety.riskmodel_fitted",
        actor=actor,
        school=school,
        target=model,
        changes={
            "method": model.method,
            "sessions": model.sessions,
            "incidents": model.incidents,
            "exposure_hours": model.exposure_hours,
        },
    )
    return model


def refit_all(today: datetime.date | None = None) -> int:
    """Refit every school's model (the weekly task); returns how many were fitted."""
    from accounts.models import School

    count = 0
    for school in School.objects.order_by("pk"):
        refit_risk_model(school, today=today)
        count += 1
    return count

"""Risk band data: loads the default bands (``safety/data/risk_bands.json``) into ``RiskBand`` rows
with no school — idempotent: rows are updated in place by key, and default rows whose key left the
file are removed (nothing points at a band row); called after every ``migrate`` — and replaces a
school's own set as a whole, validated."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from safety.engines.risk_matrix import coverage_problems
from safety.models import RiskBand
from safety.selectors.risk import CHANGE_BANDS, bands_for

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "risk_bands.json"
DEFAULT_FIELDS = ("name", "min_score", "max_score", "colour", "required_action", "activity_allowed")


def default_bands_data() -> dict:
    """The file's content; refuses a file whose bands do not cover 1..25 exactly once."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    problems = coverage_problems([SimpleNamespace(**band) for band in data["bands"]])
    if problems:
        raise ValueError(f"{DATA_FILE.name}: {'; '.join(problems)}")
    return data


@transaction.atomic
def load_default_bands() -> int:
    """Returns how many rows were created or changed."""
    data = default_bands_data()
    source = data["source"][:300]
    existing = {band.code: band for band in RiskBand.objects.filter(school__isnull=True)}
    wanted = {band["code"] for band in data["bands"]}
    stale = [band.pk for code, band in existing.items() if code not in wanted]
    if stale:
        RiskBand.objects.filter(pk__in=stale).delete()
    changed = 0
    for spec in data["bands"]:
        values = {name: spec[name] for name in DEFAULT_FIELDS}
        values["source"] = source
        row = existing.get(spec["code"])
        if row is None:
            RiskBand.objects.create(school=None, code=spec["code"], **values)
            changed += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            changed += 1
    return changed


COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
BAND_FIELDS = ("code", "name", "min_score", "max_score", "colour", "required_action", "activity_allowed")


@transaction.atomic
def replace_bands(*, actor, school, bands: list[dict]) -> list[RiskBand]:
    """Replaces the school's own bands in one step; the new set must cover 1..25 with no gap or
    overlap. An empty list removes the school's set, so the shipped defaults apply again."""
    if not has_school_perm(actor, CHANGE_BANDS, school.pk):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)
    rows = []
    for number, spec in enumerate(bands, start=1):
        unknown = set(spec) - set(BAND_FIELDS)
        missing = {"code", "name", "min_score", "max_score", "required_action"} - set(spec)
        if unknown or missing:
            raise ServiceError(
                _("Band %(n)d: missing %(missing)s, unknown %(unknown)s.")
                % {
                    "n": number,
                    "missing": ", ".join(sorted(missing)) or "-",
                    "unknown": ", ".join(sorted(unknown)) or "-",
                },
                field="bands",
            )
        row = RiskBand(school=school, **{"colour": "#888888", "activity_allowed": True, **spec})
        try:
            row.full_clean(exclude=["school"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            detail = "; ".join(f"{key}: {' '.join(map(str, errors))}" for key, errors in exc.message_dict.items())
            raise ServiceError(_("Band %(n)d: %(detail)s") % {"n": number, "detail": detail}, field="bands") from exc
        if not COLOUR.fullmatch(row.colour):
            raise ServiceError(_("Band %(n)d: the colour must be #rrggbb.") % {"n": number}, field="bands")
        rows.append(row)
    if rows:
        problems = coverage_problems(rows)
        if problems:
            raise ServiceError(
                _("The bands must cover every score 1–25 exactly once: %(problems)s.")
                % {"problems": "; ".join(problems)},
                field="bands",
            )
    before = [f"{b.code} {b.min_score}-{b.max_score}" for b in RiskBand.objects.filter(school=school)]
    RiskBand.objects.filter(school=school).delete()
    created = RiskBand.objects.bulk_create(rows)
    record_event(
        "safety.risk_bands_replaced",
        actor=actor,
        school=school,
        target_type="safety.riskband",
        target_label=_("risk bands"),
        changes={"before": before, "after": [f"{b.code} {b.min_score}-{b.max_score}" for b in created]},
    )
    return bands_for(school)

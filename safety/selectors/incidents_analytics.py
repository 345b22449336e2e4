"""Incident analytics for one school and date range: counts by kind, severity, body area ×
injury type, location, activity, space, month, hour of day and weekday; rates per 1,000
participation-hours overall, by activity category and by space. Near misses are counted on their
own (``near_misses``, and in ``by_kind``); every other breakdown and every rate counts injuries
and illnesses only, since a near miss is not an injury to put in a rate."""

import datetime
import zoneinfo
from collections import Counter
from dataclasses import dataclass

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from physed.models import ActivityCategory, Space
from safety.models import BodyArea, Incident, IncidentKind, IncidentSeverity, IncidentStudent, InjuryType
from safety.selectors.incidents import participation_breakdown


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    pe_class: object = None


def _rate(count: int, hours: float) -> float | None:
    return round(count / hours * 1000, 3) if hours > 0 else None


def _counted(counter: Counter, labels: dict, order=None) -> list[dict]:
    keys = order if order is not None else [key for key, _n in counter.most_common()]
    return [{"key": str(key), "label": str(labels.get(key, key) or "—"), "count": counter.get(key, 0)} for key in keys]


def analytics(school, period: Period) -> dict:
    rows = Incident.objects.filter(
        school=school, occurred_at__date__gte=period.start, occurred_at__date__lte=period.end
    )
    if period.pe_class is not None:
        rows = rows.filter(pe_class=period.pe_class)
    incidents = list(
        rows.values(
            "pk", "kind", "severity", "location", "space", "occurred_at", "activity__name", "activity__category"
        )
    )
    try:
        tz = zoneinfo.ZoneInfo(school.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = datetime.UTC
    near = [row for row in incidents if row["kind"] == IncidentKind.NEAR_MISS]
    real = [row for row in incidents if row["kind"] != IncidentKind.NEAR_MISS]
    local = [row["occurred_at"].astimezone(tz) for row in real]
    breakdown = participation_breakdown(school, period.start, period.end, pe_class=period.pe_class)
    hours = breakdown["total"]

    body = Counter(
        (row["body_area"], row["injury_type"])
        for row in IncidentStudent.objects.filter(incident__in=[row["pk"] for row in real], injured=True).values(
            "body_area", "injury_type"
        )
    )
    areas = [key for key in BodyArea.values if any(a == key for a, _t in body)]
    types = [key for key in InjuryType.values if any(t == key for _a, t in body)]
    area_labels, type_labels = dict(BodyArea.choices), dict(InjuryType.choices)

    by_category = Counter(row["activity__category"] for row in real if row["activity__category"])
    by_space = Counter(row["space"] for row in real if row["space"])
    category_labels, space_labels = dict(ActivityCategory.choices), dict(Space.choices)
    months = Counter(moment.strftime("%Y-%m") for moment in local)
    month_keys = sorted(months)
    return {
        "from": period.start,
        "to": period.end,
        "incidents": len(real),
        "near_misses": len(near),
        "injured_students": sum(body.values()),
        "participation_hours": round(hours, 2),
        "rate_per_1000_hours": _rate(len(real), hours),
        "by_kind": _counted(Counter(row["kind"] for row in incidents), dict(IncidentKind.choices), IncidentKind.values),
        "by_severity": _counted(
            Counter(row["severity"] for row in real), dict(IncidentSeverity.choices), IncidentSeverity.values
        ),
        "by_location": _counted(Counter(row["location"] for row in real), {}),
        "by_activity": _counted(Counter(row["activity__name"] or "" for row in real), {"": _("No activity")}),
        "by_space": _counted(by_space, space_labels),
        "by_month": _counted(months, {}, month_keys),
        "by_hour": _counted(Counter(moment.hour for moment in local), {h: f"{h:02d}" for h in range(24)}, range(24)),
        "by_weekday": _counted(Counter(moment.weekday() for moment in local), WEEKDAYS, range(7)),
        "body_injury": {
            "columns": [{"key": key, "label": str(type_labels[key])} for key in types],
            "rows": [
                {
                    "key": area,
                    "label": str(area_labels[area]),
                    "counts": [body.get((area, kind), 0) for kind in types],
                    "total": sum(body.get((area, kind), 0) for kind in types),
                }
                for area in areas
            ],
        },
        "rates_by_category": [
            {
                "key": key,
                "label": str(category_labels.get(key, key)),
                "incidents": by_category.get(key, 0),
                "hours": round(breakdown["by_category"].get(key, 0.0), 2),
                "rate": _rate(by_category.get(key, 0), breakdown["by_category"].get(key, 0.0)),
            }
            for key in sorted(set(by_category) | set(breakdown["by_category"]))
        ],
        "rates_by_space": [
            {
                "key": key,
                "label": str(space_labels.get(key, key)),
                "incidents": by_space.get(key, 0),
                "hours": round(breakdown["by_space"].get(key, 0.0), 2),
                "rate": _rate(by_space.get(key, 0), breakdown["by_space"].get(key, 0.0)),
            }
            for key in sorted(set(by_space) | set(breakdown["by_space"]))
        ],
    }


def parse_period(start, end, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Defaults and limits from ``safety/data/incidents.json``; raises ServiceError."""
    from accounts.services.errors import ServiceError
    from safety.services.incidents_data import incident_config

    config = incident_config()
    end = end or today
    start = start or end - datetime.timedelta(days=config["default_analytics_range_days"])
    if start > end:
        raise ServiceError(_("The start date must not be after the end date."), field="from")
    if (end - start).days > config["max_analytics_range_days"]:
        raise ServiceError(_("The date range can be at most three years."), field="from")
    return start, end

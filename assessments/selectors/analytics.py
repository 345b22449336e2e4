"""Fitness analytics for a class or a school (issue 7 §4), aggregated in the database.

For a scope (one class, or every class of a school) and filters (date range, school year, term,
grade, test):

* ``hfz`` — share in the Healthy Fitness Zone per test and grade: the *latest* result of each
  student on each test in the period (a result with no later one — by event date, then id — for
  the same student and test in the scope); share = HFZ ÷ results that have a zone.
* ``prepost`` — between two testing windows (``TestEvent.window``; by default the first and the
  last window of the period by date): per test, students with a result in both, mean change
  (post − pre, in the test's unit), share improved (in the test's direction).
* ``distribution`` — for ONE test (the filter's, else the first with results): a histogram and the
  percentiles P10/P25/P50/P75/P90 of the latest results, computed from the sorted values fetched
  with one ``values_list`` (linear interpolation between closest ranks, the definition of SQL's
  ``percentile_cont`` and of numpy's default), so SQLite and PostgreSQL agree.
* ``attendance`` — attendance rate (on site ÷ recorded sessions, physed definition) per student vs
  the latest PACER laps, Pearson's r over students with both.

The number of queries is fixed (it does not grow with students, results or tests); see
docs/assessments-analytics.md. Body-composition tests are left out unless ``body_composition``.
Callers check permission first (``can_view_class`` / ``can_view_school``).
"""

import datetime
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber

from accounts.models import Role
from accounts.selectors import has_school_perm, roles_in
from assessments.models import FitnessResult, FitnessTest, Zone
from physed.models import AttendanceRecord, SessionStatus
from physed.models.sessions import ON_SITE_STATUSES
from progress.selectors.at_risk import staff_class_access

VIEW = "assessments.view_analytics"
BODY = "assessments.view_body_composition"
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "analytics.json"


@cache
def settings() -> dict:
    return json.loads(SETTINGS_FILE.read_text())


def can_view_class(user, pe_class) -> bool:
    """Teachers: the classes they teach; department heads and school admins: every class."""
    return staff_class_access(user, pe_class, VIEW)


def can_view_school(user, school) -> bool:
    if user.is_superuser:
        return True
    return has_school_perm(user, VIEW, school.pk) and bool(
        {Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN} & set(roles_in(user, school.pk))
    )


def can_view_body_composition(user, school) -> bool:
    return user.is_superuser or has_school_perm(user, BODY, school.pk)


@dataclass
class Filters:
    start: datetime.date | None = None
    end: datetime.date | None = None
    school_year: int | None = None
    term: str = ""
    grade: int | None = None
    test: FitnessTest | None = None
    pre_window: str = ""
    post_window: str = ""


def _event_scope(*, school=None, pe_class=None, filters: Filters) -> Q:
    """The conditions on a result's event (class or school, dates, school year, term)."""
    scope = Q(event__pe_class=pe_class) if pe_class is not None else Q(event__pe_class__school=school)
    if filters.start:
        scope &= Q(event__date__gte=filters.start)
    if filters.end:
        scope &= Q(event__date__lte=filters.end)
    if filters.school_year:
        scope &= Q(event__pe_class__school_year=filters.school_year)
    if filters.term:
        scope &= Q(event__pe_class__term=filters.term)
    return scope


def _scoped(*, school=None, pe_class=None, filters: Filters, body_composition: bool):
    rows = FitnessResult.objects.filter(_event_scope(school=school, pe_class=pe_class, filters=filters))
    if filters.grade is not None:
        rows = rows.filter(student__grade=filters.grade)
    if filters.test is not None:
        rows = rows.filter(test=filters.test)
    if not body_composition:
        rows = rows.filter(test__is_body_composition=False)
    return rows


@dataclass(frozen=True)
class EventScope:
    """Which events count (``q``), whether the rows are one testing window, and whether the
    stored "newest result" flags answer "the newest per student and test" (a whole school with no
    date, year or term filter: the flags are kept over every event; a class or a period ranks)."""

    q: Q
    stored: bool = False
    window: bool = False

    def in_window(self, name: str) -> "EventScope":
        return EventScope(self.q & Q(event__window=name), self.stored, True)


def _latest(rows, scope: EventScope):
    """Rows that are the newest result (event date, then id) of their student and test in the
    scope. From the stored flags when they apply (``EventScope``), else by ROW_NUMBER() over
    (student, test) in one pass. Grade, test and body-composition filters are per student or per
    test, so the ranking needs only the event conditions."""
    if scope.stored:
        return rows.filter(**{"is_latest_in_window" if scope.window else "is_latest": True})
    ranked = (
        FitnessResult.objects.filter(scope.q)
        .annotate(
            newest_first=Window(
                RowNumber(),
                partition_by=[F("student_id"), F("test_id")],
                order_by=[F("event__date").desc(), F("pk").desc()],
            )
        )
        .filter(newest_first=1)
        .values("pk")
    )
    return rows.filter(pk__in=ranked)


def _latest_values(rows, scope: EventScope) -> dict[tuple[int, int], float]:
    """{(student id, test id): value} of the newest results (see ``_latest``)."""
    return {
        (student_id, test_id): float(value)
        for student_id, test_id, value in _latest(rows, scope).order_by().values_list("student_id", "test_id", "value")
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def hfz_shares(rows, scope: EventScope) -> list[dict]:
    grouped = (
        _latest(rows, scope)
        .values("test_id", "test__code", "test__name", "test__position", "student__grade")
        .annotate(
            results=Count("pk"),
            classified=Count("pk", filter=~Q(zone="")),
            hfz=Count("pk", filter=Q(zone=Zone.HFZ)),
            ni=Count("pk", filter=Q(zone=Zone.NI)),
            ni_hr=Count("pk", filter=Q(zone=Zone.NI_HR)),
        )
        .order_by("test__position", "test__name", "student__grade")
    )
    tests: dict[int, dict] = {}
    for row in grouped:
        test = tests.setdefault(
            row["test_id"],
            {
                "test": row["test_id"],
                "code": row["test__code"],
                "name": row["test__name"],
                "results": 0,
                "classified": 0,
                "hfz": 0,
                "ni": 0,
                "ni_hr": 0,
                "grades": [],
            },
        )
        grade = {key: row[key] for key in ("results", "classified", "hfz", "ni", "ni_hr")}
        for key, value in grade.items():
            test[key] += value
        test["grades"].append(
            {"grade": row["student__grade"], **grade, "hfz_share": _share(row["hfz"], row["classified"])}
        )
    for test in tests.values():
        test["hfz_share"] = _share(test["hfz"], test["classified"])
    return list(tests.values())


def windows(rows) -> list[str]:
    return [
        row["event__window"]
        for row in rows.exclude(event__window="")
        .values("event__window")
        .annotate(first=Min("event__date"))
        .order_by("first", "event__window")
    ]


def prepost(rows, scope: EventScope, *, pre: str = "", post: str = "") -> dict:
    names = windows(rows)
    if not pre or not post:
        if len(names) < 2:
            return {"windows": names, "pre": pre, "post": post, "tests": []}
        pre, post = pre or names[0], post or names[-1]
    # the newest result per student and test in each window (ranked in the database), paired here:
    # a correlated "pre value" subquery per post row cost seconds at 10,000 rows on PostgreSQL
    pre_values = _latest_values(rows.filter(event__window=pre), scope.in_window(pre))
    post_values = _latest_values(rows.filter(event__window=post), scope.in_window(post))
    pairs: dict[int, list[tuple[float, float]]] = {}
    for key, after in post_values.items():
        if key in pre_values:
            pairs.setdefault(key[1], []).append((pre_values[key], after))
    tests = []
    for test in FitnessTest.objects.filter(pk__in=pairs).order_by("position", "name"):
        values = pairs[test.pk]
        count = len(values)
        improved = sum(1 for before, after in values if (after > before if test.higher_is_better else after < before))
        tests.append(
            {
                "test": test.pk,
                "code": test.code,
                "name": test.name,
                "unit": test.unit,
                "higher_is_better": test.higher_is_better,
                "students": count,
                "mean_pre": round(sum(before for before, _after in values) / count, 2),
                "mean_post": round(sum(after for _before, after in values) / count, 2),
                "mean_change": round(sum(after - before for before, after in values) / count, 2),
                "improved": improved,
                "improved_share": _share(improved, count),
            }
        )
    return {"windows": names, "pre": pre, "post": post, "tests": tests}


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (``percentile_cont``): rank ``(n−1)·p/100``."""
    if not sorted_values:
        return None
    rank = (len(sorted_values) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def histogram(sorted_values: list[float], bins: int) -> list[dict]:
    if not sorted_values:
        return []
    low, high = sorted_values[0], sorted_values[-1]
    if high == low:
        return [{"low": low, "high": high, "count": len(sorted_values)}]
    width = (high - low) / bins
    counts = [0] * bins
    for value in sorted_values:
        counts[min(int((value - low) / width), bins - 1)] += 1
    return [
        {"low": round(low + i * width, 2), "high": round(low + (i + 1) * width, 2), "count": count}
        for i, count in enumerate(counts)
    ]


def distribution(rows, scope: EventScope, test: FitnessTest | None, *, first_test_id: int | None = None) -> dict:
    """``first_test_id``: the first test (by position, name) with results, when the caller already
    knows it (the HFZ shares list every test with a newest result) — finding it again means
    sorting every row in scope."""
    if test is None:
        if first_test_id is None:
            first_test_id = rows.order_by("test__position", "test__name").values_list("test_id", flat=True).first()
        test = FitnessTest.objects.filter(pk=first_test_id).first() if first_test_id else None
    if test is None:
        return {"test": None, "count": 0, "histogram": [], "percentiles": {}}
    values = [
        float(v) for v in _latest(rows.filter(test=test), scope).order_by("value").values_list("value", flat=True)
    ]
    conf = settings()
    return {
        "test": test.pk,
        "code": test.code,
        "name": test.name,
        "unit": test.unit,
        "count": len(values),
        "mean": round(sum(values) / len(values), 2) if values else None,
        "histogram": histogram(values, conf["histogram_bins"]),
        "percentiles": {f"p{p}": _round(percentile(values, p)) for p in conf["percentiles"]},
    }


def _round(value):
    return None if value is None else round(value, 2)


def pearson(pairs: list[tuple[float, float]]) -> float | None:
    n = len(pairs)
    if n < 3:
        return None
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in pairs) / math.sqrt(sxx * syy)


def attendance_vs_performance(rows, scope: EventScope, *, school=None, pe_class=None, filters: Filters) -> dict:
    codes = settings()["attendance_test_codes"]
    latest = list(
        _latest(rows.filter(test__code__in=codes), scope)
        .order_by("test__position", "student_id")
        .values_list("student_id", "value", "test__code", "test__name")
    )
    if not latest:
        return {"test": None, "points": [], "pearson_r": None, "students": 0}
    code = latest[0][2]
    values = {sid: float(value) for sid, value, test_code, _name in latest if test_code == code}
    # rates for every student of the scope, kept below only for the students with a value: a nested
    # ranked subquery here made PostgreSQL re-run the ranking per attendance row (3 s at 1,500
    # students), and the ids as a parameter list cost more to bind and plan than the rows they skip
    attendance = AttendanceRecord.objects.exclude(session__status=SessionStatus.CANCELLED)
    attendance = (
        attendance.filter(session__pe_class=pe_class)
        if pe_class is not None
        else attendance.filter(session__pe_class__school=school)
    )
    if filters.start:
        attendance = attendance.filter(session__date__gte=filters.start)
    if filters.end:
        attendance = attendance.filter(session__date__lte=filters.end)
    rates = attendance.values("student_id").annotate(
        total=Count("pk"), on_site=Count("pk", filter=Q(status__in=list(ON_SITE_STATUSES)))
    )
    points = [
        {
            "student": row["student_id"],
            "attendance_rate": round(row["on_site"] / row["total"], 4),
            "value": values[row["student_id"]],
        }
        for row in rates
        if row["total"] and row["student_id"] in values
    ]
    points.sort(key=lambda p: (p["attendance_rate"], p["value"], p["student"]))
    r = pearson([(p["attendance_rate"], p["value"]) for p in points])
    return {
        "test": code,
        "test_name": latest[0][3],
        "points": points,
        "students": len(points),
        "pearson_r": None if r is None else round(r, 4),
    }


def analytics(*, school=None, pe_class=None, filters: Filters | None = None, body_composition: bool = False) -> dict:
    """The dashboard numbers for a class (``pe_class``) or a whole school (``school``)."""
    filters = filters or Filters()
    school = pe_class.school if pe_class is not None else school
    rows = _scoped(school=school, pe_class=pe_class, filters=filters, body_composition=body_composition)
    whole_history = not (filters.start or filters.end or filters.school_year or filters.term)
    scope = EventScope(
        _event_scope(school=school, pe_class=pe_class, filters=filters), stored=pe_class is None and whole_history
    )
    hfz = hfz_shares(rows, scope)
    return {
        "scope": "class" if pe_class is not None else "school",
        "school": school.pk,
        "pe_class": pe_class.pk if pe_class is not None else None,
        "filters": {
            "from": filters.start,
            "to": filters.end,
            "school_year": filters.school_year,
            "term": filters.term,
            "grade": filters.grade,
            "test": filters.test.pk if filters.test else None,
        },
        "body_composition": body_composition,
        "hfz": hfz,
        "prepost": prepost(rows, scope, pre=filters.pre_window, post=filters.post_window),
        "distribution": distribution(rows, scope, filters.test, first_test_id=hfz[0]["test"] if hfz else None),
        "attendance": attendance_vs_performance(rows, scope, school=school, pe_class=pe_class, filters=filters),
    }

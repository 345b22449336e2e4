"""Fitness testing writes: school settings (standard set, body composition), the school's own
tests, test events, and the bulk result entry that classifies each result and mirrors it into
progress entries. Every write is keyword-only, atomic and audited."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assessments.engines.aerobic import mile_time_minutes
from assessments.models import FitnessResult, FitnessTest, SchoolFitnessSettings, StandardSet, TestEvent
from assessments.services.fitness_latest import refresh_latest
from assessments.services.fitness_scoring import BandCache, score
from physed.services.sessions_common import RowErrors, require

VIEW_TESTS = "assessments.view_fitnesstest"
ADD_TEST = "assessments.add_fitnesstest"
CHANGE_TEST = "assessments.change_fitnesstest"
CHANGE_SETTINGS = "assessments.change_schoolfitnesssettings"
VIEW_EVENT = "assessments.view_testevent"
ADD_EVENT = "assessments.add_testevent"
CHANGE_EVENT = "assessments.change_testevent"
DELETE_EVENT = "assessments.delete_testevent"
ADD_RESULT = "assessments.add_fitnessresult"
VIEW_BODY = "assessments.view_body_composition"
PROGRESS_SOURCE = "fitness_result"


def body_off_message() -> str:
    return _("This school does not record body composition (BMI, body fat).")


def _require_school(actor, perm: str, school) -> None:
    if actor is not None and not actor.is_superuser and not has_school_perm(actor, perm, school.pk):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


# --- settings --------------------------------------------------------------------------------


def settings_for(school) -> SchoolFitnessSettings:
    """The school's settings (created on first use with the shipped FitnessGram set)."""
    from assessments.services.fitness_data import shipped_set

    found = SchoolFitnessSettings.objects.filter(school=school).select_related("standard_set").first()
    if found is not None:
        return found
    return SchoolFitnessSettings.objects.get_or_create(school=school, defaults={"standard_set": shipped_set()})[0]


def standard_set_for(school) -> StandardSet | None:
    return settings_for(school).standard_set


@transaction.atomic
def update_fitness_settings(*, actor, school, standard_set=None, record_body_composition=None) -> SchoolFitnessSettings:
    """Changes the set (then re-classifies the school's results inline) and/or body composition."""
    _require_school(actor, CHANGE_SETTINGS, school)
    current = settings_for(school)
    changes = {}
    if standard_set is not None and standard_set.pk != current.standard_set_id:
        if standard_set.school_id not in (None, school.pk):
            raise ServiceError(_("Choose a standard set of this school or a shipped one."), field="standard_set")
        changes["standard_set"] = [current.standard_set_id, standard_set.pk]
        current.standard_set = standard_set
    if record_body_composition is not None and record_body_composition != current.record_body_composition:
        changes["record_body_composition"] = [current.record_body_composition, record_body_composition]
        current.record_body_composition = record_body_composition
    if changes:
        current.save()
        record_event(
            "assessments.fitness_settings_changed", actor=actor, school=school, target=current, changes=changes
        )
        if "standard_set" in changes:
            reclassify_school(school=school)
    return current


def reclassify_school(*, school) -> int:
    """Re-classifies every result of the school against its current set (inline: a school's
    results are a few thousand rows) and refreshes the progress entries' zones."""
    from progress.services.entries import record_entry

    standard_set = standard_set_for(school)
    cache = BandCache(standard_set)
    rows = FitnessResult.objects.filter(event__pe_class__school=school).select_related("student", "test", "event")
    count = 0
    for result in rows:
        _apply(result, score(result, cache), standard_set)
        result.save()
        record_entry(
            student=result.student,
            metric_key=f"fitness.{result.test.code}",
            value=result.value,
            date=result.event.date,
            source=PROGRESS_SOURCE,
            source_id=str(result.pk),
            zone=result.zone,
            group_key=f"test_event:{result.event_id}",
            recorded_by=result.recorded_by,
        )
        count += 1
    return count


# --- the school's own tests -------------------------------------------------------------------

TEST_FIELDS = (
    "name",
    "component",
    "unit",
    "higher_is_better",
    "decimal_places",
    "plausible_min",
    "plausible_max",
    "description",
    "position",
    "active",
)


def _check_test(values: dict, school, instance=None) -> None:
    low, high = values.get("plausible_min"), values.get("plausible_max")
    if instance is not None:
        low = instance.plausible_min if low is None else low
        high = instance.plausible_max if high is None else high
    if low is not None and high is not None and low > high:
        raise ServiceError(_("The lowest plausible value must not be above the highest."), field="plausible_max")
    code = values.get("code")
    if code and FitnessTest.objects.filter(school=school, code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        raise ServiceError(_("This school already has a test with this code."), field="code")
    if code and FitnessTest.objects.filter(school=None, code=code).exists():
        raise ServiceError(_("A shipped test already uses this code."), field="code")


@transaction.atomic
def create_fitness_test(*, actor, school, code: str, name: str, **values) -> FitnessTest:
    _require_school(actor, ADD_TEST, school)
    _check_test({"code": code, **values}, school)
    data = {key: values[key] for key in TEST_FIELDS if key in values}
    test = FitnessTest.objects.create(school=school, code=code, name=name, scoring="direct", **data)
    record_event("assessments.fitness_test_created", actor=actor, school=school, target=test)
    return test


@transaction.atomic
def update_fitness_test(*, actor, test: FitnessTest, **values) -> FitnessTest:
    if test.school_id is None:
        raise ServiceError(_("Shipped tests cannot be changed."), code="permission_denied", status=403)
    require(actor, CHANGE_TEST, test)
    values.pop("code", None)
    _check_test(values, test.school, test)
    for key in TEST_FIELDS:
        if key in values:
            setattr(test, key, values[key])
    test.save()
    record_event("assessments.fitness_test_changed", actor=actor, school=test.school, target=test)
    return test


# --- test events ------------------------------------------------------------------------------


def _check_tests(tests, school) -> list:
    tests = list(tests or [])
    if not tests:
        raise ServiceError(_("Choose at least one test."), field="tests")
    for test in tests:
        if test.school_id not in (None, school.pk):
            raise ServiceError(_("Unknown test."), field="tests")
        if test.is_body_composition and not settings_for(school).record_body_composition:
            raise ServiceError(body_off_message(), field="tests", code="body_composition_off")
    return tests


@transaction.atomic
def create_test_event(
    *, actor, pe_class, name: str, date, tests, window: str = "", status=None, notes: str = ""
) -> TestEvent:
    require(actor, ADD_EVENT, pe_class)
    tests = _check_tests(tests, pe_class.school)
    event = TestEvent.objects.create(
        pe_class=pe_class,
        name=name,
        date=date,
        window=window,
        notes=notes,
        created_by=actor,
        **({"status": status} if status else {}),
    )
    event.tests.set(tests)
    record_event("assessments.test_event_created", actor=actor, school=pe_class.school, target=event)
    return event


@transaction.atomic
def update_test_event(*, actor, event: TestEvent, **values) -> TestEvent:
    require(actor, CHANGE_EVENT, event)
    if "pe_class" in values and values["pe_class"].pk != event.pe_class_id:
        raise ServiceError(_("An event cannot move to another class."), field="pe_class")
    values.pop("pe_class", None)
    tests = values.pop("tests", None)
    for key in ("name", "date", "window", "status", "notes"):
        if key in values:
            setattr(event, key, values[key])
    event.save()
    if tests is not None:
        tests = _check_tests(tests, event.pe_class.school)
        if event.results.exclude(test__in=tests).exists():
            raise ServiceError(_("Remove the results of a test before removing the test."), field="tests")
        event.tests.set(tests)
    if "date" in values:
        _reclassify_event(event)
    if "date" in values or "window" in values:
        refresh_latest(event.results.values_list("student_id", flat=True))
    record_event("assessments.test_event_changed", actor=actor, school=event.pe_class.school, target=event)
    return event


@transaction.atomic
def delete_test_event(*, actor, event: TestEvent) -> None:
    from progress.services.entries import remove_entry

    require(actor, DELETE_EVENT, event)
    for pk in list(event.results.values_list("pk", flat=True)):
        remove_entry(source=PROGRESS_SOURCE, source_id=str(pk))
    record_event("assessments.test_event_deleted", actor=actor, school=event.pe_class.school, target=event)
    student_ids = list(event.results.values_list("student_id", flat=True))
    event.delete()
    refresh_latest(student_ids)


def _reclassify_event(event) -> None:
    from progress.services.entries import record_entry

    cache = BandCache(standard_set_for(event.pe_class.school))
    for result in event.results.select_related("student", "test", "event"):
        _apply(result, score(result, cache), cache.standard_set)
        result.save()
        record_entry(
            student=result.student,
            metric_key=f"fitness.{result.test.code}",
            value=result.value,
            date=event.date,
            source=PROGRESS_SOURCE,
            source_id=str(result.pk),
            zone=result.zone,
            group_key=f"test_event:{event.pk}",
            recorded_by=result.recorded_by,
        )


# --- results ----------------------------------------------------------------------------------


@dataclass
class ResultEntry:
    student: object
    test: object
    value: object  # number, numeric text, or "mm:ss" for timed tests; None/"" removes the result
    heart_rate: int | None = None
    weight_kg: Decimal | None = None
    height_cm: Decimal | None = None
    note: str = ""


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def parse_value(test: FitnessTest, raw) -> Decimal:
    """A cell value as a number, checked against the test's plausible range (ServiceError naming
    the range otherwise). Timed tests accept mm:ss."""
    if isinstance(raw, Decimal | int | float) and not isinstance(raw, bool):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(",", ".")
        try:
            value = mile_time_minutes(text) if test.unit == "min" else Decimal(text)
        except (InvalidOperation, ValueError):
            hint = _(" (minutes, or mm:ss)") if test.unit == "min" else ""
            message = _("%(test)s: enter a number%(hint)s.") % {"test": test.name, "hint": hint}
            raise ServiceError(message, field="value") from None
    if not value.is_finite() or value < test.plausible_min or value > test.plausible_max:
        raise ServiceError(
            _("%(test)s %(unit)s must be between %(low)s and %(high)s.")
            % {"test": test.name, "unit": test.unit, "low": _fmt(test.plausible_min), "high": _fmt(test.plausible_max)},
            field="value",
            code="out_of_range",
        )
    if test.decimal_places == 0 and value != value.to_integral_value():
        raise ServiceError(_("%(test)s: enter a whole number.") % {"test": test.name}, field="value")
    return value.quantize(Decimal("0.01"))


def _apply(result, scored, standard_set) -> None:
    result.age_at_test = scored.age
    result.zone = scored.zone
    result.estimated_vo2max = scored.vo2max
    result.classification_note = scored.note[:300]
    result.standard_set = standard_set


def _enrolled_ids(event) -> set[int]:
    from physed.models import Enrollment, EnrollmentStatus

    return set(
        Enrollment.objects.filter(pe_class=event.pe_class, status=EnrollmentStatus.ACTIVE).values_list(
            "student_id", flat=True
        )
    )


@transaction.atomic
def record_fitness_results(*, actor, event: TestEvent, entries: list) -> dict[str, int]:
    """Upserts one result per (student, test) of ``event``; a blank value removes that result.
    All or nothing: any invalid row → ``RowErrors`` (400, per-row messages), nothing stored.
    ``entries`` are ``ResultEntry`` or dicts with the same keys."""
    from progress.services.entries import record_entry, remove_entry

    require(actor, ADD_RESULT, event)
    school = event.pe_class.school
    settings = settings_for(school)
    event_tests = {test.pk: test for test in event.tests.all()}
    enrolled = _enrolled_ids(event)
    errors: dict[int, dict[str, list[str]]] = {}
    parsed = []
    seen = set()
    for index, raw in enumerate(entries):
        entry = raw if isinstance(raw, ResultEntry) else ResultEntry(**raw)
        problems: dict[str, list[str]] = {}
        test = event_tests.get(getattr(entry.test, "pk", None))
        if test is None:
            problems.setdefault("test", []).append(_("This test is not part of the event."))
        if entry.student is None or entry.student.pk not in enrolled:
            problems.setdefault("student", []).append(_("The student is not enrolled in this class."))
        key = (getattr(entry.student, "pk", None), getattr(entry.test, "pk", None))
        if key in seen:
            problems.setdefault("value", []).append(_("The same student and test appear twice."))
        seen.add(key)
        value = None
        if test is not None and entry.value not in (None, ""):
            if test.is_body_composition and not settings.record_body_composition:
                problems.setdefault("value", []).append(body_off_message())
            else:
                try:
                    value = parse_value(test, entry.value)
                except ServiceError as exc:
                    problems.setdefault("value", []).append(exc.message)
        if problems:
            errors[index] = problems
        else:
            parsed.append((entry, test, value))
    if errors:
        first = next(iter(errors.values()))
        message = next(iter(first.values()))[0]
        raise RowErrors(message, field="results", rows=errors)
    cache = BandCache(settings.standard_set)
    saved = removed = 0
    for entry, test, value in parsed:
        existing = FitnessResult.objects.filter(event=event, student=entry.student, test=test).first()
        if value is None:
            if existing is not None:
                remove_entry(source=PROGRESS_SOURCE, source_id=str(existing.pk))
                existing.delete()
                removed += 1
            continue
        result = existing or FitnessResult(event=event, student=entry.student, test=test)
        result.value = value
        result.heart_rate = entry.heart_rate
        result.weight_kg = entry.weight_kg
        result.height_cm = entry.height_cm
        result.note = entry.note or ""
        result.recorded_by = actor
        result.event = event
        _apply(result, score(result, cache), settings.standard_set)
        result.save()
        record_entry(
            student=entry.student,
            metric_key=f"fitness.{test.code}",
            value=value,
            date=event.date,
            source=PROGRESS_SOURCE,
            source_id=str(result.pk),
            zone=result.zone,
            group_key=f"test_event:{event.pk}",
            recorded_by=actor,
        )
        saved += 1
    refresh_latest({getattr(entry.student, "pk", entry.student) for entry, _test, _value in parsed})
    record_event(
        "assessments.fitness_results_recorded",
        actor=actor,
        school=school,
        target=event,
        changes={"saved": saved, "removed": removed},
    )
    return {"saved": saved, "removed": removed}


@transaction.atomic
def delete_fitness_result(*, actor, result: FitnessResult) -> None:
    from progress.services.entries import remove_entry

    require(actor, ADD_RESULT, result)
    remove_entry(source=PROGRESS_SOURCE, source_id=str(result.pk))
    record_event("assessments.fitness_result_deleted", actor=actor, school=result.event.pe_class.school, target=result)
    result.delete()
    refresh_latest([result.student_id])

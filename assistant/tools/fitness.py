"""``fitness_results``: "how did my class do on the PACER" — the class's latest test event with
that test (or every test of its latest event): zone counts (Healthy Fitness Zone / Needs
Improvement), the class average, the best improvement over the previous event with the same test,
a per-student table and links to the event pages. Reads ``assessments.selectors.fitness``
(``events_for``, ``results_visible_to``: body composition only for those allowed)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.models import FitnessResult, Zone
from assistant.tools.base import Card, Tool, ToolResult, register
from assistant.tools.common import (
    CLASS_NAME,
    class_link,
    find_class,
    find_test,
    link,
    number,
    require_class_access,
    student_name,
)

NEEDS_IMPROVEMENT = (Zone.NI, Zone.NI_HR)


def _results(ctx, event, test) -> list[FitnessResult]:
    from assessments.selectors.fitness import results_visible_to

    rows = results_visible_to(ctx.user, FitnessResult.objects.filter(event=event, test=test))
    return list(rows.select_related("student").order_by("student__last_name", "student__first_name", "pk"))


def _best_improvement(test, current: list[FitnessResult], previous: list[FitnessResult]):
    before = {r.student_id: float(r.value) for r in previous}
    best = None
    for r in current:
        if r.student_id not in before:
            continue
        change = float(r.value) - before[r.student_id]
        gain = change if test.higher_is_better else -change
        if gain > 0 and (best is None or gain > best[1]):
            best = (r, gain, before[r.student_id])
    return best


def summarise_test(ctx, pe_class, test, events: list) -> tuple[dict, list[str], list, list]:
    """(data, sentences, citations, cards) for one test of the class."""
    with_test = [e for e in events if any(t.pk == test.pk for t in e.tests.all())]
    if not with_test:
        return (
            {"test": test.name, "event": None},
            [_("%(class)s has no %(test)s results yet.") % {"class": pe_class.name, "test": test.name}],
            [],
            [],
        )
    event = with_test[0]
    results = _results(ctx, event, test)
    counts = {
        "HFZ": sum(r.zone == Zone.HFZ for r in results),
        "NI": sum(r.zone in NEEDS_IMPROVEMENT for r in results),
        "NI-HR": sum(r.zone == Zone.NI_HR for r in results),
        "unclassified": sum(not r.zone for r in results),
    }
    average = sum(float(r.value) for r in results) / len(results) if results else None
    citation = link(f"{event.name} ({event.date.isoformat()})", "assessments-event-detail", event.pk, kind="test_event")
    params = {
        "class": pe_class.name,
        "test": test.name,
        "event": event.name,
        "date": event.date.isoformat(),
        "count": len(results),
        "hfz": counts["HFZ"],
        "ni": counts["NI"],
        "average": number(average),
        "unit": test.unit,
    }
    sentences = [
        _(
            "On %(test)s (%(event)s, %(date)s), %(hfz)d of %(count)d students in %(class)s were in the "
            "Healthy Fitness Zone and %(ni)d need improvement; the class average was %(average)s %(unit)s."
        )
        % params
    ]
    if counts["NI-HR"]:
        sentences.append(_("%(count)d of them are in the health-risk zone.") % {"count": counts["NI-HR"]})
    data = {
        "test": test.name,
        "unit": test.unit,
        "event": {"id": event.pk, "name": event.name, "date": event.date.isoformat()},
        "results": len(results),
        "zones": counts,
        "average": round(average, 2) if average is not None else None,
    }
    if len(with_test) > 1:
        previous = with_test[1]
        best = _best_improvement(test, results, _results(ctx, previous, test))
        if best:
            row, _gain, before = best
            data["best_improvement"] = {"student": student_name(row.student), "from": before, "to": float(row.value)}
            sentences.append(
                _("Biggest improvement since %(previous)s: %(student)s, from %(before)s to %(after)s %(unit)s.")
                % {
                    "previous": previous.date.isoformat(),
                    "student": student_name(row.student),
                    "before": number(before),
                    "after": number(row.value),
                    "unit": test.unit,
                }
            )
    zone_labels = dict(Zone.choices)
    cards = [
        Card(
            kind="chart",
            title=_("%(test)s: students per zone") % {"test": test.name},
            series=[
                {"label": str(zone_labels[Zone.HFZ]), "value": counts["HFZ"]},
                {"label": str(zone_labels[Zone.NI]), "value": counts["NI"] - counts["NI-HR"]},
                {"label": str(zone_labels[Zone.NI_HR]), "value": counts["NI-HR"]},
            ],
            unit=_("students"),
        ),
        Card(
            kind="table",
            title=_("%(test)s results (%(date)s)") % {"test": test.name, "date": event.date.isoformat()},
            columns=[_("Student"), _("Result"), _("Zone")],
            rows=[
                [student_name(r.student), f"{number(r.value, test.decimal_places or 0)} {test.unit}".strip(), r.zone]
                for r in results
            ],
            links=[citation],
        ),
    ]
    return data, sentences, [citation], cards


def _pick_test(ctx, name: str, events: list):
    """The best-matching test; among equally good matches ("pacer": 20 m and 15 m) the one the
    class was tested on."""
    from assistant.resolve import rank, test_candidates

    matches = rank(name, test_candidates(ctx))
    if not matches:
        return find_test(ctx, name)  # raises "I could not find …"
    tested = {t.pk for e in events for t in e.tests.all()}
    best = [m for m in matches if m.score == matches[0].score]
    return next((m.obj for m in best if m.obj.pk in tested), best[0].obj)


class FitnessResults(Tool):
    name = "fitness_results"
    description = (
        "A class's latest fitness test results: students per zone (Healthy Fitness Zone / Needs "
        "Improvement), class average, best improvement, per-student table, links to the events."
    )
    parameters = {
        "type": "object",
        "properties": {
            "class_name": CLASS_NAME,
            "test_name": {"type": "string", "description": "e.g. PACER, push-up; empty: every test."},
        },
        "required": ["class_name"],
        "additionalProperties": False,
    }
    permission = "assessments.view_testevent"

    def run(self, ctx, class_name: str = "", test_name: str | None = None, **arguments) -> ToolResult:
        from assessments.selectors.fitness import events_for

        pe_class = find_class(ctx, class_name)
        require_class_access(ctx, pe_class, "assessments.view_testevent")
        events = list(events_for(ctx.user, pe_class=pe_class))
        if test_name:
            tests = [_pick_test(ctx, test_name, events)]
        elif events:
            tests = [t for t in events[0].tests.all()]
        else:
            tests = []
        result = ToolResult(tool=self.name, citations=[class_link(pe_class)])
        result.data = {"class": {"id": pe_class.pk, "name": pe_class.name}, "tests": []}
        if not tests:
            result.sentences.append(_("%(class)s has no fitness test events yet.") % {"class": pe_class.name})
            return result
        for test in tests:
            data, sentences, citations, cards = summarise_test(ctx, pe_class, test, events)
            result.data["tests"].append(data)
            result.sentences += sentences
            result.citations += [c for c in citations if c not in result.citations]
            result.cards += cards
        return result


register(FitnessResults())

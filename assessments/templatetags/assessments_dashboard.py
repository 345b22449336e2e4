"""``{% my_results_card %}``: the dashboard card of a student or guardian — the latest fitness
result per test with its zone (body composition left out of the card: it is shown only on the
private fitness page), and the latest published progress report."""

from django import template
from django.db.models import OuterRef, Subquery

from assessments.models import FitnessResult, ProgressReport
from physed.models import Term
from physed.selectors.roster import linked_students

register = template.Library()


def latest_results(students) -> list[FitnessResult]:
    """The newest result per (student, test) — one query."""
    if not students:
        return []
    newest = FitnessResult.objects.filter(student=OuterRef("student"), test=OuterRef("test")).order_by(
        "-event__date", "-pk"
    )
    return list(
        FitnessResult.objects.filter(student__in=students, test__is_body_composition=False)
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .select_related("test", "event", "student")
        .order_by("student__last_name", "student_id", "test__position", "test__name")
    )


@register.inclusion_tag("assessments/_my_results_card.html", takes_context=True)
def my_results_card(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    students = list(linked_students(user)) if user is not None and user.is_authenticated else []
    reports = (
        list(
            ProgressReport.objects.published()
            .filter(student__in=students)
            .select_related("student")
            .order_by("-published_at")[:3]
        )
        if students
        else []
    )
    terms = dict(Term.choices)
    for report in reports:
        report.term_label = terms.get(report.term, report.term)
    return {
        "students": students,
        "results": latest_results(students),
        "reports": reports,
        "show_names": len(students) > 1,
    }

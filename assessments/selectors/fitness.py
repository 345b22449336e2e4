"""Fitness reads (stable contract for other areas):

* ``student_results(student, *, start=None, end=None, include_body_composition=True)``
* ``can_see_body_composition(user, student)``
* ``latest_results_by_test(student)``

plus the scoped querysets the API and pages use. Body-composition rows (BMI, % body fat) are
for staff holding ``assessments.view_body_composition`` in the school, the student and their
guardians — never other students.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.selectors import has_school_perm, schools_where
from assessments.models import FitnessResult, FitnessTest, StandardBand, TestEvent

VIEW_BODY = "assessments.view_body_composition"
VIEW_EVENT = "assessments.view_testevent"


def student_results(student, *, start=None, end=None, include_body_composition=True) -> list[FitnessResult]:
    rows = FitnessResult.objects.filter(student=student).select_related("test", "event", "event__pe_class")
    if start is not None:
        rows = rows.filter(event__date__gte=start)
    if end is not None:
        rows = rows.filter(event__date__lte=end)
    if not include_body_composition:
        rows = rows.filter(test__is_body_composition=False)
    return list(rows.order_by("event__date", "test__position", "pk"))


def is_linked(user, student) -> bool:
    """The student's own account or one of their guardians."""
    if user is None or not user.is_authenticated:
        return False
    if student.user_id == user.pk:
        return True
    from physed.models import Guardianship

    return Guardianship.objects.filter(guardian=user, student=student).exists()


def can_see_body_composition(user, student) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or has_school_perm(user, VIEW_BODY, student.school_id):
        return True
    return is_linked(user, student)


def latest_results_by_test(student) -> dict[str, FitnessResult]:
    latest: dict[str, FitnessResult] = {}
    for result in student_results(student):
        latest[result.test.code] = result  # ordered by date: the last one wins
    return latest


def results_visible_to(user, queryset=None):
    """Results the user may list: their schools' rows, body composition only where they hold the
    permission."""
    rows = queryset if queryset is not None else FitnessResult.objects.all()
    rows = rows.visible_to(user)
    if user.is_superuser:
        return rows
    return rows.filter(
        Q(test__is_body_composition=False) | Q(event__pe_class__school__in=schools_where(user, VIEW_BODY))
    )


def tests_for_school(school, *, active_only=True):
    rows = FitnessTest.objects.filter(Q(school__isnull=True) | Q(school=school))
    return rows.filter(active=True) if active_only else rows


def events_for(user, *, pe_class=None):
    rows = TestEvent.objects.visible_to(user).select_related("pe_class").prefetch_related("tests")
    if not user.is_superuser:
        rows = rows.filter(pe_class__school__in=schools_where(user, VIEW_EVENT))
    if pe_class is not None:
        rows = rows.filter(pe_class=pe_class)
    return rows.order_by("-date", "-pk")


def event_grid(event, *, include_body_composition: bool):
    """(tests, rows) for an event: ``rows`` = [(student, {test_id: result})] of the enrolled
    students (and anyone with a result), tests in order."""
    from physed.models import EnrollmentStatus, Student

    tests = [t for t in event.tests.all() if include_body_composition or not t.is_body_composition]
    results = {}
    for result in event.results.select_related("test"):
        results.setdefault(result.student_id, {})[result.test_id] = result
    from physed.models import Enrollment

    enrolled = Enrollment.objects.filter(
        pe_class=event.pe_class, status=EnrollmentStatus.ACTIVE, student=OuterRef("pk")
    )
    students = (
        Student.objects.filter(Q(Exists(enrolled)) | Q(pk__in=list(results)))
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )
    return tests, [(student, results.get(student.pk, {})) for student in students]


def bands_of(standard_set):
    return StandardBand.objects.filter(standard_set=standard_set).order_by("measure", "sex", "age_from", "zone")

"""Roster reads: always from the requesting user's point of view (``visible_to`` first).

``linked_students`` is the "My PE" question — the records a student or guardian account is linked
to (own record, or a guardianship) — kept equal to the object grants the roster service makes.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from physed.models import ClassMeeting, Enrollment, EnrollmentStatus, Guardianship, PEClass, Student

User = get_user_model()


def active_enrolled_count():
    """Each class's number of active enrollments, as a correlated subquery: unlike a ``Count``
    over the join, it adds no GROUP BY to the row query, and ``count()`` (the paginator's) drops it."""
    per_class = (
        Enrollment.objects.filter(pe_class=OuterRef("pk"), status=EnrollmentStatus.ACTIVE)
        .order_by()
        .values("pe_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_class, output_field=IntegerField()), 0)


def students_for(user, school=None):
    rows = Student.objects.visible_to(user)
    return rows.filter(school=school) if school is not None else rows


def search_students(rows, query: str):
    query = (query or "").strip()
    if not query:
        return rows
    condition = Q()
    for word in query.split()[:4]:
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(external_id__iexact=word)
        )
    return rows.filter(condition)


def linked_students(user):
    """The students ``user`` is linked to as the student or a guardian, in schools where the user
    is still a member."""
    if user is None or not user.is_authenticated:
        return Student.objects.none()
    guardian_of = Guardianship.objects.filter(guardian=user, student=OuterRef("pk"))
    return (
        Student.objects.visible_to(user)
        .filter(Q(user=user) | Exists(guardian_of))
        .select_related("school")
        .order_by("last_name", "first_name", "pk")
    )


def current_enrollments(student):
    return (
        Enrollment.objects.filter(student=student, status=EnrollmentStatus.ACTIVE)
        .select_related("pe_class")
        .prefetch_related("pe_class__meetings", "pe_class__teachers")
        .order_by("pe_class__name")
    )


def class_list(user, school, *, query: str = "", year=None, term: str = "", grade=None, active=True):
    """The classes of ``school`` the user may see, the user's own classes first."""
    taught = PEClass.teachers.through.objects.filter(peclass_id=OuterRef("pk"), user_id=user.pk)
    rows = (
        PEClass.objects.visible_to(user)
        .filter(school=school)
        .annotate(
            is_mine=Exists(taught),
            enrolled=active_enrolled_count(),
        )
        .prefetch_related("meetings", Prefetch("teachers", queryset=User.objects.order_by("last_name")))
        .order_by("-is_mine", "-school_year", "name", "pk")
    )
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(external_id__iexact=query) | Q(location__icontains=query))
    if year:
        rows = rows.filter(school_year=year)
    if term:
        rows = rows.filter(term=term)
    if grade is not None:
        rows = rows.filter(grade_from__lte=grade, grade_to__gte=grade)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


def class_roster(pe_class, *, status: str | None = EnrollmentStatus.ACTIVE):
    rows = Enrollment.objects.filter(pe_class=pe_class).select_related("student")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("student__last_name", "student__first_name", "pk")


def todays_classes(user, school, today: datetime.date):
    """(class, meeting) pairs for the classes ``user`` teaches in ``school`` that meet today."""
    meetings = (
        ClassMeeting.objects.filter(
            pe_class__school=school,
            pe_class__teachers=user,
            pe_class__is_active=True,
            weekday=today.weekday(),
        )
        .select_related("pe_class")
        .order_by("start_time", "pe_class__name")
    )
    return [(meeting.pe_class, meeting) for meeting in meetings]


def school_years(school) -> list[int]:
    return list(
        PEClass.objects.filter(school=school).order_by("-school_year").values_list("school_year", flat=True).distinct()
    )

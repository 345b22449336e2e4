"""Fast paths for the two hot roster lists (issue 5 Performance; measured by bench/students.py).

Profiling the student list showed the per-row serializer and the FilterSet's form as the largest
costs a list adds on top of the request stack, so:

* the lists read plain rows with ``values()`` and build the very same JSON their documented
  serializers (``StudentListSerializer``, ``PEClassSerializer``) produce — tests compare the two;
* the class list's nested meetings and teacher ids come from two extra queries for the whole
  page (never per class);
* the FilterSet is built only when a filter parameter is present.
"""

from rest_framework import serializers

from config.api.filters import FilterBackend
from physed.api.fields import WallClockTimeField
from physed.models import ClassMeeting, PEClass

_datetime = serializers.DateTimeField()
_time = WallClockTimeField()


class LazyFilterMixin:
    """Skips django-filter when the request names none of the FilterSet's parameters (ordering
    and search still apply)."""

    def filter_queryset(self, queryset):
        names = {*self.filterset_class.base_filters, *self.filterset_class.Meta.fields}
        if getattr(self, "action", None) == "list" and not set(self.request.query_params) & names:
            for backend in self.filter_backends:
                if backend is not FilterBackend:
                    queryset = backend().filter_queryset(self.request, queryset, self)
            return queryset
        return super().filter_queryset(queryset)


def student_rows(rows) -> list[dict]:
    """``StudentListSerializer`` output from ``values()`` rows."""
    result = []
    for row in rows:
        born = row["date_of_birth"]
        row["date_of_birth"] = born.isoformat() if born is not None else None
        result.append(row)
    return result


CLASS_FIELDS = (
    "id",
    "school",
    "name",
    "external_id",
    "school_year",
    "term",
    "grade_from",
    "grade_to",
    "location",
    "space",
    "capacity",
    "is_active",
)


def class_rows(rows) -> list[dict]:
    """``PEClassSerializer`` output from ``values()`` rows (with the ``enrolled`` annotation):
    meetings and teacher ids for the whole page in two queries."""
    rows = list(rows)
    ids = [row["id"] for row in rows]
    meetings: dict[int, list] = {pk: [] for pk in ids}
    for pe_class_id, weekday, start, end, period in (
        ClassMeeting.objects.filter(pe_class_id__in=ids)
        .order_by("pe_class_id", "weekday", "start_time", "pk")
        .values_list("pe_class_id", "weekday", "start_time", "end_time", "period")
    ):
        meetings[pe_class_id].append(
            {
                "weekday": weekday,
                "start_time": _time.to_representation(start),
                "end_time": _time.to_representation(end),
                "period": period,
            }
        )
    teachers: dict[int, list] = {pk: [] for pk in ids}
    for pe_class_id, user_id in (
        PEClass.teachers.through.objects.filter(peclass_id__in=ids)
        .order_by("peclass_id", "user_id")
        .values_list("peclass_id", "user_id")
    ):
        teachers[pe_class_id].append(user_id)
    result = []
    for row in rows:
        pk = row["id"]
        result.append(
            {
                **{name: row[name] for name in CLASS_FIELDS},
                "teachers": teachers[pk],
                "meetings": meetings[pk],
                "enrolled": row["enrolled"],
                "created_at": _datetime.to_representation(row["created_at"]),
            }
        )
    return result

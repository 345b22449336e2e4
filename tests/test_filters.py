"""The filtering defaults every API list gets from ``config.api.filters.ScopedFilterSet``: integer
filters take whole numbers only (the schema says integer), bounds and lengths the form enforces are
the ones the schema states."""

import re

import django_filters
import pytest
from django import forms
from django.http import QueryDict

from config.api.filters import IdField, IntegerFilter, ScopedFilterSet, WholeNumberField, model_field_at
from physed.models import Enrollment, MetricType, PEClass, Student
from physed.selectors.library_filters import SLUG_LIST_PATTERN, SlugListField
from physed.tests.factories_roster import EnrollmentFactory, PEClassFactory, StudentFactory

STUDENTS = "/api/v1/physed/students/"
CLASSES = "/api/v1/physed/classes/"
ENROLLMENTS = "/api/v1/physed/enrollments/"


@pytest.mark.parametrize("value, expected", [("5", 5), ("-3", -3), ("+2", 2), ("0", 0), (7, 7)])
def test_whole_number_field_takes_integers(value, expected):
    assert WholeNumberField().clean(value) == expected


@pytest.mark.parametrize("value", ["0.5", "1.0", "1e3", "abc", "--5", "5-", "١٢", "²", "0x10", "1_000"])
def test_whole_number_field_refuses_anything_but_digits_with_a_sign(value):
    with pytest.raises(forms.ValidationError) as error:
        WholeNumberField().clean(value)
    assert error.value.code == "invalid"


def test_id_field_is_a_whole_number_field():
    assert issubclass(IdField, WholeNumberField)
    with pytest.raises(forms.ValidationError):
        IdField().clean("12.0")


def test_model_field_at_follows_relations():
    assert model_field_at(Enrollment, "pe_class__school_year") is PEClass._meta.get_field("school_year")
    assert model_field_at(Enrollment, "student") is Student._meta.get_field("id")  # a relation stands for its column
    assert model_field_at(Student, "grade") is Student._meta.get_field("grade")
    assert model_field_at(Student, "created_at__date") is None  # a transform, not a field
    assert model_field_at(Student, "nothing") is None
    assert model_field_at(None, "grade") is None


class _Declared(ScopedFilterSet):
    year = django_filters.NumberFilter(field_name="pe_class__school_year", lookup_expr="gte")
    by_method = django_filters.NumberFilter(method="filter_by_method")

    class Meta:
        model = Enrollment
        fields = ["pe_class__school_year"]

    def filter_by_method(self, queryset, name, value):
        return queryset


class _Metrics(ScopedFilterSet):
    above = django_filters.NumberFilter(field_name="min_value", lookup_expr="gte")

    class Meta:
        model = MetricType
        fields = ["decimal_places", "min_value"]


def test_generated_integer_filters_take_whole_numbers_only():
    filters = _Declared.base_filters
    assert isinstance(filters["pe_class__school_year"], IntegerFilter)
    assert filters["pe_class__school_year"].field_class is WholeNumberField
    assert isinstance(_Metrics.base_filters["decimal_places"], IntegerFilter)


def test_declared_number_filters_on_integer_fields_take_whole_numbers_only():
    assert _Declared.base_filters["year"].field_class is WholeNumberField
    # the declared filter itself is left alone (subclasses share it)
    assert _Declared.declared_filters["year"].field_class is forms.DecimalField


def test_number_filters_on_decimal_fields_or_without_a_field_keep_decimals():
    assert _Metrics.base_filters["min_value"].field_class is forms.DecimalField
    assert _Metrics.base_filters["above"].field_class is forms.DecimalField
    assert _Declared.base_filters["by_method"].field_class is forms.DecimalField


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0.5", "1.0", "7.5"])
def test_a_fraction_for_an_integer_filter_is_a_400(value):
    filterset = _Declared(QueryDict(f"year={value}&pe_class__school_year={value}"), queryset=Enrollment.objects.all())
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"year", "pe_class__school_year"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, params, field",
    [
        (STUDENTS, {"grade_min": "0.5"}, "grade_min"),
        (STUDENTS, {"grade_max": "7.0"}, "grade_max"),
        (CLASSES, {"school_year": "2026.5"}, "school_year"),
        (CLASSES, {"grade": "7.5"}, "grade"),
        (ENROLLMENTS, {"pe_class__school_year": "0.5"}, "pe_class__school_year"),
        ("/api/v1/physed/adaptation-profiles/", {"skill_level": "0.5"}, "skill_level"),
        ("/api/v1/physed/movement-analyses/", {"min_score": "0.5"}, "min_score"),
        ("/api/v1/physed/standards/", {"number": "0.5"}, "number"),
        ("/api/v1/physed/indicators/", {"standard__number": "0.5"}, "standard__number"),
    ],
)
def test_api_integer_filters_refuse_fractions(client_for, school_admin, url, params, field):
    response = client_for(school_admin).get(url, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_api_integer_filters_filter(client_for, school_admin, school):
    StudentFactory(school=school, grade=7)
    StudentFactory(school=school, grade=9)
    enrollment = EnrollmentFactory(pe_class=PEClassFactory(school=school, school_year=2026), student__school=school)
    client = client_for(school_admin)
    assert client.get(STUDENTS, {"grade_min": "8"}).json()["count"] == 1
    assert client.get(STUDENTS, {"grade_min": "+8", "grade_max": "9"}).json()["count"] == 1
    # beyond the column's range: an empty (or full) list, never a database error
    assert client.get(STUDENTS, {"grade_min": "99999999999999999999999"}).json()["count"] == 0
    assert client.get(STUDENTS, {"grade_max": "-99999999999999999999999"}).json()["count"] == 0
    body = client.get(ENROLLMENTS, {"pe_class__school_year": "2026"}).json()
    assert [row["id"] for row in body["results"]] == [enrollment.pk]


@pytest.fixture(scope="module")
def schema_parameters(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        schema = Client().get("/api/schema/", {"format": "json"}).json()

    def parameters(path):
        return {param["name"]: param["schema"] for param in schema["paths"][path]["get"]["parameters"]}

    return parameters


def test_schema_states_integer_filters(schema_parameters):
    assert schema_parameters(STUDENTS)["grade_min"]["type"] == "integer"
    assert schema_parameters(CLASSES)["grade"]["type"] == "integer"
    assert schema_parameters(ENROLLMENTS)["pe_class__school_year"]["type"] == "integer"


def test_schema_states_the_bounds_and_lengths_the_filters_enforce(schema_parameters):
    activities = schema_parameters("/api/v1/physed/activities/")
    assert activities["difficulty_min"] == {"type": "integer", "minimum": 1, "maximum": 5}
    assert activities["risk_level_max"] == {"type": "integer", "minimum": 1, "maximum": 4}
    assert activities["group_size"] == {"type": "integer", "maximum": 1000}
    assert activities["max_duration"] == {"type": "integer"}  # 0 just matches nothing
    assert activities["indicator"] == {"type": "string", "maxLength": 12}
    assert activities["search"] == {"type": "string", "maxLength": 200}
    assert activities["have"] == {"type": "string", "pattern": SLUG_LIST_PATTERN}


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"difficulty_min": 0}, {"difficulty_max": 6}, {"risk_level_max": 0}])
def test_out_of_bounds_filters_are_a_400(client_for, school_admin, params):
    response = client_for(school_admin).get("/api/v1/physed/activities/", params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"group_size": 0}, {"max_duration": 0}, {"standard": 0}, {"group_size": -5}])
def test_filters_without_a_real_lower_bound_just_filter(client_for, school_admin, params):
    response = client_for(school_admin).get("/api/v1/physed/activities/", params)
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"standard": "99999999999999999999999"},
        {"standard": "-99999999999999999999999"},
        {"group_size": "-99999999999999999999999"},
        {"max_duration": "99999999999999999999999"},
        {"max_duration": "-99999999999999999999999"},
    ],
)
def test_unbounded_integer_filters_take_any_integer(client_for, school_admin, params):
    assert client_for(school_admin).get("/api/v1/physed/activities/", params).status_code == 200


def _slug_list_accepts(value: str) -> bool:
    try:
        SlugListField(required=False).clean(value)
    except forms.ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "value",
    [
        "",
        "cones",
        "cones,balls",
        "cones, balls",
        "cones ,balls",
        ",,cones,,",
        " ",
        "a b",
        "cones;balls",
        "conés",
        "cones,\tballs",
        ",".join(["a"] * 100),
        ",".join(["a"] * 100) + ",",
        ",".join(["a"] * 101),
    ],
)
def test_slug_list_pattern_says_what_the_field_takes(value):
    assert bool(re.match(SLUG_LIST_PATTERN, value)) == _slug_list_accepts(value)

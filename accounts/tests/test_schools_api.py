"""Schools and memberships: visibility, roles, and writes through the service."""

import pytest

from accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_school_list_shows_only_my_schools(client_for, teacher, school, other_school):
    response = client_for(teacher).get("/api/v1/schools/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row["slug"] for row in body["results"]] == ["northside"]


def test_school_admin_updates_own_school(client_for, school_admin, school):
    response = client_for(school_admin).patch(f"/api/v1/schools/{school.pk}/", {"region": "Cook County"})
    assert response.status_code == 200
    school.refresh_from_db()
    assert school.region == "Cook County"


def test_teacher_cannot_update_school(client_for, teacher, school):
    response = client_for(teacher).patch(f"/api/v1/schools/{school.pk}/", {"region": "Nope"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    school.refresh_from_db()
    assert school.region == ""


def test_school_slug_is_read_only(client_for, school_admin, school):
    response = client_for(school_admin).patch(f"/api/v1/schools/{school.pk}/", {"slug": "hijack"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"slug": ["This field is read-only."]}


def test_invalid_language_is_400_and_nothing_written(client_for, school_admin, school):
    response = client_for(school_admin).patch(f"/api/v1/schools/{school.pk}/", {"default_language": "xx"})
    assert response.status_code == 400
    school.refresh_from_db()
    assert school.default_language == "en"


def test_memberships_visible_to_staff_of_the_school_only(client_for, teacher, student, school, other_teacher):
    staff = client_for(teacher).get("/api/v1/memberships/")
    assert staff.status_code == 200
    emails = sorted(row["user_email"] for row in staff.json()["results"])
    assert emails == ["student@northside.test", "teacher@northside.test"]
    assert client_for(student).get("/api/v1/memberships/").status_code == 403


def test_memberships_filter_by_role(client_for, teacher, student):
    response = client_for(teacher).get("/api/v1/memberships/", {"role": Role.STUDENT})
    assert [row["user_email"] for row in response.json()["results"]] == ["student@northside.test"]


def test_expired_membership_grants_nothing(client_for, teacher, school):
    from datetime import timedelta

    from django.utils import timezone

    Membership.objects.filter(user=teacher).update(
        valid_from=timezone.now() - timedelta(days=10), valid_until=timezone.now() - timedelta(seconds=1)
    )
    assert client_for(teacher).get("/api/v1/schools/").status_code == 403
    assert client_for(teacher).get(f"/api/v1/schools/{school.pk}/").status_code == 404


def test_user_in_two_schools_lists_staff_data_only_where_staff(client_for, member, school, other_school):
    from accounts.tests.factories import MembershipFactory

    dual = member(school, Role.TEACHER, email="dual@example.org")
    MembershipFactory(user=dual, school=other_school, role=Role.STUDENT)
    member(other_school, Role.TEACHER, email="far@example.org")
    response = client_for(dual).get("/api/v1/memberships/", {"page_size": 100})
    schools = {row["school_slug"] for row in response.json()["results"]}
    assert schools == {"northside"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"timezone": "Not/AZone"}, "timezone"), ({"country": "0!"}, "country"), ({"country": "us"}, "country")],
)
def test_school_timezone_and_country_are_validated(client_for, school_admin, school, payload, field):
    response = client_for(school_admin).patch(f"/api/v1/schools/{school.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    school.refresh_from_db()
    assert (school.timezone, school.country) == ("UTC", "US")

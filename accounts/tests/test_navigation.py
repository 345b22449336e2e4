"""The navigation: main links in the bar, the rest folded into "School" and "Me" menus, each link
shown only to users holding its permission in the current school."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _nav(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.context


def test_school_admin_gets_main_links_and_both_menus(client, school_admin):
    context = _nav(client, school_admin)
    assert [item["name"] for item in context["nav_main"]] == [
        "dashboard",
        "class-list",
        "student-list",
        "activity-list",
        "movement-list",
        "safety-home",
        "assessments-home",
        "progress-home",
        "content-home",
        "assistant-home",
    ]
    groups = {str(group["label"]): [item["name"] for item in group["items"]] for group in context["nav_groups"]}
    assert "audit-log" in groups["School"] and "people" in groups["School"]
    assert groups["Me"][:2] == ["profile", "settings"] and groups["Me"][-1] == "swagger-ui"
    assert context["nav_main"][0]["current"] is True
    assert "memory-list" in groups["Me"]


def test_student_sees_no_school_menu_and_no_roster_links(client, student):
    context = _nav(client, student)
    assert [item["name"] for item in context["nav_main"]] == [
        "dashboard",
        "activity-list",
        "my-pe",
        "assessments-my-reports",
        "content-home",
    ]
    assert [str(group["label"]) for group in context["nav_groups"]] == ["Me"]
    me = [item["name"] for item in context["nav_groups"][0]["items"]]
    assert "memory-list" not in me  # the assistant is for staff


def test_guardian_gets_incident_notices_link(client, guardian):
    context = _nav(client, guardian)
    assert [item["name"] for item in context["nav_main"]] == [
        "dashboard",
        "activity-list",
        "my-pe",
        "safety-my-incident-notices",
        "assessments-my-reports",
    ]


def test_menus_render_as_disclosures(client, teacher):
    client.force_login(teacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert "<details>" in html and "<summary" in html
    assert 'aria-current="page"' in html

"""History pages: the version list, one version, the diff and restoring (with its 409)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentItem
from content.services.items import create_item, update_item
from content.tests.factories import ContentShareFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(school, teacher):
    item = create_item(
        actor=teacher, school=school, title="Basketball passing", body="Chest pass\nBounce pass", tags=["basketball"]
    )
    update_item(actor=teacher, item=item, base_version=1, body="Chest pass\nOverhead pass", change_note="new drill")
    update_item(actor=teacher, item=item, base_version=2, tags=["basketball", "passing"], grade_min=2)
    item.refresh_from_db()
    return item


def _get(client, user, name, *args, query=""):
    client.force_login(user)
    return client.get(reverse(name, args=args) + query)


def test_history_lists_versions_newest_first_with_what_changed(client, teacher, item):
    response = _get(client, teacher, "content-item-history", item.pk)
    assert response.status_code == 200
    versions = response.context["versions"]
    assert [v.number for v in versions] == [3, 2, 1]
    assert [v.changed_fields for v in versions] == [["grade_min", "tags"], ["body"], []]
    assert response.context["can_restore"] is True
    html = response.content.decode()
    assert "new drill" in html and "Changed: lowest grade, tags" in html
    assert f'href="{reverse("content-version-restore", args=[item.pk, 1])}"' in html
    assert f'href="{reverse("content-version-restore", args=[item.pk, 3])}"' not in html  # current
    assert 'name="from" value="2" checked' in html and 'name="to" value="3" checked' in html


def test_history_is_paginated_with_bounded_queries(client, teacher, item, django_assert_max_num_queries):
    for n in range(3, 26):
        update_item(actor=teacher, item=item, base_version=n, title=f"Basketball passing {n}")
    client.force_login(teacher)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("content-item-history", args=[item.pk]))
    assert [v.number for v in response.context["versions"]][:2] == [26, 25]
    assert len(response.context["versions"]) == 20
    response = client.get(reverse("content-item-history", args=[item.pk]) + "?page=2")
    assert [v.number for v in response.context["versions"]] == [6, 5, 4, 3, 2, 1]
    assert response.context["versions"][0].changed_fields == ["title"]  # against v5, from page 1


def test_history_needs_view_rights_and_hides_other_schools(client, school, item, other_teacher):
    colleague = make_member(school, Role.TEACHER, email="colleague@northside.test")
    assert _get(client, colleague, "content-item-history", item.pk).status_code == 403
    assert _get(client, other_teacher, "content-item-history", item.pk).status_code == 404
    client.logout()
    assert client.get(reverse("content-item-history", args=[item.pk])).status_code == 302
    ContentShareFactory(item=item)  # shared with the school, view only
    response = _get(client, colleague, "content-item-history", item.pk)
    assert response.status_code == 200 and response.context["can_restore"] is False
    assert "content-version-restore" not in response.content.decode() and "/restore/" not in response.content.decode()


def test_version_page_renders_the_snapshot_read_only(client, school, teacher):
    item = create_item(
        actor=teacher, school=school, title="Jump rope", body="## Warm-up\n\n<b>skip</b> <i>fast</i>", grade_min=0
    )
    update_item(actor=teacher, item=item, base_version=1, title="Jump rope 2", body="gone")
    response = _get(client, teacher, "content-version-detail", item.pk, 1)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Jump rope</h1>" in html and "<h2>Warm-up</h2>" in html
    assert "Kindergarten" in html and "Restore version 1" in html
    assert _get(client, teacher, "content-version-detail", item.pk, 9).status_code == 404


def test_diff_page_shows_lines_with_markers_and_metadata(client, teacher, item):
    response = _get(client, teacher, "content-item-diff", item.pk, query="?from=1&to=2")
    assert response.status_code == 200
    (change,) = response.context["changes"]
    assert [(line["op"], line["text"]) for line in change["lines"]] == [
        ("equal", "Chest pass"),
        ("delete", "Bounce pass"),
        ("insert", "Overhead pass"),
    ]
    html = response.content.decode()
    assert "removed line:" in html and "added line:" in html and "Bounce pass</del>" in html
    assert "Version 1 → version 2" in html and "new drill" in html


def test_diff_defaults_to_previous_against_current_and_same_version_has_no_differences(client, teacher, item):
    response = _get(client, teacher, "content-item-diff", item.pk)
    assert (response.context["old"].number, response.context["new"].number) == (2, 3)
    assert [c["field"] for c in response.context["changes"]] == ["grade_min", "tags"]
    response = _get(client, teacher, "content-item-diff", item.pk, query="?from=2&to=2")
    assert response.status_code == 200 and response.context["changes"] == []
    assert "No differences." in response.content.decode()


@pytest.mark.parametrize("query, param", [("?from=9&to=2", "from"), ("?from=1&to=abc", "to"), ("?to=0", "to")])
def test_bad_diff_parameters_are_a_clear_400(client, teacher, item, query, param):
    response = _get(client, teacher, "content-item-diff", item.pk, query=query)
    assert response.status_code == 400 and response.context["error_param"] == param
    assert "Cannot compare these versions" in response.content.decode()


def test_restore_confirms_then_restores_as_a_new_version(client, teacher, item):
    url = reverse("content-version-restore", args=[item.pk, 1])
    response = _get(client, teacher, "content-version-restore", item.pk, 1)
    assert response.status_code == 200 and 'name="version" value="3"' in response.content.decode()
    response = client.post(url, {"version": 3})  # not confirmed
    assert response.status_code == 400 and ContentItem.objects.get(pk=item.pk).version == 3
    response = client.post(url, {"version": 3, "confirm": "on", "change_note": "back to the start"})
    assert response.status_code == 302 and response.url == reverse("content-item-detail", args=[item.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Restored version 1 as version 4."]
    item.refresh_from_db()
    assert item.version == 4 and item.body == "Chest pass\nBounce pass" and item.grade_min == 0
    newest = item.versions.get(number=4)
    assert newest.restored_from == 1 and newest.change_note == "back to the start" and newest.author == teacher
    assert "restored from v1" in _get(client, teacher, "content-item-history", item.pk).content.decode()


def test_a_stale_restore_is_409_with_the_changes_since(client, teacher, item):
    update_item(actor=teacher, item=item, base_version=3, title="Passing, renamed", change_note="rename")
    client.force_login(teacher)
    response = client.post(reverse("content-version-restore", args=[item.pk, 1]), {"version": 3, "confirm": "on"})
    assert response.status_code == 409
    assert [c["field"] for c in response.context["conflict"]["changes"]] == ["title"]
    html = response.content.decode()
    assert "Passing, renamed" in html and "rename" in html and 'name="version" value="4"' in html
    assert ContentItem.objects.get(pk=item.pk).version == 4


def test_restore_needs_edit_rights(client, school, item, other_teacher):
    colleague = make_member(school, Role.TEACHER, email="colleague@northside.test")
    ContentShareFactory(item=item)  # view only
    assert _get(client, colleague, "content-version-restore", item.pk, 1).status_code == 403
    response = client.post(reverse("content-version-restore", args=[item.pk, 1]), {"version": 3, "confirm": "on"})
    assert response.status_code == 403
    assert _get(client, other_teacher, "content-version-restore", item.pk, 1).status_code == 404
    assert ContentItem.objects.get(pk=item.pk).version == 3

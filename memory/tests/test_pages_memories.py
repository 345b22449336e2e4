"""The "What the assistant remembers about me" pages: list, search, filters, add, edit, delete
with confirmation, pin, export, empty state, and nobody else's memory (404)."""

import json

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_member
from memory.models import Memory, MemoryKind
from memory.services.memories import create_memory
from physed.tests.factories_roster import PEClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def gym(school, teacher):
    return create_memory(actor=teacher, school=school, content="Grade 5 Blue has the gym on Tuesdays", importance=0.8)


def test_login_required(client):
    response = client.get(reverse("memory-list"))
    assert response.status_code == 302 and "login" in response.url


def test_empty_state_explains_memories(signed_in):
    page = signed_in.get(reverse("memory-list")).content.decode()
    assert "What the assistant remembers about me" in page
    assert "does not remember anything about you yet" in page
    assert "remember that" in page


def test_list_shows_rows_with_details(signed_in, gym, school, teacher):
    pe_class = PEClassFactory(school=school, name="Grade 5 Blue")
    pe_class.teachers.add(teacher)
    create_memory(actor=teacher, school=school, content="Blue is loud", pe_class=pe_class, pinned=True)
    create_memory(actor=make_member(school, Role.TEACHER), school=school, content="Someone else's note")
    page = signed_in.get(reverse("memory-list")).content.decode()
    assert "Grade 5 Blue has the gym on Tuesdays" in page and "Blue is loud" in page
    assert "Someone else" not in page
    assert "0.80" in page and "Added by hand" in page and "never" in page
    assert reverse("class-detail", args=[pe_class.pk]) in page
    assert "2 memories" in page


def test_search_kind_filter_and_pinned_first(signed_in, gym, school, teacher):
    pref = create_memory(
        actor=teacher, school=school, content="short", kind=MemoryKind.PREFERENCE, key="report_style", pinned=True
    )
    response = signed_in.get(reverse("memory-list"), {"q": "gym tuesdays"})
    rows = [memory for memory, _hit in response.context["page"].object_list]
    assert rows[0] == gym
    assert "Match" in response.content.decode()
    response = signed_in.get(reverse("memory-list"), {"kind": "preference"})
    assert [m for m, _h in response.context["page"].object_list] == [pref]
    response = signed_in.get(reverse("memory-list"), {"pinned_first": "on"})
    assert [m for m, _h in response.context["page"].object_list] == [pref, gym]
    response = signed_in.get(reverse("memory-list"), {"q": "zebra crossing"})
    assert "No memory matches that search." in response.content.decode()


def test_add_and_edit(signed_in, teacher, school):
    response = signed_in.post(
        reverse("memory-add"), {"content": "Use the track on Fridays", "kind": "fact", "importance": "0.6"}
    )
    assert response.status_code == 302
    memory = Memory.objects.get(owner=teacher)
    assert (memory.content, memory.importance, memory.school) == ("Use the track on Fridays", 0.6, school)
    response = signed_in.post(
        reverse("memory-edit", args=[memory.pk]),
        {"content": "Use the track on Thursdays", "kind": "fact", "importance": "0.9", "pinned": "on"},
    )
    assert response.status_code == 302
    memory.refresh_from_db()
    assert (memory.content, memory.importance, memory.pinned) == ("Use the track on Thursdays", 0.9, True)
    edit_page = signed_in.get(reverse("memory-edit", args=[memory.pk])).content.decode()
    assert "Use the track on Thursdays" in edit_page


def test_add_refuses_bad_input(signed_in, teacher):
    response = signed_in.post(reverse("memory-add"), {"content": "   ", "kind": "fact", "importance": "2"})
    assert response.status_code == 400
    assert not Memory.objects.exists()


def test_delete_needs_confirmation(signed_in, gym):
    url = reverse("memory-delete", args=[gym.pk])
    page = signed_in.get(url).content.decode()
    assert "Delete this memory?" in page and gym.content in page
    assert signed_in.post(url, {}).status_code == 400
    assert Memory.objects.filter(pk=gym.pk).exists()
    assert signed_in.post(url, {"confirm": "on"}).status_code == 302
    assert not Memory.objects.filter(pk=gym.pk).exists()


def test_pin_toggles_by_post_only(signed_in, gym):
    url = reverse("memory-pin", args=[gym.pk])
    assert signed_in.get(url).status_code == 405
    signed_in.post(url)
    gym.refresh_from_db()
    assert gym.pinned is True
    signed_in.post(url)
    gym.refresh_from_db()
    assert gym.pinned is False


def test_export_is_a_json_download(signed_in, gym):
    response = signed_in.get(reverse("memory-export"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert [row["content"] for row in data["memories"]] == [gym.content]


def test_another_persons_memory_is_404(client, gym, school, school_admin):
    colleague = make_member(school, Role.TEACHER)
    for user in (colleague, school_admin):
        client.force_login(user)
        for name in ("memory-edit", "memory-delete"):
            assert client.get(reverse(name, args=[gym.pk])).status_code == 404
        assert client.post(reverse("memory-delete", args=[gym.pk]), {"confirm": "on"}).status_code == 404
        assert client.post(reverse("memory-pin", args=[gym.pk])).status_code == 404
    gym.refresh_from_db()
    assert gym.pinned is False


def test_tidy_shows_dry_run_then_applies(signed_in, teacher, school):
    from django.utils import timezone

    old = timezone.now() - timezone.timedelta(days=400)
    for n in range(2):
        memory = create_memory(actor=teacher, school=school, content=f"Old chat {n}", kind=MemoryKind.EPISODE)
        Memory.objects.filter(pk=memory.pk).update(created_at=old, last_accessed_at=old)
    page = signed_in.get(reverse("memory-tidy")).content.decode()
    assert "Tidy up my memories" in page and "Summarise old episodes" in page
    assert "Old chat 0" in page and "2 memories would change." in page
    assert Memory.objects.filter(kind=MemoryKind.EPISODE).count() == 2
    assert signed_in.post(reverse("memory-tidy"), {}).status_code == 400
    assert signed_in.post(reverse("memory-tidy"), {"confirm": "on"}).status_code == 302
    assert Memory.objects.filter(kind=MemoryKind.EPISODE).count() == 0
    assert Memory.objects.filter(kind=MemoryKind.SUMMARY, owner=teacher).count() == 1


def test_tidy_with_nothing_to_do(signed_in, gym):
    page = signed_in.get(reverse("memory-tidy")).content.decode()
    assert "Nothing to tidy up" in page and "Apply the clean-up" not in page

"""Memory admin: list, search and change pages load for a superuser; nothing can be added or
rewritten; deletion is audited with the staff member as actor."""

import pytest

from accounts.models import AuditEvent, User
from memory.models import Memory
from memory.services.memories import create_memory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42"))
    return client


def test_admin_pages(superuser_client, teacher, school):
    memory = create_memory(actor=teacher, school=school, content="Grade 5 Blue has the gym on Tuesdays")
    changelist = superuser_client.get("/admin/memory/memory/")
    assert changelist.status_code == 200
    assert "Grade 5 Blue has the gym" in changelist.content.decode()
    assert superuser_client.get("/admin/memory/memory/", {"q": "gym"}).status_code == 200
    change = superuser_client.get(f"/admin/memory/memory/{memory.pk}/change/")
    assert change.status_code == 200 and "search_vector" not in change.content.decode()
    assert superuser_client.get("/admin/memory/memory/add/").status_code == 403


def test_admin_delete_is_audited(superuser_client, teacher, school):
    memory = create_memory(actor=teacher, school=school, content="delete me")
    response = superuser_client.post(f"/admin/memory/memory/{memory.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Memory.objects.filter(pk=memory.pk).exists()
    event = AuditEvent.objects.get(action="memory.deleted", target_id=str(memory.pk))
    assert event.actor.email == "ops@example.org" and event.changes["by_admin"] is True

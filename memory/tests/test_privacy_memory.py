"""Memories are personal data: exported (without the search vector) and deleted on erasure."""

import json
import zipfile

import pytest

from accounts.models import ErasureRequest, Role
from accounts.privacy import exporter, registry
from accounts.services.privacy import erase_subject
from accounts.tests.factories import make_member
from memory.models import Memory, MemoryKind
from memory.services.memories import create_memory

pytestmark = pytest.mark.django_db


def test_memory_is_registered():
    entry = next(entry for entry in registry.entries() if entry.label == "memory.Memory")
    assert entry.category == "memory" and entry.erase == registry.DELETE


def test_export_and_erasure(school, teacher):
    subject = make_member(school, Role.TEACHER, email="sam@northside.test")
    create_memory(actor=subject, school=school, content="Grade 5 Blue has the gym on Tuesdays")
    create_memory(actor=subject, school=school, content="short", kind=MemoryKind.PREFERENCE, key="report_style")
    kept = create_memory(actor=teacher, school=school, content="Not Sam's")

    archive, _manifest = exporter.build_archive(subject)
    with archive:
        rows = json.loads(zipfile.ZipFile(archive).read("data/memory.memory.json"))
    assert sorted(row["content"] for row in rows) == ["Grade 5 Blue has the gym on Tuesdays", "short"]
    assert "search_vector" not in rows[0] and rows[0]["owner_id"] == subject.pk

    erasure = ErasureRequest.objects.create(school=school, subject=subject, requested_by=subject)
    ledger = {row.model: (row.action, row.rows) for row in erase_subject(erasure=erasure)}
    assert ledger["memory.Memory"] == (registry.DELETE, 2)
    assert list(Memory.objects.values_list("pk", flat=True)) == [kept.pk]

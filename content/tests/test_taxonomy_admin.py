"""Taxonomy admin: every model registered and its pages load; category writes go through the
service (path/depth of the subtree rewritten, cycles refused on the form)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from content.models import Category, ContentTag, TaggedContentItem
from content.services import categories as cats
from content.tests.factories import ContentItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(client):
    client.force_login(User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42"))
    return client


def test_pages_load(ops, school, teacher, department_head):
    games = cats.create_category(actor=department_head, school=school, name="Games")
    ContentItemFactory(school=school, owner=teacher, tags=["volleyball"])
    for model in (Category, ContentTag, TaggedContentItem):
        assert admin.site.is_registered(model)
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert ops.get(changelist).status_code == 200
        obj = model.objects.first()
        assert ops.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200
    assert games.path in ops.get(reverse("admin:content_category_changelist")).content.decode()


def test_category_add_and_move_through_the_service(ops, school, department_head):
    games = cats.create_category(actor=department_head, school=school, name="Games")
    net = cats.create_category(actor=department_head, parent=games, name="Net")
    add = reverse("admin:content_category_add")
    answer = ops.post(add, {"school": school.pk, "parent": "", "name": "Fitness", "description": "", "position": 0})
    assert answer.status_code == 302
    fitness = Category.objects.get(name="Fitness")
    assert fitness.path == f"/{fitness.pk}/" and fitness.depth == 0
    change = reverse("admin:content_category_change", args=[games.pk])
    cycle = ops.post(change, {"school": school.pk, "parent": net.pk, "name": "Games", "position": 0})
    assert cycle.status_code == 200 and "cannot move under itself" in cycle.content.decode()
    moved = ops.post(change, {"school": school.pk, "parent": fitness.pk, "name": "Games", "position": 0})
    assert moved.status_code == 302
    net.refresh_from_db()
    assert net.path == f"/{fitness.pk}/{games.pk}/{net.pk}/" and net.depth == 2

"""Taxonomy pages: the category tree with counts, forms (create, move, clash, delete with
children), the tag vocabulary and its management, bulk tagging (posted from the library or picked
here) and the suggestions fragment; 403/404 where due; list query counts do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import Category, ContentTag
from content.services import categories as cats
from content.tests.factories import CategoryFactory, ContentItemFactory, ContentShareFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_category_tree_page_with_counts_and_rights(logged_in, school, department_head, teacher):
    games = cats.create_category(actor=department_head, school=school, name="Games")
    net = cats.create_category(actor=department_head, parent=games, name="Net games")
    ContentItemFactory(school=school, owner=teacher, category=net)
    ContentItemFactory(school=school, owner=teacher, category=games)
    ContentItemFactory(school=school, owner=teacher)
    page = logged_in(teacher).get(reverse("content-category-list"))
    assert page.status_code == 200
    tree = page.context["tree"]
    assert [(n["category"].name, n["count"]) for n in tree] == [("Games", 2)]
    assert [(n["category"].name, n["count"]) for n in tree[0]["children"]] == [("Net games", 1)]
    assert page.context["uncategorized"] == 1
    assert reverse("content-category-create") not in page.content.decode()
    assert logged_in(teacher).get(reverse("content-category-create")).status_code == 403
    assert logged_in(teacher).get(reverse("content-category-edit", args=[games.pk])).status_code == 403


def test_category_forms(logged_in, school, other_school, department_head):
    client = logged_in(department_head)
    created = client.post(reverse("content-category-create"), {"name": "Games", "description": "", "parent": ""})
    assert created.status_code == 302
    games = Category.objects.get(school=school, name="Games")
    clash = client.post(reverse("content-category-create"), {"name": "GAMES", "parent": ""})
    assert clash.status_code == 400 and "already a category" in clash.content.decode()
    client.post(reverse("content-category-create"), {"name": "Net games", "parent": games.pk})
    fitness = cats.create_category(actor=department_head, school=school, name="Fitness")
    net = Category.objects.get(name="Net games")
    moved = client.post(
        reverse("content-category-edit", args=[net.pk]), {"name": "Net games", "parent": fitness.pk, "position": ""}
    )
    assert moved.status_code == 302
    net.refresh_from_db()
    assert net.path == f"/{fitness.pk}/{net.pk}/" and net.depth == 1
    # the parent picker leaves out the node and its subtree (no cycles offered)
    form = client.get(reverse("content-category-edit", args=[fitness.pk])).context["form"]
    assert [pk for pk, _label in form.fields["parent"].choices if pk] == [games.pk]
    refused = client.post(
        reverse("content-category-delete", args=[fitness.pk]), {"confirm": "on", "children": "refuse"}
    )
    assert refused.status_code == 400 and "subcategories" in refused.content.decode()
    deleted = client.post(
        reverse("content-category-delete", args=[fitness.pk]), {"confirm": "on", "children": "move_up"}
    )
    assert deleted.status_code == 302 and not Category.objects.filter(pk=fitness.pk).exists()
    net.refresh_from_db()
    assert (net.parent_id, net.path, net.depth) == (None, f"/{net.pk}/", 0)
    theirs = CategoryFactory(school=other_school)
    assert client.get(reverse("content-category-edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("content-category-delete", args=[theirs.pk])).status_code == 404


def test_tag_pages(logged_in, school, other_school, department_head, teacher):
    ContentItemFactory(school=school, owner=teacher, tags=["volleyball", "serve"])
    ContentItemFactory(school=school, tags=["volleyball"])
    ContentItemFactory(school=other_school, tags=["volleyball", "secret"])
    page = logged_in(teacher).get(reverse("content-tag-list"))
    rows = [(tag.name, tag.item_count) for tag in page.context["page"].object_list]
    assert rows == [("serve", 1), ("volleyball", 1)] and "secret" not in page.content.decode()
    serve = ContentTag.objects.get(school=school, name="serve")
    ball = ContentTag.objects.get(school=school, name="volleyball")
    assert logged_in(teacher).post(reverse("content-tag-rename", args=[serve.pk]), {"name": "x"}).status_code == 403
    client = logged_in(department_head)
    assert [(t.name, t.item_count) for t in client.get(reverse("content-tag-list")).context["page"]] == [
        ("serve", 1),
        ("volleyball", 2),
    ]
    assert client.post(reverse("content-tag-rename", args=[serve.pk]), {"name": "Serving"}).status_code == 302
    serve.refresh_from_db()
    assert serve.name == "serving"
    assert client.post(reverse("content-tag-merge", args=[serve.pk]), {"into": ball.pk}).status_code == 302
    assert not ContentTag.objects.filter(pk=serve.pk).exists()
    assert client.post(reverse("content-tag-delete", args=[ball.pk]), {"confirm": "on"}).status_code == 302
    assert not ContentTag.objects.filter(school=school).exists()
    foreign = ContentTag.objects.get(school=other_school, name="secret")
    assert client.get(reverse("content-tag-rename", args=[foreign.pk])).status_code == 404


def test_bulk_tag_page_from_the_library_and_standalone(logged_in, school, other_school, teacher):
    mine = ContentItemFactory(school=school, owner=teacher, title="Serve basics")
    shared = ContentItemFactory(school=school, title="Shared plan")
    ContentShareFactory(item=shared)
    client = logged_in(teacher)
    url = reverse("content-bulk-tag")
    posted = client.post(url, {"items": [mine.pk, shared.pk], "next": "/content/"})
    assert posted.status_code == 200
    assert posted.context["form"].initial["items"] == [mine.pk, shared.pk]
    assert 'value="/content/"' in posted.content.decode()
    done = client.post(
        url, {"apply": "1", "items": [mine.pk, shared.pk], "add": "Volleyball, net", "next": "/content/"}
    )
    assert done.status_code == 200
    assert done.context["result"]["changed"] == ["Serve basics"]
    assert done.context["result"]["skipped"] == [{"title": "Shared plan", "reason": "You may not edit this item."}]
    assert sorted(mine.tags.names()) == ["net", "volleyball"]
    foreign = ContentItemFactory(school=other_school)
    bad = client.post(url, {"apply": "1", "items": [mine.pk, foreign.pk], "remove": "net"})
    assert bad.status_code == 400
    assert sorted(mine.tags.names()) == ["net", "volleyball"]
    standalone = client.get(url, {"q": "serve"})
    assert [pk for pk, _title in standalone.context["form"].fields["items"].choices] == [mine.pk]
    assert client.get(url, {"next": "https://evil.example/"}).context["next_url"] == ""


def test_suggestions_fragment(logged_in, school, other_school, teacher):
    item = ContentItemFactory(school=school, owner=teacher, title="Volleyball serve")
    ContentItemFactory(school=school, owner=teacher, tags=["volleyball", "dance"])
    client = logged_in(teacher)
    fragment = client.get(reverse("content-tag-suggestions", args=[item.pk]))
    assert fragment.status_code == 200
    assert [row["name"] for row in fragment.context["suggestions"]] == ["volleyball"]
    assert 'data-tag="volleyball"' in fragment.content.decode()
    draft = client.get(reverse("content-tag-suggestions", args=[item.pk]), {"title": "Dance party", "tags": ""})
    assert [row["name"] for row in draft.context["suggestions"]] == ["dance"]
    private = ContentItemFactory(school=school)
    assert client.get(reverse("content-tag-suggestions", args=[private.pk])).status_code == 403
    foreign = ContentItemFactory(school=other_school)
    assert client.get(reverse("content-tag-suggestions", args=[foreign.pk])).status_code == 404
    new = client.get(reverse("content-tag-suggestions-draft"), {"title": "Volleyball and dance", "tags": "dance"})
    assert [row["name"] for row in new.context["suggestions"]] == ["volleyball"]
    assert 'id="tx-suggest-new"' in new.content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _warm_count(client, url):
    """The second of two requests: the first fills the permission cache (shared with other runs)."""
    _count(client, url)
    return _count(client, url)


def test_list_query_counts_do_not_grow(client_for, school, department_head, teacher):
    api = client_for(department_head)
    CategoryFactory(school=school)
    ContentItemFactory(school=school, owner=teacher, tags=["a"])
    few = (_warm_count(api, "/api/v1/content/categories/"), _warm_count(api, "/api/v1/content/tags/"))
    for n in range(6):
        CategoryFactory(school=school)
        ContentItemFactory(school=school, owner=teacher, tags=[f"t{n}"])
    many = (_warm_count(api, "/api/v1/content/categories/"), _warm_count(api, "/api/v1/content/tags/"))
    assert few == many

"""Category tree and tag services: paths and depths after moves (whole subtree), cycles and depth
refused, sibling names, delete with children, tag rename/merge/delete, bulk tagging with versions."""

import pytest

from accounts.models import AuditEvent
from accounts.services.errors import ServiceError
from content.models import Category, ContentItem, ContentTag, ContentVersion
from content.models.taxonomy import MAX_CATEGORY_DEPTH
from content.selectors.taxonomy import category_tree, descendant_ids, subtree_filter, subtree_item_counts, tags_for
from content.services import categories as cats
from content.services import tags as tag_services
from content.services.tags_bulk import SKIP_NO_RIGHTS, SKIP_UNCHANGED, bulk_tag
from content.tests.factories import ContentItemFactory, ContentShareFactory, ContentTagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(school, department_head):
    """Games ⟶ Net games ⟶ Volleyball ⟶ Serving; Fitness (a second root)."""
    games = cats.create_category(actor=department_head, school=school, name="Games")
    net = cats.create_category(actor=department_head, parent=games, name="Net games")
    volley = cats.create_category(actor=department_head, parent=net, name="Volleyball")
    serve = cats.create_category(actor=department_head, parent=volley, name="Serving")
    fitness = cats.create_category(actor=department_head, school=school, name="Fitness")
    return games, net, volley, serve, fitness


def _fresh(*rows):
    return [Category.objects.get(pk=row.pk) for row in rows]


def test_create_sets_path_depth_and_position(tree):
    games, net, volley, serve, fitness = tree
    assert games.path == f"/{games.pk}/" and games.depth == 0
    assert serve.path == f"/{games.pk}/{net.pk}/{volley.pk}/{serve.pk}/" and serve.depth == 3
    assert (games.position, fitness.position) == (0, 1)
    assert descendant_ids(net) == [net.pk, volley.pk, serve.pk]
    assert descendant_ids(net, include_self=False) == [volley.pk, serve.pk]


def test_move_rewrites_the_whole_subtree(tree, department_head):
    games, net, volley, serve, fitness = tree
    cats.update_category(actor=department_head, category=net, parent=fitness)
    net, volley, serve, games = _fresh(net, volley, serve, games)
    assert (net.parent_id, net.path, net.depth) == (fitness.pk, f"/{fitness.pk}/{net.pk}/", 1)
    assert (volley.path, volley.depth) == (f"/{fitness.pk}/{net.pk}/{volley.pk}/", 2)
    assert (serve.path, serve.depth) == (f"/{fitness.pk}/{net.pk}/{volley.pk}/{serve.pk}/", 3)
    assert games.path == f"/{games.pk}/"
    # to the top level: depths go down by one for the whole subtree
    cats.update_category(actor=department_head, category=volley, parent=None)
    volley, serve = _fresh(volley, serve)
    assert (volley.path, volley.depth, volley.parent_id) == (f"/{volley.pk}/", 0, None)
    assert (serve.path, serve.depth) == (f"/{volley.pk}/{serve.pk}/", 1)
    assert AuditEvent.objects.filter(action="content.category_updated").count() == 2


def test_cycle_and_depth_refused_nothing_changed(tree, department_head, school):
    games, _net, _volley, serve, fitness = tree
    with pytest.raises(ServiceError) as raised:
        cats.update_category(actor=department_head, category=games, parent=serve)
    assert raised.value.code == "cycle" and raised.value.field == "parent"
    with pytest.raises(ServiceError) as raised:
        cats.update_category(actor=department_head, category=games, parent=games)
    assert raised.value.code == "cycle"
    assert MAX_CATEGORY_DEPTH == 5
    deepest = cats.create_category(actor=department_head, parent=serve, name="Float serve")
    assert deepest.depth == 4
    with pytest.raises(ServiceError) as raised:
        cats.create_category(actor=department_head, parent=deepest, name="Too deep")
    assert raised.value.code == "too_deep"
    # games' subtree is 5 levels high: under fitness it would reach depth 5
    with pytest.raises(ServiceError) as raised:
        cats.update_category(actor=department_head, category=games, parent=fitness)
    assert raised.value.code == "too_deep"
    assert _fresh(games)[0].path == f"/{games.pk}/"
    assert Category.objects.filter(school=school).count() == 6


def test_sibling_names_unique_without_case(tree, department_head, school):
    _games, net, _volley, _serve, fitness = tree
    with pytest.raises(ServiceError) as raised:
        cats.create_category(actor=department_head, school=school, name="  games ")
    assert (raised.value.field, raised.value.code, raised.value.status) == ("name", "unique", 400)
    # the same name elsewhere in the tree is fine
    other = cats.create_category(actor=department_head, parent=fitness, name="Volleyball")
    with pytest.raises(ServiceError):
        cats.update_category(actor=department_head, category=other, parent=net)
    with pytest.raises(ServiceError):
        cats.update_category(actor=department_head, category=fitness, name="GAMES")


def test_teacher_cannot_create_and_other_school_parent_refused(school, other_school, teacher, department_head):
    with pytest.raises(ServiceError) as raised:
        cats.create_category(actor=teacher, school=school, name="Mine")
    assert raised.value.status == 403
    from content.tests.factories import CategoryFactory

    foreign = CategoryFactory(school=other_school)
    with pytest.raises(ServiceError) as raised:
        cats.create_category(actor=department_head, school=school, parent=foreign, name="X")
    assert raised.value.status in (400, 403)
    assert not Category.objects.filter(name="X").exists()


def test_delete_refuses_children_unless_moved_up(tree, department_head, school):
    games, net, volley, serve, _fitness = tree
    item = ContentItemFactory(school=school, category=net)
    with pytest.raises(ServiceError) as raised:
        cats.delete_category(actor=department_head, category=net)
    assert raised.value.code == "has_children"
    assert Category.objects.filter(pk=net.pk).exists()
    emptied = cats.delete_category(actor=department_head, category=net, children=cats.CHILDREN_MOVE_UP)
    assert emptied == 1
    volley, serve = _fresh(volley, serve)
    assert (volley.parent_id, volley.path, volley.depth) == (games.pk, f"/{games.pk}/{volley.pk}/", 1)
    assert serve.path == f"/{games.pk}/{volley.pk}/{serve.pk}/" and serve.depth == 2
    item.refresh_from_db()
    assert item.category_id is None and item.version == 1  # a taxonomy change, not an item edit


def test_subtree_filter_and_counts_include_descendants(tree, school, department_head, teacher):
    games, net, volley, serve, fitness = tree
    ContentItemFactory(school=school, category=serve, owner=teacher)
    ContentItemFactory(school=school, category=net, owner=teacher)
    hidden = ContentItemFactory(school=school, category=volley)  # another teacher's, not shared
    assert set(ContentItem.objects.filter(subtree_filter(net)).values_list("category_id", flat=True)) == {
        serve.pk,
        net.pk,
        volley.pk,
    }
    counts = subtree_item_counts(teacher, [games, net, volley, serve, fitness])
    assert counts == {games.pk: 2, net.pk: 2, volley.pk: 1, serve.pk: 1, fitness.pk: 0}
    ContentShareFactory(item=hidden)
    assert subtree_item_counts(teacher, [games])[games.pk] == 3
    roots = category_tree(department_head, school)
    assert [node["category"].name for node in roots] == ["Games", "Fitness"]
    assert roots[0]["count"] == 3 and roots[0]["children"][0]["children"][0]["count"] == 2


def test_rename_merge_delete_tags(school, department_head, teacher):
    a = ContentItemFactory(school=school, owner=teacher, tags=["volley", "net games"])
    b = ContentItemFactory(school=school, owner=teacher, tags=["volleyball"])
    volley = ContentTag.objects.get(school=school, name="volley")
    ball = ContentTag.objects.get(school=school, name="volleyball")
    with pytest.raises(ServiceError) as raised:
        tag_services.rename_tag(actor=teacher, tag=volley, name="x")
    assert raised.value.status == 403
    with pytest.raises(ServiceError) as raised:
        tag_services.rename_tag(actor=department_head, tag=volley, name="VolleyBall")
    assert raised.value.code == "unique"
    tag_services.rename_tag(actor=department_head, tag=volley, name=" Volley  Basics ")
    assert sorted(a.tags.names()) == ["net games", "volley basics"]
    ContentItemFactory(school=school, owner=teacher, tags=["volley basics", "volleyball"])
    moved = tag_services.merge_tags(actor=department_head, source=ball, target=volley)
    assert moved == 1  # b moved; the third item already had the target
    assert sorted(b.tags.names()) == ["volley basics"]
    assert not ContentTag.objects.filter(pk=ball.pk).exists()
    assert ContentVersion.objects.filter(item__in=[a, b]).count() == 2  # no new versions
    assert tag_services.delete_tag(actor=department_head, tag=volley) == 3
    assert list(a.tags.names()) == ["net games"]


def test_bulk_tagging_changes_only_editable_items_and_writes_versions(school, teacher, other_school):
    mine = ContentItemFactory(school=school, owner=teacher, tags=["old"])
    also_mine = ContentItemFactory(school=school, owner=teacher, tags=["keep", "volleyball"])
    shared = ContentItemFactory(school=school)  # shared with the school for viewing only
    ContentShareFactory(item=shared)
    result = bulk_tag(actor=teacher, item_ids=[mine.pk, also_mine.pk, shared.pk], add=["Volleyball"], remove=["old"])
    assert result.changed == [mine.pk]
    assert result.skipped == [
        {"id": also_mine.pk, "reason": SKIP_UNCHANGED},
        {"id": shared.pk, "reason": SKIP_NO_RIGHTS},
    ]
    mine.refresh_from_db()
    assert mine.version == 2 and list(mine.tags.names()) == ["volleyball"]
    version = mine.versions.get(number=2)
    assert version.change_note == "Bulk tagging" and version.snapshot["tags"] == ["volleyball"]
    assert shared.versions.count() == 1 and list(shared.tags.names()) == []


def test_bulk_tagging_with_an_invisible_id_changes_nothing(school, teacher, other_school):
    mine = ContentItemFactory(school=school, owner=teacher)
    foreign = ContentItemFactory(school=other_school)
    with pytest.raises(ServiceError) as raised:
        bulk_tag(actor=teacher, item_ids=[mine.pk, foreign.pk], add=["x"])
    assert raised.value.field == "items" and str(foreign.pk) in raised.value.message
    mine.refresh_from_db()
    assert mine.version == 1 and list(mine.tags.names()) == []
    with pytest.raises(ServiceError) as raised:
        bulk_tag(actor=teacher, item_ids=[mine.pk])
    assert raised.value.field == "add"


def test_tag_vocabularies_are_per_school(school, other_school, teacher, department_head):
    ContentItemFactory(school=school, owner=teacher, tags=["volleyball"])
    ContentItemFactory(school=other_school, tags=["volleyball", "secret unit"])
    ContentTagFactory(school=other_school, name="vol other")
    names = {(tag.name, tag.item_count) for tag in tags_for(teacher, query="vol")}
    assert names == {("volleyball", 1)}
    assert [tag.name for tag in tags_for(department_head)] == ["volleyball"]

"""The library home page and the "Related" card: results, facet links, empty states, sidebar
cards, the bulk-tag form, who sees what, bounded queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentShare, ContentStatus, ShareAudience
from content.tests.factories import ContentItemFactory, ContentViewFactory
from physed.tests.factories import EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db
HOME = "/content/"


def test_home_lists_results_with_facets_cards_and_bulk_tag(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher, title="Frisbee golf", tags=["disc"])
    ContentItemFactory(school=school, owner=teacher, title="Relay", summary="", body="A frisbee relay.")
    ContentViewFactory(item=item, user=teacher, last_viewed_at=timezone.now())
    client.force_login(teacher)
    response = client.get(HOME, {"q": "frisbee"})
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context["page"]
    assert [row.title for row in page.object_list] == ["Frisbee golf", "Relay"]
    assert reverse("content-item-detail", args=[item.pk]) in html
    assert reverse("content-item-create") in html
    assert f'action="{reverse("content-bulk-tag")}"' in html and f'name="items" value="{item.pk}"' in html
    assert 'name="next" value="/content/?q=frisbee"' in html
    assert "?q=frisbee&amp;tag=disc" in html  # a facet link keeps the query
    assert "A frisbee relay." in html  # snippet
    recent = response.context["recent"]
    assert [view.item.title for view in recent] == ["Frisbee golf"]
    assert [row.title for row in response.context["popular"]] == ["Frisbee golf"]


def test_no_match_offers_clearing_filters(client, school, teacher):
    ContentItemFactory(school=school, owner=teacher, title="Serve")
    client.force_login(teacher)
    response = client.get(HOME, {"q": "zzz"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 0
    assert "No items match." in response.content.decode()


def test_invalid_filter_is_400_with_the_error(client, school, teacher):
    client.force_login(teacher)
    response = client.get(HOME, {"grade": "13"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"grade"}


def test_htmx_request_gets_the_results_fragment(client, school, teacher):
    ContentItemFactory(school=school, owner=teacher, title="Serve")
    client.force_login(teacher)
    response = client.get(HOME, {"q": "serve"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results")
    html = response.content.decode()
    assert html.startswith('<div id="search-results"') and "<html" not in html and "Serve" in html


def test_student_sees_only_published_class_shared_items_and_no_staff_controls(client, school, teacher):
    pe_class = PEClassFactory(school=school)
    pupil = make_member(school, Role.STUDENT)
    EnrollmentFactory(pe_class=pe_class, student=StudentFactory(school=school, user=pupil))
    shown = ContentItemFactory(school=school, owner=teacher, title="Published plan", status=ContentStatus.PUBLISHED)
    draft = ContentItemFactory(school=school, owner=teacher, title="Draft plan")
    for item in (shown, draft):
        ContentShare.objects.create(item=item, audience=ShareAudience.PE_CLASS, pe_class=pe_class)
    client.force_login(pupil)
    response = client.get(HOME)
    assert [row.title for row in response.context["page"].object_list] == ["Published plan"]
    html = response.content.decode()
    assert "Draft plan" not in html and reverse("content-item-create") not in html and 'name="items"' not in html


def test_other_schools_items_never_appear(client, school, teacher, other_teacher):
    ContentItemFactory(school=other_teacher.memberships.first().school, owner=other_teacher, title="Southside plan")
    client.force_login(teacher)
    response = client.get(HOME, {"q": "southside plan"})
    assert response.context["page"].paginator.count == 0 and "Southside plan" not in response.content.decode()


def test_home_query_count_is_bounded(client, school, teacher, django_assert_max_num_queries):
    for n in range(30):
        item = ContentItemFactory(school=school, owner=teacher, title=f"Serve {n}", tags=[f"t{n % 5}"])
        ContentViewFactory(item=item, user=teacher, last_viewed_at=timezone.now())
    client.force_login(teacher)
    with django_assert_max_num_queries(35):
        response = client.get(HOME, {"q": "serve"})
    assert len(response.context["page"].object_list) == 25


def test_related_card_404_403_and_content(client, school, teacher, other_teacher):
    item = ContentItemFactory(school=school, owner=teacher, title="Serve", tags=["volleyball"])
    ContentItemFactory(school=school, owner=teacher, title="Set", tags=["volleyball"])
    url = reverse("content-item-related", args=[item.pk])
    client.force_login(teacher)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Set" in html and "1 shared tag: volleyball" in html
    client.force_login(other_teacher)
    assert client.get(url).status_code == 404
    client.force_login(make_member(school, Role.TEACHER))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_filter_panel_opens_only_when_a_filter_is_set(client, school, teacher):
    client.force_login(teacher)
    text_only = client.get(HOME, {"q": "serve"}).content.decode()
    with_filter = client.get(HOME, {"q": "serve", "kind": "unit"}).content.decode()
    assert '<details class="cs-filters" >' in text_only
    assert '<details class="cs-filters" open>' in with_filter


def test_library_links_categories_and_tags_for_staff_only(client, school, teacher, student):
    client.force_login(teacher)
    html = client.get(HOME).content.decode()
    assert 'href="/content/categories/"' in html and 'href="/content/tags/"' in html
    client.force_login(student)
    html = client.get(HOME).content.decode()
    assert 'href="/content/categories/"' not in html

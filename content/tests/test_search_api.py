"""Search API: results with rank and snippet, facets, 400 naming the parameter, related (404/403),
recent, popular, bounded queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentShare, ShareAudience
from content.tests.factories import CategoryFactory, ContentItemFactory, ContentViewFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/content/search/"


def test_search_returns_ranked_rows_with_snippets_and_facets(school, teacher, other_teacher, client_for):
    ContentItemFactory(school=school, owner=teacher, title="Frisbee golf", summary="Target games.", tags=["disc"])
    ContentItemFactory(school=school, owner=teacher, title="Relay", summary="", body="Finish with a frisbee relay.")
    ContentItemFactory(school=other_teacher.memberships.first().school, owner=other_teacher, title="Frisbee elsewhere")
    response = client_for(teacher).get(URL, {"q": "frisbee"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [row["title"] for row in body["results"]] == ["Frisbee golf", "Relay"]
    first, second = body["results"]
    assert isinstance(first["rank"], float) and first["rank"] > second["rank"]
    assert first["tags"] == ["disc"] and first["owner"] == teacher.pk
    assert second["snippet"] == "Finish with a frisbee relay."
    assert body["facets"]["tag"] == [{"name": "disc", "count": 1}]
    assert body["facets"]["kind"] == [{"value": "lesson_plan", "count": 2}]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "poster"}, "kind"),
        ({"grade": "13"}, "grade"),
        ({"grade_band": "1_2"}, "grade_band"),
        ({"category": "abc"}, "category"),
        ({"standard": "x"}, "standard"),
        ({"owner": "someone"}, "owner"),
        ({"owner": "99999999999"}, "owner"),
        ({"status": "gone"}, "status"),
        ({"language": "fr"}, "language"),
        ({"q": "x" * 201}, "q"),
        ({"page": "0"}, "page"),
    ],
)
def test_invalid_filters_are_400_naming_the_parameter(teacher, client_for, params, field):
    response = client_for(teacher).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_another_schools_category_finds_nothing(school, teacher, other_school, client_for):
    # like an id that never existed (the API's filter convention): no 400 that tells them apart
    foreign = CategoryFactory(school=other_school)
    ContentItemFactory(school=school, owner=teacher, title="Mine")
    response = client_for(teacher).get(URL, {"category": foreign.pk})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_anonymous_is_401(api_client):
    assert api_client.get(URL).status_code == 401


def test_search_query_count_does_not_grow_with_rows(school, teacher, client_for, django_assert_max_num_queries):
    for n in range(30):
        ContentItemFactory(school=school, owner=teacher, title=f"Serve {n}", tags=[f"t{n % 4}"])
    client = client_for(teacher)
    with django_assert_max_num_queries(22):
        response = client.get(URL, {"q": "serve", "page_size": 30})
    assert len(response.json()["results"]) == 30


def test_related_endpoint_404_403_and_reasons(school, teacher, other_teacher, client_for):
    item = ContentItemFactory(school=school, owner=teacher, title="Serve", tags=["volleyball", "serve"])
    ContentItemFactory(school=school, owner=teacher, title="Set", tags=["volleyball"])
    url = reverse("content-item-related-api", args=[item.pk])
    response = client_for(teacher).get(url)
    assert response.status_code == 200
    assert response.json() == [
        {
            "item": response.json()[0]["item"],
            "score": 2,
            "reasons": ["1 shared tag: volleyball"],
        }
    ]
    assert response.json()[0]["item"]["title"] == "Set"
    assert client_for(other_teacher).get(url).status_code == 404
    colleague = make_member(school, Role.TEACHER)
    denied = client_for(colleague).get(url)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    assert client_for(teacher).get(url, {"limit": "0"}).status_code == 400
    assert client_for(teacher).get(url, {"limit": "²"}).json()["error"]["fields"].keys() == {"limit"}


def test_recent_and_popular_endpoints(school, teacher, client_for):
    colleague = make_member(school, Role.TEACHER)
    item = ContentItemFactory(school=school, owner=teacher, title="Serve")
    other = ContentItemFactory(school=school, owner=teacher, title="Set")
    ContentShare.objects.create(item=item, audience=ShareAudience.SCHOOL)
    ContentViewFactory(item=item, user=colleague, last_viewed_at=timezone.now(), view_count=3)
    ContentViewFactory(item=item, user=teacher, last_viewed_at=timezone.now())
    ContentViewFactory(item=other, user=teacher, last_viewed_at=timezone.now() - timezone.timedelta(days=1))
    recent = client_for(teacher).get("/api/v1/content/recent/").json()
    assert [(row["item"]["title"], row["view_count"]) for row in recent] == [("Serve", 1), ("Set", 1)]
    popular = client_for(teacher).get("/api/v1/content/popular/").json()
    assert [(row["title"], row["recent_viewers"], row["total_views"]) for row in popular] == [
        ("Serve", 2, 4),
        ("Set", 1, 1),
    ]
    assert [row["item"]["title"] for row in client_for(colleague).get("/api/v1/content/recent/").json()] == ["Serve"]


def test_every_match_is_ranked_an_old_title_match_comes_first(school, teacher, client_for):
    oldest = ContentItemFactory(school=school, owner=teacher, title="Serve in the title", summary="", body="")
    for n in range(4):
        ContentItemFactory(school=school, owner=teacher, title=f"Plan {n}", summary="", body="serve practice")
    body = client_for(teacher).get(URL, {"q": "serve"}).json()
    assert body["count"] == 5 and "capped" not in body
    assert body["results"][0]["title"] == oldest.title
    assert {row["value"]: row["count"] for row in body["facets"]["kind"]} == {"lesson_plan": 5}

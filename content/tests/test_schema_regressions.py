"""The content API does what its OpenAPI schema says (each test is a case schemathesis found):
absolute download links, the real content types of downloads, lists documented as lists, id
fields that take only integers, bounds stated and enforced alike, unknown filter ids finding
nothing, blank query parameters counting as absent, an empty draft getting suggestions."""

import pytest
from django.core.files.base import ContentFile

from content.models import ContentAttachment, ContentVersion
from content.services.tags import MAX_TAG_LENGTH
from content.tests.factories import CategoryFactory, ContentItemFactory, ContentViewFactory
from physed.tests.factories_library import PEStandardFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/content"


def _attachment(item, teacher):
    attachment = ContentAttachment(
        item=item, original_name="plan.pdf", content_type="application/pdf", size=13, uploaded_by=teacher
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 fuzz"), save=True)
    return attachment


def _operation(path, method="get"):
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)["paths"][path][method]


def test_download_url_is_absolute_everywhere(client_for, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    attachment = _attachment(item, teacher)
    api = client_for(teacher)
    expected = f"http://testserver/api/v1/content/attachments/{attachment.pk}/download/"
    assert api.get(f"{BASE}/attachments/{attachment.pk}/").json()["download_url"] == expected
    assert [row["download_url"] for row in api.get(f"{BASE}/items/{item.pk}/attachments/").json()] == [expected]
    download = api.get(expected)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 fuzz"


def test_download_documents_the_four_served_types():
    content = _operation("/api/v1/content/attachments/{id}/download/")["responses"]["200"]["content"]
    assert sorted(content) == ["application/pdf", "image/jpeg", "image/png", "video/mp4"]
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}


@pytest.mark.parametrize("path", ["items/{id}/related/", "recent/", "popular/"])
def test_discovery_answers_are_documented_as_lists_with_bounded_limit(path):
    operation = _operation(f"/api/v1/content/{path}")
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    (limit,) = [p for p in operation["parameters"] if p["name"] == "limit"]
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 20}


def test_blank_limit_is_the_default_and_out_of_range_is_400(client_for, school, teacher):
    for n in range(7):
        ContentViewFactory(item=ContentItemFactory(school=school, owner=teacher, title=f"Seen {n}"), user=teacher)
    api = client_for(teacher)
    blank = api.get(f"{BASE}/recent/?limit=")
    assert blank.status_code == 200 and len(blank.json()) == 5
    for bad in ("0", "21"):
        refused = api.get(f"{BASE}/recent/", {"limit": bad})
        assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["limit"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, "Give a list of ids."),
        ("7", "Give a list of ids."),
        ([1.5], "Every id is a whole number."),
        (["1"], "Every id is a whole number."),
        ([True], "Every id is a whole number."),
    ],
)
def test_edit_with_ids_that_are_not_integer_lists_is_400_and_changes_nothing(
    client_for, school, teacher, value, message
):
    item = ContentItemFactory(school=school, owner=teacher, title="Before")
    response = client_for(teacher).patch(
        f"{BASE}/items/{item.pk}/", {"version": 1, "title": "After", "co_authors": value}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"co_authors": [message]}
    item.refresh_from_db()
    assert item.title == "Before" and item.version == 1
    assert ContentVersion.objects.filter(item=item).count() == 1


def test_create_with_a_category_that_is_not_an_integer_is_400(client_for, school, teacher):
    category = CategoryFactory(school=school)
    response = client_for(teacher).post(f"{BASE}/items/", {"title": "x", "category": str(category.pk)}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"category": ["An id is a whole number."]}


def test_tags_must_be_strings(client_for, school, teacher):
    response = client_for(teacher).post(f"{BASE}/items/", {"title": "x", "tags": [1]}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["tags"]


def test_search_unknown_category_or_standard_finds_nothing_and_blank_owner_is_absent(client_for, school, teacher):
    ContentItemFactory(school=school, owner=teacher, title="Visible")
    api = client_for(teacher)
    fuzz = api.get(f"{BASE}/search/?category=0&standard=0&owner=&grade=0&q=&shared=true")
    assert fuzz.status_code == 200 and fuzz.json()["count"] == 0
    for params in ({"category": 0}, {"standard": 999999}, {"owner": "9999999999"}):
        response = api.get(f"{BASE}/search/", params)
        assert response.status_code == 200 and response.json()["count"] == 0, params
    blank = api.get(f"{BASE}/search/?owner=&category=&standard=&kind=&tag=")
    assert blank.status_code == 200 and [row["title"] for row in blank.json()["results"]] == ["Visible"]


def test_search_known_standard_still_filters(client_for, school, teacher):
    standard = PEStandardFactory()
    ContentItemFactory(school=school, owner=teacher, title="With").standards.add(standard)
    ContentItemFactory(school=school, owner=teacher, title="Without")
    body = client_for(teacher).get(f"{BASE}/search/", {"standard": standard.pk}).json()
    assert [row["title"] for row in body["results"]] == ["With"]


@pytest.mark.parametrize("value", ["-58800", "1", "yes"])
def test_search_shared_takes_only_true_or_false(client_for, teacher, value):
    response = client_for(teacher).get(f"{BASE}/search/", {"shared": value})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"shared": ["Use true or false."]}


def test_search_parameters_state_their_bounds():
    params = {p["name"]: p["schema"] for p in _operation("/api/v1/content/search/")["parameters"]}
    assert params["q"] == {"type": "string", "maxLength": 200}
    assert params["grade"] == {"type": "integer", "minimum": 0, "maximum": 12}
    assert params["tag"] == {"type": "array", "items": {"type": "string", "maxLength": 50}, "maxItems": 10}
    assert params["owner"] == {"type": "string", "pattern": "^([Mm][Ee]|[0-9]{1,10})?$"}


def test_search_tag_that_lengthens_when_lowercased_finds_nothing(client_for, teacher):
    response = client_for(teacher).get(f"{BASE}/search/", {"tag": "İ" * MAX_TAG_LENGTH})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    "tags",
    [
        ["", "", "", "", "", "", "", "", "", "", "relay"],  # 11 given, one not blank
        ["  " + "x" * (MAX_TAG_LENGTH - 1)],  # short once stripped, too long as given
    ],
)
def test_search_tag_limits_count_and_measure_tags_as_given(client_for, teacher, tags):
    response = client_for(teacher).get(f"{BASE}/search/", {"tag": tags})
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["tag"]


def test_suggest_for_an_empty_draft_is_an_empty_list(client_for, school, teacher):
    ContentItemFactory(school=school, owner=teacher, tags=["volleyball"])
    response = client_for(teacher).post(f"{BASE}/tags/suggest/", {}, format="json")
    assert response.status_code == 200 and response.json() == []


def test_bulk_tag_documents_and_enforces_its_limits(client_for, school, teacher):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    body = next(value for name, value in schema.items() if name.startswith("BulkTagRequest"))["properties"]
    assert body["items"]["minItems"] == 1
    assert body["remove"]["items"]["maxLength"] == body["add"]["items"]["maxLength"] == MAX_TAG_LENGTH
    item = ContentItemFactory(school=school, owner=teacher, tags=["old"])
    api = client_for(teacher)
    too_long = api.post(f"{BASE}/bulk-tag/", {"items": [item.pk], "remove": ["x" * 51]}, format="json")
    assert too_long.status_code == 400 and list(too_long.json()["error"]["fields"]) == ["remove"]
    empty = api.post(f"{BASE}/bulk-tag/", {"items": [], "add": ["new"]}, format="json")
    assert empty.status_code == 400 and list(empty.json()["error"]["fields"]) == ["items"]
    item.refresh_from_db()
    assert item.version == 1 and list(item.tags.names()) == ["old"]


def test_search_page_size_above_the_maximum_is_capped_as_documented(client_for, school, teacher):
    for n in range(3):
        ContentItemFactory(school=school, owner=teacher, title=f"Row {n}")
    response = client_for(teacher).get(f"{BASE}/search/", {"page_size": 101})
    assert response.status_code == 200 and len(response.json()["results"]) == 3
    (page_size,) = [p for p in _operation("/api/v1/content/search/")["parameters"] if p["name"] == "page_size"]
    assert page_size["schema"] == {"type": "integer", "minimum": 1}

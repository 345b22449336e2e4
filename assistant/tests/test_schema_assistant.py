"""The assistant API's schema: every operation typed (a request body where one is read, a typed
success response), the shapes clients rely on (message + reply, table preview, binary download)."""

import pytest

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/assistant/"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        if path.startswith(PREFIX):
            for method, operation in item.items():
                yield path, method, operation


def test_every_assistant_operation_is_typed(schema):
    operations = list(_operations(schema))
    assert len(operations) >= 20
    for path, method, operation in operations:
        success = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
        assert success, f"{method} {path}: no success response"
        for code, response in success.items():
            if code == "204":
                continue
            assert response.get("content"), f"{method} {path}: untyped {code} response"
        if method in ("put", "patch") or (method == "post" and not path.endswith(("/confirm/", "/reject/"))):
            assert operation.get("requestBody", {}).get("content"), f"{method} {path}: untyped request"


def test_posting_a_message_answers_message_and_reply(schema):
    operation = schema["paths"][f"{PREFIX}conversations/{{id}}/messages/"]["post"]
    ref = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(component["properties"]) == {"message", "reply"}
    message = schema["components"]["schemas"]["AssistantMessage"]["properties"]
    for name in ("intent", "confidence", "reasons", "citations", "cards", "tool_calls", "actions", "feedback"):
        assert name in message
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    text = schema["components"]["schemas"][request]["properties"]["text"]
    assert text["maxLength"] == 4000


def test_upload_is_multipart_and_download_is_binary(schema):
    upload = schema["paths"][f"{PREFIX}conversations/{{id}}/attachments/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    download = schema["paths"][f"{PREFIX}attachments/{{id}}/download/"]["get"]["responses"]["200"]["content"]
    assert {"image/png", "image/jpeg", "text/csv"} <= set(download)
    preview = schema["components"]["schemas"]["AssistantTablePreview"]["properties"]
    assert set(preview) == {"columns", "rows", "total_rows"}

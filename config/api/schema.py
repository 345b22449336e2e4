"""OpenAPI post-processing: every operation documents the standard error body (DESIGN.md §6)."""

import re

from drf_spectacular import openapi
from drf_spectacular.utils import extend_schema, extend_schema_view

ERROR_COMPONENT = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "example": "not_found"},
                "message": {"type": "string", "example": "Not found."},
                "fields": {"type": "object", "additionalProperties": True},
            },
        }
    },
}
ERROR_STATUSES = {
    "4XX": "Client error in the standard error shape (400 invalid, 401 unauthenticated, 403 forbidden, "
    "404 not found or not yours, 413 too large, 429 throttled or locked).",
    "5XX": "Server error in the standard error shape.",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for param in operation.get("parameters", []):
                if param.get("in") == "query" and not param.get("required"):
                    param["allowEmptyValue"] = True
            for status, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return result


class AutoSchema(openapi.AutoSchema):
    """Request bodies of strict serializers (unknown keys are a 400) say so: additionalProperties false.
    A nested list (``Serializer(many=True, …)``, or a many-related field) states its length limits,
    which drf-spectacular leaves out: ``min_length``/``allow_empty=False`` as minItems,
    ``max_length`` as maxItems."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        from rest_framework import serializers

        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        many = (serializers.ListSerializer, serializers.ManyRelatedField)
        if isinstance(field, many) and isinstance(schema, dict) and schema.get("type") == "array":
            min_length = getattr(field, "min_length", None)
            max_length = getattr(field, "max_length", None)
            min_items = min_length if min_length is not None else (0 if field.allow_empty else 1)
            if min_items:
                schema["minItems"] = min_items
            if max_length is not None:
                schema["maxItems"] = max_length
        return schema

    def _map_basic_serializer(self, serializer, direction):
        from config.api.serializers import StrictFieldsMixin  # config.api.serializers imports DRF settings

        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictFieldsMixin):
            schema["additionalProperties"] = False
        return schema


# drf-spectacular writes a DecimalField as ``^-?\d{0,N}(?:\.\d{0,M})?$``, which also matches "" and
# "-": both are refused by the field ("A valid number is required"), so the schema must say so
_SPECTACULAR_DECIMAL = re.compile(r"^\^(-\?)?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")


def _digits_required(pattern: str) -> str:
    match = _SPECTACULAR_DECIMAL.match(pattern)
    if not match:
        return pattern
    sign, whole, places = match.group(1) or "", match.group(2), match.group(3)
    if places == "0":
        return rf"^{sign}\d{{1,{whole}}}$"
    return rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


def require_digits_in_decimals(result, generator, request, public):
    def walk(node):
        if isinstance(node, dict):
            if node.get("format") == "decimal" and isinstance(node.get("pattern"), str):
                node["pattern"] = _digits_required(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result


def update_body_schema(serializer_class, *fixed: str):
    """``extend_schema_view`` for a viewset whose serializer makes ``fixed`` read-only once the row
    exists (in its ``get_fields``): the PUT/PATCH bodies in the schema leave them out too (a
    separate component, ``<Name>UpdateRequest``); responses stay the serializer's own."""

    def get_fields(self):
        fields = super(update_serializer, self).get_fields()
        for name in fixed:
            fields[name].read_only = True
        return fields

    name = serializer_class.__name__.removesuffix("Serializer") + "UpdateSerializer"
    update_serializer = type(name, (serializer_class,), {"get_fields": get_fields, "__module__": __name__})
    body = extend_schema(request=update_serializer)
    return extend_schema_view(update=body, partial_update=body)

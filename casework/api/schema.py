"""The OpenAPI schema says what the API really answers, for every operation at once rather than in each
action's decorator (actions are generated from the workflows):

- `NullableAwareAutoSchema`: a read-only field whose source is a nullable column or relation (a case's
  handler, a complaint's service request) may be null, and one reached through a relation that may be empty
  (a constituent's name on an enquiry with no constituent) may be absent, and the schema says so;
- `add_error_responses`: every operation documents the errors the shared handlers give: 400 (invalid input:
  field messages, or `detail` for a request that cannot be read), 401 and 403 (not signed in, not allowed),
  404 (no such object or page) and, for writes, 409 (not allowed in the case's current state), each with
  the body it has."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What was wrong, in words."}},
    "required": ["detail"],
}
INVALID = {
    "type": "object",
    "description": "Field names (or `non_field_errors`, or `detail`) with what is wrong with each.",
    "additionalProperties": {},
}
ERROR_RESPONSES = {
    "400": ("The request cannot be used: field messages, or `detail` for a body that cannot be read.", "Invalid"),
    "401": ("Not signed in: no valid session or token.", "Error"),
    "403": ("Signed in, but this role may not do this (or CSRF token missing).", "Error"),
    "404": ("No such object (or none this user may see), or no such page of results.", "Error"),
    "409": ("Not allowed now: the case's state or a rule refuses it; `detail` says why.", "Error"),
}
WRITES = {"post", "put", "patch", "delete"}


class NullableAwareAutoSchema(AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        # `default=None` on a read-only field is how a serializer says "null when there is none".
        empty = field.read_only and (field.default is None or _when_source_is_empty(field) == "null")
        if empty and not meta.get("nullable"):
            meta["nullable"] = True
        return meta

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # DRF leaves out a read-only field whose dotted source passes through an empty relation
        # (`resident.full_name` with no resident): it is not always there.
        fields = getattr(serializer, "fields", {})
        missing = {
            name
            for name, field in fields.items()
            if field.read_only and not field.allow_null and _when_source_is_empty(field) == "missing"
        }
        if missing and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in missing]
            if not schema["required"]:
                del schema["required"]
        return schema


def _when_source_is_empty(field):
    """ "null" when the field's own value may be None (a nullable column or relation), "missing" when a
    relation on the way to it may be empty (DRF then leaves the field out), None otherwise."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None) or []
    for position, attr in enumerate(attrs):
        if model is None:
            return None
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            by_column = [f for f in model._meta.concrete_fields if f.attname == attr]  # `finding_id`
            if not by_column:
                return None
            model_field = by_column[0]
        if getattr(model_field, "null", False):
            return "null" if position == len(attrs) - 1 else "missing"
        model = getattr(model_field, "related_model", None)
    return None


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("Invalid", INVALID)
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, (description, component) in ERROR_RESPONSES.items():
                if code == "409" and method not in WRITES:
                    continue
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                    },
                )
    return result

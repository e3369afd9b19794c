"""The OpenAPI schema describes what the API answers: error responses on every operation, and read-only
fields that can be null marked so."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_the_errors_the_handlers_give(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404"} <= codes, (method, path, codes)
            if method in {"post", "put", "patch", "delete"}:
                assert "409" in codes, (method, path)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]


def test_a_handler_that_may_be_missing_is_nullable(schema):
    complaint = schema["components"]["schemas"]["ComplaintDetail"]["properties"]
    nullable = {name for name, field in complaint.items() if field.get("nullable")}
    assert "service_request" in nullable
    assert any(name in nullable for name in ("handler", "assigned_to"))

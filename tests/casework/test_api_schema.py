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


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_and_a_bad_page_size_is_refused(officer):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    missing = api.get("/api/v1/learning/commitments/-1.5e-07/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    for bad in ("0", "null", "501"):
        response = api.get("/api/v1/complaints/", {"page_size": bad})
        assert response.status_code == 400 and "page_size" in response.json(), bad
    assert api.get("/api/v1/complaints/", {"page_size": "500"}).status_code == 200

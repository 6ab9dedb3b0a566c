"""Finding 9 (schema side): the OpenAPI document declares every error answer, in one shape, and says
that timestamps carry an offset; the answers themselves keep to it."""

from fastapi.testclient import TestClient

from tests.support import ALICE, auth

ERRORS = ("400", "401", "403", "404", "409", "413", "422", "429")


def test_every_api_operation_declares_its_error_answers(shared_client: TestClient):
    document = shared_client.get("/openapi.json").json()
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) >= 40
    for label, operation in operations:
        for status in ERRORS:
            declared = operation["responses"].get(status)
            assert declared is not None, (label, status)
            schemas = [content["schema"] for content in declared["content"].values()]
            assert schemas == [{"$ref": "#/components/schemas/ErrorPublic"}], (label, status)
    error = document["components"]["schemas"]["ErrorPublic"]
    assert error["required"] == ["detail"]


def test_timestamps_are_declared_with_their_format(shared_client: TestClient):
    schemas = shared_client.get("/openapi.json").json()["components"]["schemas"]
    for model, field in [
        ("AccountPublic", "created_at"),
        ("DealPublic", "closed_at"),
        ("ActivityPublic", "occurred_at"),
        ("LeadPublic", "converted_at"),
        ("StageChangePublic", "changed_at"),
    ]:
        declared = schemas[model]["properties"][field]
        variants = [(v.get("type"), v.get("format")) for v in declared.get("anyOf", [declared])]
        assert ("string", "date-time") in variants, (model, field)


def test_error_answers_have_the_declared_shape(shared_client: TestClient, shared_tokens: dict[str, str]):
    headers = auth(shared_tokens[ALICE])
    answers = [
        shared_client.get("/api/deals"),
        shared_client.get("/api/deals/2147483647", headers=headers),
        shared_client.get("/api/deals", params={"page": 0}, headers=headers),
        shared_client.post("/api/users", json={"email": "x@dealwise.demo", "name": "X"}, headers=headers),
        shared_client.post("/api/deals", content=b"{", headers={**headers, "Content-Type": "application/json"}),
    ]
    assert [a.status_code for a in answers] == [401, 404, 422, 403, 422]
    for answer in answers:
        detail = answer.json()["detail"]
        assert isinstance(detail, str) or all(set(item) == {"loc", "msg", "type"} for item in detail), detail

"""The OpenAPI document tells the truth (issue 8, defect 10), checked against what the server does.

- Every refusal the API gives is documented in our error body, never FastAPI's `detail` shape.
- The operations that declare `Idempotency-Key` are exactly the ones that honour it: a repeat with the same
  key is replayed (Idempotent-Replayed: true) — found by asking the server, not by reading the code.
- Signed-in operations declare the bearer token or the cookie session; public ones declare none.
- Real refusals (401, 403, 404, 409, 422) validate against the schema their operation documents.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from conftest import Api

pytestmark = pytest.mark.usefixtures("db_url")

SAFE = {"get", "head", "options"}


def document(api: Api) -> dict[str, Any]:
    response = api.client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in spec["paths"].items() for method, op in item.items()]


def declares_key(operation: dict[str, Any]) -> bool:
    return any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))


def concrete(path: str) -> str:
    """A path with ids that exist nowhere: the step is refused (404), and the refusal is what is replayed."""
    for name in ("lot_id", "bid_id", "order_id", "offer_id", "application_id", "user_id", "image_id", "document_id"):
        path = path.replace("{" + name + "}", "987654")
    return path.replace("{key}", "A" * 32)


BODIES: dict[str, Any] = {  # a valid body for each request schema, so the probe reaches the handler
    "RealNameIn": {"name": "张三", "id_number": "11010519491231002X"},
    "TopUpIn": {"amount": 100},
    "SellerApplicationIn": {"kind": "individual", "name": "probe"},
    "DecisionIn": {"reason": "probe"},
    "LotIn": {"title": "probe", "category": "art", "start_price": 100, "increment": 100, "deposit": 0,
              "starts_at": "2030-01-01T00:00:00+00:00", "ends_at": "2030-01-02T00:00:00+00:00"},
    "LotPatchIn": {"title": "probe"},
    "BidIn": {"amount": 100_000},
    "ClockAdvanceIn": {"seconds": 1},
    "WithdrawIn": {"confirm": True},
    "ReadIn": {},
    "ShipIn": {"carrier": "SF", "tracking_no": "SF1"},
    "RefundRequestIn": {"reason": "other"},
    "NoteIn": {},
    "CloseRequestIn": {"reason": "other"},
    "ResolveIn": {"decision": "release"},
    "BankAccountIn": {"bank_name": "probe", "holder": "probe", "account_number": "6222000011112222"},
    "CashOutIn": {"amount": 100},
    "ReasonIn": {"reason": "probe"},
    "ImageOrderIn": {"image_ids": []},
    "PriorityHolderIn": {"rank": 1, "basis": "tenant"},
    "NextRoundIn": {"starts_at": "2030-01-01T00:00:00+00:00", "ends_at": "2030-01-02T00:00:00+00:00",
                    "start_price": 100, "deposit": 0},
}  # fmt: skip
UPLOAD = {"file": ("probe.png", b"not an image", "image/png")}  # a multipart upload reaches its handler


def is_upload(operation: dict[str, Any]) -> bool:
    return "multipart/form-data" in operation.get("requestBody", {}).get("content", {})


def body_for(operation: dict[str, Any]) -> Any:
    if "requestBody" not in operation or is_upload(operation):
        return None
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    ref = schema.get("$ref") or schema["anyOf"][0]["$ref"]
    return BODIES[ref.rsplit("/", 1)[1]]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with the document's components beside it, so jsonschema can follow its $refs."""
    return {**schema, "components": spec["components"]}


def test_no_fastapi_detail_shape_and_every_refusal_in_our_error_body(api: Api) -> None:
    spec = document(api)
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["Error"]["properties"]) == {"error"}
    assert {"code", "message", "message_zh"} <= set(schemas["ErrorDetail"]["required"])
    for method, path, op in operations(spec):
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ValidationError" if status == "422" else "/Error"), (method, path, status)


def test_signed_in_operations_declare_their_security(api: Api) -> None:
    spec = document(api)
    assert {"bearerAuth", "sessionCookie", "csrfHeader"} <= set(spec["components"]["securitySchemes"])
    for method, path, op in operations(spec):
        probe = api.client.request(method.upper(), concrete(path), json={} if method not in SAFE else None)
        if probe.status_code == 401:  # the server wants a user here
            assert {"bearerAuth": []} in op.get("security", []), (method, path)
            assert "401" in op["responses"], (method, path)
            assert {} not in op["security"], (method, path)  # not optional
        elif "security" in op:
            assert {} in op["security"], (method, path)  # a user is optional (a seller's own hidden lot)


def test_the_idempotency_key_is_declared_exactly_where_it_is_honoured(api: Api) -> None:
    staff = api.user("staffer", staff=True)
    spec = document(api)
    declared, honoured = set(), set()
    for method, path, op in operations(spec):
        if method in SAFE or path.startswith("/api/v1/auth/"):
            continue
        if declares_key(op):
            declared.add((method, path))
        headers = {**staff, "Idempotency-Key": f"probe {method} {path}"}
        body = body_for(op)
        files = UPLOAD if is_upload(op) else None
        first = api.client.request(method.upper(), concrete(path), headers=headers, json=body, files=files)
        assert not first.json().get("error", {}).get("fields"), (method, path, first.text)  # reached the handler
        again = api.client.request(method.upper(), concrete(path), headers=headers, json=body, files=files)
        if again.headers.get("Idempotent-Replayed") == "true":
            honoured.add((method, path))
            assert again.status_code == first.status_code and again.json() == first.json(), (method, path)
    assert ("post", "/api/v1/lots/{lot_id}/bids") in honoured  # the probe reaches the money steps
    assert ("post", "/api/v1/orders/{order_id}/pay") in honoured
    assert declared == honoured


def test_real_refusals_match_their_documented_schemas(api: Api) -> None:
    user = api.user("bidder")
    spec = document(api)
    cases: list[tuple[str, str, str, Any, dict[str, str]]] = [
        ("get", "/api/v1/me", "/api/v1/me", None, {}),  # 401
        ("get", "/api/v1/staff/lots", "/api/v1/staff/lots", None, user),  # 403
        ("get", "/api/v1/lots/{lot_id}", "/api/v1/lots/987654", None, {}),  # 404
        ("get", "/api/v1/lots/{lot_id}", "/api/v1/lots/abc", None, {}),  # 422 (path)
        ("post", "/api/v1/lots/{lot_id}/bids", "/api/v1/lots/1/bids", {"amount": "lots"}, user),  # 422 (body)
        ("post", "/api/v1/me/real-name", "/api/v1/me/real-name", {"name": "张三"}, user),  # 422 (missing field)
        ("post", "/api/v1/orders/{order_id}/pay", "/api/v1/orders/987654/pay", None, user),  # 404
    ]
    for method, template, path, body, headers in cases:
        response = api.client.request(method.upper(), path, json=body, headers=headers)
        status = str(response.status_code)
        documented = spec["paths"][template][method]["responses"]
        assert status in documented, (method, path, status, response.text)
        schema = documented[status]["content"]["application/json"]["schema"]
        jsonschema.validate(response.json(), resolve(spec, schema))
        if status == "422":
            assert response.json()["error"]["fields"] or response.json()["error"]["code"] != "VALIDATION_FAILED"


def test_a_schema_check_catches_the_detail_shape(api: Api) -> None:
    """The validation above bites: FastAPI's own 422 body does not pass our ValidationError schema."""
    spec = document(api)
    schema = {"$ref": "#/components/schemas/ValidationError"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"detail": [{"loc": ["body"], "msg": "x", "type": "y"}]}, resolve(spec, schema))

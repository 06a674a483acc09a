"""The OpenAPI document, made to tell the truth (issue 8, defect 10): for every operation the refusals it can
give, each in our error body (docs/api.md: `{"error": {"code", "message", "message_zh", …}}`, never
FastAPI's `detail`), the security it takes (a bearer token, or the session cookie with its CSRF header on
unsafe methods), and the `Idempotency-Key` header on every money-moving step (declared by the IDEMPOTENT
dependency, so the document and the handler cannot drift apart).

Which refusals an operation can give follows from what it is: any input can be wrong (422), a path names
something that may not exist (404), a signed-in operation needs a user (401) and may be forbidden (403:
CSRF, staff-only, not your order …), a change can meet a state that does not allow it (409), a body can be
unreadable (400) or too large (413); a few are rate limited (429). tests/http/test_openapi.py and the
Schemathesis run check it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

from .deps import current_user, optional_user

SAFE = {"get", "head", "options"}
REF = "#/components/schemas/"


class ErrorDetail(BaseModel):
    """A refusal: a stable code, its wording in English and Chinese, and the details that code carries."""

    model_config = ConfigDict(extra="allow", title="ErrorDetail")
    code: str = Field(description="stable UPPER_SNAKE code: program against it", examples=["BID_TOO_LOW"])
    message: str = Field(description="English, for people")
    message_zh: str = Field(description="Chinese, for people")


class ErrorBody(BaseModel):
    """Every 4xx (and the rare 5xx) answer of the API."""

    model_config = ConfigDict(title="Error")
    error: ErrorDetail


class FieldError(BaseModel):
    loc: list[str]
    msg: str
    type: str


class ValidationErrorDetail(ErrorDetail):
    model_config = ConfigDict(extra="allow", title="ValidationErrorDetail")
    code: str = Field(
        description="VALIDATION_FAILED, or the code of a rule the input breaks", examples=["VALIDATION_FAILED"]
    )
    fields: list[FieldError] = Field(default_factory=list, description="the bad fields (at most 20)")


class ValidationErrorBody(BaseModel):
    """422: the input itself is wrong."""

    model_config = ConfigDict(title="ValidationError")
    error: ValidationErrorDetail


DESCRIPTIONS = {
    "400": "The body could not be read as JSON (`HTTP_400`)",
    "401": "Not signed in, or the token has expired (`NOT_AUTHENTICATED`; `INVALID_CREDENTIALS` at login)",
    "403": "Signed in but not allowed: `CSRF_FAILED` (a cookie session without its X-CSRF-Token), `STAFF_ONLY`, "
    "`SELLER_NOT_APPROVED`, `BIDDER_NOT_ALLOWED`, `NOT_ORDER_BUYER`, `ACCOUNT_FROZEN` …",
    "404": "No such thing, or not visible to you (`LOT_NOT_FOUND`, `ORDER_NOT_FOUND`, `NOT_FOUND` …)",
    "409": "A valid request the state does not allow now (`LOT_NOT_LIVE`, `AUCTION_ENDED`, `INSUFFICIENT_FUNDS` …)",
    "413": "The request body is over 1 MB (`REQUEST_TOO_LARGE`)",
    "422": "The input is wrong (`VALIDATION_FAILED` with `fields`, `BID_NOT_ON_GRID`, `IDEMPOTENCY_KEY_REUSED` …)",
    "429": "Too many attempts (`RATE_LIMITED`, `WITHDRAWAL_QUOTA_EXCEEDED`)",
}
RATE_LIMITED = {"/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/lots/{lot_id}/withdraw",
                "/api/v1/lots/{lot_id}/bids/{bid_id}/withdraw"}  # fmt: skip
# Changes that meet no state to conflict with: signing in and out, marking notices read, (un)following a lot.
NO_CONFLICT = {
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/me/notifications/read",
    "/api/v1/lots/{lot_id}/watch",
}
# Reads that can be forbidden although they are not under /staff/: another party's order or offer.
FORBIDDEN_READS = {"/api/v1/orders/{order_id}", "/api/v1/offers/{offer_id}", "/api/v1/lots/{lot_id}/registrations"}

EXTRA = {
    "/api/v1/auth/login": {"401"},  # a wrong password (INVALID_CREDENTIALS)
    "/api/v1/lots/{lot_id}/registrations": {"409"},  # a commercial lot has none (NOTICE_NOT_APPLICABLE)
}

SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "the token of POST /api/v1/auth/login"},
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "paimai_session",
        "description": "the web pages' session (set by login); unsafe methods also need csrfHeader",
    },
    "csrfHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-Token",
        "description": "the paimai_csrf cookie's value, repeated on a cookie session's unsafe requests",
    },
}


# OpenAPI links: what a client (or Schemathesis's stateful run) can do next with an answer's ids.
# (method, path, status) → {link name: (method, path, {parameter: runtime expression})}.
LOT_ID = {"lot_id": "$response.body#/id"}
SAME_LOT = {"lot_id": "$request.path.lot_id"}
LINKS: dict[tuple[str, str, str], dict[str, tuple[str, str, dict[str, str]]]] = {
    ("post", "/api/v1/lots", "201"): {
        "GetLot": ("get", "/api/v1/lots/{lot_id}", LOT_ID),
        "ApproveLot": ("post", "/api/v1/staff/lots/{lot_id}/approve", LOT_ID),
        "RejectLot": ("post", "/api/v1/staff/lots/{lot_id}/reject", LOT_ID),
        "CancelLot": ("post", "/api/v1/lots/{lot_id}/cancel", LOT_ID),
    },
    ("post", "/api/v1/staff/lots/{lot_id}/approve", "200"): {
        "PayDeposit": ("post", "/api/v1/lots/{lot_id}/deposit", SAME_LOT),
        "WatchLot": ("post", "/api/v1/lots/{lot_id}/watch", SAME_LOT),
    },
    ("post", "/api/v1/lots/{lot_id}/deposit", "201"): {
        "PlaceBid": ("post", "/api/v1/lots/{lot_id}/bids", SAME_LOT),
    },
    ("post", "/api/v1/lots/{lot_id}/bids", "201"): {
        "LotBids": ("get", "/api/v1/lots/{lot_id}/bids", SAME_LOT),
        "WithdrawalPreview": ("get", "/api/v1/lots/{lot_id}/withdrawal-preview", SAME_LOT),
        "WithdrawBid": (
            "post",
            "/api/v1/lots/{lot_id}/bids/{bid_id}/withdraw",
            {"lot_id": "$request.path.lot_id", "bid_id": "$response.body#/bid/id"},
        ),
        "Record": ("get", "/api/v1/lots/{lot_id}/record", SAME_LOT),
    },
    ("post", "/api/v1/me/seller-application", "201"): {
        "ApproveApplication": (
            "post",
            "/api/v1/staff/seller-applications/{application_id}/approve",
            {"application_id": "$response.body#/id"},
        ),
    },
    ("post", "/api/v1/orders/{order_id}/second-chance", "201"): {
        "AcceptOffer": ("post", "/api/v1/offers/{offer_id}/accept", {"offer_id": "$response.body#/id"}),
        "DeclineOffer": ("post", "/api/v1/offers/{offer_id}/decline", {"offer_id": "$response.body#/id"}),
    },
    ("post", "/api/v1/offers/{offer_id}/accept", "201"): {
        "GetOrder": ("get", "/api/v1/orders/{order_id}", {"order_id": "$response.body#/id"}),
        "PayOrder": ("post", "/api/v1/orders/{order_id}/pay", {"order_id": "$response.body#/id"}),
    },
}


def _add_links(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    for (method, path, status), links in LINKS.items():
        response = paths[path][method]["responses"].setdefault(status, {"description": "Successful Response"})
        response["links"] = {
            name: {"operationId": paths[target][target_method]["operationId"], "parameters": parameters}
            for name, (target_method, target, parameters) in links.items()
        }


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _schemas() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for model in (ErrorBody, ValidationErrorBody):
        schema = model.model_json_schema(ref_template=REF + "{model}")
        found.update(schema.pop("$defs", {}))
        found[str(schema["title"])] = schema
    return found


def _error(status: str, schema: str) -> dict[str, Any]:
    return {"description": DESCRIPTIONS[status], "content": {"application/json": {"schema": {"$ref": REF + schema}}}}


def _api_routes(app: FastAPI) -> Iterator[Any]:
    """Every API route as the document sees it (FastAPI 0.16x keeps included routers as contexts)."""
    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None:  # older FastAPI: the routes are flat
        yield from (route for route in app.routes if isinstance(route, routing.APIRoute))
        return
    for context in contexts(app.routes):
        if isinstance(context.original_route, routing.APIRoute):
            yield context


def _amend(operation: dict[str, Any], route: Any, method: str) -> None:
    calls = set(_calls(route.dependant))
    signed_in = current_user in calls
    optional = not signed_in and optional_user in calls
    unsafe = method not in SAFE
    takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
    statuses: set[str] = set()
    if takes_input:
        statuses.add("422")
    if route.dependant.path_params:
        statuses.add("404")
    if signed_in:
        statuses.add("401")
        if unsafe or "/staff/" in route.path or route.path in FORBIDDEN_READS:
            statuses.add("403")
    elif optional and unsafe:
        statuses.add("403")  # a cookie session's unsafe request without its CSRF header
    if unsafe and route.path not in NO_CONFLICT:
        statuses.add("409")
    if operation.get("requestBody"):
        statuses |= {"400", "413"}
    if route.path in RATE_LIMITED:
        statuses.add("429")
    statuses |= EXTRA.get(route.path, set())
    responses = operation.setdefault("responses", {})
    for status in statuses:
        responses[status] = _error(status, "ValidationError" if status == "422" else "Error")
    operation["responses"] = dict(sorted(responses.items()))
    if signed_in or optional:
        cookie: dict[str, list[str]] = {"sessionCookie": [], "csrfHeader": []} if unsafe else {"sessionCookie": []}
        operation["security"] = [{"bearerAuth": []}, cookie, *([{}] if optional else [])]


def build(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    for route in _api_routes(app):
        if not route.include_in_schema:
            continue
        for method in route.methods:
            operation = schema["paths"].get(route.path_format, {}).get(method.lower())
            if operation is not None:
                _amend(operation, route, method.lower())
    _add_links(schema)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)  # FastAPI's `detail` shape, which the API never answers
    schemas.pop("ValidationError", None)
    schemas.update(_schemas())
    components["securitySchemes"] = SECURITY_SCHEMES
    return schema


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

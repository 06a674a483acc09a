"""Security headers on every response and production's switches (issue 8, defect 9).

Every answer — JSON, errors of every kind, pages, static files, the API documents — carries the CSP (with
frame-ancestors 'none'), X-Frame-Options DENY, nosniff and a Referrer-Policy; HSTS only in production. In
production /docs, /openapi.json and the sandbox top-up are off unless a setting turns them on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.adapters.http.headers import CONTENT_SECURITY_POLICY
from paimai.bootstrap import Container

SECRET = "a-production-secret-of-enough-length-0123456789"


def assert_secured(response: Any, production: bool = False) -> None:
    headers = response.headers
    where = f"{response.request.method} {response.request.url.path} → {response.status_code}"
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, where
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self';" in headers["Content-Security-Policy"]  # no inline script anywhere
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert ("Strict-Transport-Security" in headers) is production, where


def every_kind_of_answer(client: TestClient, user: dict[str, str]) -> list[Any]:
    return [
        client.get("/api/v1/lots"),  # JSON
        client.get("/api/v1/lots/999"),  # a domain refusal (404)
        client.get("/api/v1/lots/abc"),  # a validation refusal (422)
        client.get("/api/v1/no-such-endpoint"),  # the framework's 404
        client.put("/api/v1/lots"),  # 405
        client.get("/api/v1/me"),  # 401
        client.post("/api/v1/lots", headers=user, content=b"x" * 1_000_001),  # 413, refused before the app
        client.get("/"),  # a page
        client.get("/no-such-page", headers={"Accept": "text/html"}),  # the friendly 404 page
        client.get("/static/app.js"),  # static
        client.get("/static/app.css"),
    ]


def test_every_answer_carries_the_headers_in_development(api: Api) -> None:
    user = api.user("someone")
    for response in every_kind_of_answer(api.client, user):
        assert_secured(response)
    for path in ("/docs", "/openapi.json", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        response = api.client.get(path)
        assert response.status_code == 200, path
        assert_secured(response)


def test_an_unexpected_error_still_carries_them(container: Container) -> None:
    app = create_app(container=container)

    @app.get("/api/v1/_boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/_boom")
    assert response.status_code == 500 and response.json()["error"]["code"] == "INTERNAL_ERROR"
    assert_secured(response)


@contextmanager
def production(db_url: str, **settings: Any) -> Iterator[tuple[TestClient, FastAPI, Container]]:
    built = Container(make_settings(db_url, env="production", secret_key=SECRET, clock="system", **settings))
    app = create_app(container=built)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            yield client, app, built
    finally:
        built.dispose()


def production_user(client: TestClient, container: Container) -> dict[str, str]:
    from paimai.services import accounts

    with container.transaction() as uow:
        accounts.register(uow, "buyer", "correct-horse-1")
    token = client.post("/api/v1/auth/login", json={"username": "buyer", "password": "correct-horse-1"})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['token']}"}


def test_production_adds_hsts_and_turns_docs_and_top_up_off(db_url: str) -> None:
    with production(db_url) as (client, _app, container):
        user = production_user(client, container)
        for response in every_kind_of_answer(client, user):
            assert_secured(response, production=True)
        for path in ("/docs", "/openapi.json", "/redoc", "/docs/assets/swagger-ui-bundle.js"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert_secured(response, production=True)
        refused = client.post("/api/v1/me/wallet/top-up", headers=user, json={"amount": 100_000})
        assert refused.status_code == 403, refused.text
        error = refused.json()["error"]
        assert error["code"] == "TOP_UP_DISABLED" and error["message"] and error["message_zh"]
        assert client.get("/api/v1/me/wallet", headers=user).json() == {"available": 0, "frozen": 0}
        cookie_login = client.post("/api/v1/auth/login", json={"username": "buyer", "password": "correct-horse-1"})
        client.cookies.update(cookie_login.cookies)
        page = client.get("/me")
        assert page.status_code == 200 and 'id="topup-form"' not in page.text
        assert_secured(page, production=True)


def test_production_settings_turn_them_back_on(db_url: str) -> None:
    with production(db_url, api_docs=True, sandbox_top_up=True) as (client, _app, container):
        user = production_user(client, container)
        assert client.get("/docs").status_code == 200
        assert client.get("/openapi.json").json()["paths"]
        topped = client.post("/api/v1/me/wallet/top-up", headers=user, json={"amount": 100_000})
        assert topped.status_code == 200, topped.text
        assert_secured(topped, production=True)


def test_development_can_turn_them_off(db_url: str) -> None:
    built = Container(make_settings(db_url, api_docs=False, sandbox_top_up=False))
    try:
        with TestClient(create_app(container=built)) as client:
            assert client.get("/docs").status_code == 404
            assert client.get("/openapi.json").status_code == 404
    finally:
        built.dispose()

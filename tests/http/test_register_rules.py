"""Sign-up rules over HTTP (issue 8, defect 6), on both databases: the password rule with its own codes,
usernames unique whatever their case (by the database too), and registrations limited per address."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from conftest import PASSWORD, Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container
from paimai.domain.errors import DomainError
from paimai.persistence.models import User
from paimai.services import accounts


def register(api: Api, username: str, password: str = PASSWORD) -> tuple[int, dict[str, object]]:
    response = api.client.post("/api/v1/auth/register", json={"username": username, "password": password})
    return response.status_code, response.json()


def users(api: Api) -> int:
    with api.container.reading() as session:
        return int(session.scalar(select(func.count()).select_from(User)) or 0)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("password", "PASSWORD_TOO_SHORT"),
        ("12345678", "PASSWORD_TOO_SHORT"),
        (" " * 8, "PASSWORD_TOO_SHORT"),
        (" " * 12, "PASSWORD_TOO_SHORT"),
        ("abcdefghi", "PASSWORD_TOO_SHORT"),
        ("1234567890", "PASSWORD_TOO_COMMON"),
        ("Password123", "PASSWORD_TOO_COMMON"),
    ],
)
def test_weak_passwords_are_refused_with_their_own_code(api: Api, password: str, code: str) -> None:
    status, body = register(api, "newbie", password)
    assert status == 422
    error = body["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert error["message"] and error["message_zh"]
    if code == "PASSWORD_TOO_SHORT":
        assert error["min_length"] == 10
        assert "10" in error["message"] and "10" in error["message_zh"]
    assert users(api) == 0


def test_a_good_password_is_accepted(api: Api) -> None:
    assert register(api, "newbie", "lihua-pass-1")[0] == 201
    api.login("newbie", "lihua-pass-1")


def test_usernames_are_unique_whatever_their_case(api: Api) -> None:
    assert register(api, "bob")[0] == 201
    for other in ("Bob", "BOB", "bOb"):
        status, body = register(api, other)
        assert status == 409
        assert body["error"]["code"] == "USERNAME_TAKEN"  # type: ignore[index]
    assert users(api) == 1
    # and the login finds the account whatever case it is typed in
    assert api.client.get("/api/v1/me", headers=api.login("BOB")).json()["username"] == "bob"


def test_the_database_refuses_a_second_case_of_a_username(api: Api) -> None:
    """The check in the service can be raced; the unique index on lower(username) cannot."""
    register(api, "carol")
    with pytest.raises(IntegrityError), api.container.transaction() as uow:
        original = uow.session.scalar(select(User).where(User.username == "carol"))
        assert original is not None
        uow.session.add(
            User(
                username="CAROL",
                display_name="x",
                password_hash=original.password_hash,
                created_at=uow.now,
            )
        )
        uow.session.flush()
    assert users(api) == 1


@pytest.fixture
def limited_api(db_url: str) -> Iterator[Api]:
    container = Container(make_settings(db_url, register_limit_per_address="3/hour"))
    with TestClient(create_app(container=container), client=("203.0.113.7", 5000)) as client:
        yield Api(client, container)
    container.dispose()


def test_registration_is_limited_per_address(limited_api: Api, db_url: str) -> None:
    api = limited_api
    assert register(api, "first")[0] == 201
    assert register(api, "second", "weak")[0] == 422  # refused attempts count too
    assert register(api, "third")[0] == 201
    response = api.client.post("/api/v1/auth/register", json={"username": "fourth", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "RATE_LIMITED"
    assert int(response.headers["Retry-After"]) == response.json()["error"]["retry_after"] > 0
    assert users(api) == 2
    # another address is not held back by this one's registrations
    with TestClient(create_app(container=api.container), client=("198.51.100.9", 5000)) as other:
        again = other.post("/api/v1/auth/register", json={"username": "fourth", "password": PASSWORD})
        assert again.status_code == 201, again.text


def test_the_service_applies_the_password_rule_to_every_adapter(api: Api) -> None:
    with pytest.raises(DomainError) as caught, api.container.transaction() as uow:
        accounts.register(uow, "cli_user", "12345678")
    assert caught.value.code.name == "PASSWORD_TOO_SHORT"

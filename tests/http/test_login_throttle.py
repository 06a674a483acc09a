"""Login back-off by (user name, address) pair and the client address behind proxies (issue 8, defect 5),
on both databases.

Wrong guesses slow down only the address that makes them: the owner logs in from elsewhere at once. A
wrong password is committed although the request is refused. X-Forwarded-For counts only when the peer
is one of PAIMAI_TRUSTED_PROXIES (then its right-most untrusted address is the client).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import PASSWORD, Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container
from paimai.persistence.models import LoginFailure
from paimai.services import accounts
from servers import running_server

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"
PROXY = "10.0.0.5"
WRONG = "not-the-password"

Clients = Callable[..., Any]


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many attempts per test: hash cheaply (the real cost is no part of the back-off)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", cheap.hash("paimai-no-such-user"))


@pytest.fixture
def clients(db_url: str) -> Iterator[Clients]:
    """`clients(address, **settings)`: a test client whose requests come from `address`. All clients of a
    test share one container (one database, one rate limiter), built with the first call's settings."""
    built: list[Container] = []
    stack: list[TestClient] = []

    def make(address: str, **settings: Any) -> Api:
        if not built:
            built.append(Container(make_settings(db_url, **settings)))
        client = TestClient(create_app(container=built[0]), client=(address, 40000))
        client.__enter__()
        stack.append(client)
        return Api(client, built[0])

    yield make
    for client in stack:
        client.__exit__(None, None, None)
    if built:
        built[0].dispose()


def attempt(api: Api, password: str, username: str = "owner", **headers: str) -> tuple[int, dict[str, Any]]:
    response = api.client.post("/api/v1/auth/login", json={"username": username, "password": password}, headers=headers)
    error = response.json().get("error", {})
    if response.status_code == 429:
        assert int(response.headers["Retry-After"]) == error["retry_after"] >= 1
    return response.status_code, error


def register(api: Api, username: str = "owner") -> None:
    with api.container.transaction() as uow:
        accounts.register(uow, username, PASSWORD)


def streaks(api: Api) -> dict[tuple[str, str], int]:
    with api.container.reading() as session:
        return {(row.username, row.address): row.failures for row in session.scalars(select(LoginFailure))}


@contextmanager
def advanced(api: Api, seconds: int) -> Iterator[None]:
    assert api.advance(seconds).status_code == 200
    yield


def test_an_attacker_cannot_lock_the_owner_out(clients: Clients) -> None:
    attacker, owner = clients(ATTACKER), clients(OWNER)
    register(attacker)
    codes = [attempt(attacker, WRONG)[0] for _ in range(12)]
    assert codes == [401] * 5 + [429] * 7  # five slips are free; then the pair waits, unchecked
    assert streaks(attacker) == {("owner", ATTACKER): 5}  # the refusals were committed; the 429s added nothing
    status, error = attempt(attacker, PASSWORD)
    assert (status, error["code"], error["scope"]) == (429, "RATE_LIMITED", "login")  # even the right one
    owner_in = owner.client.post("/api/v1/auth/login", json={"username": "owner", "password": PASSWORD})
    assert owner_in.status_code == 200, owner_in.text
    assert streaks(attacker) == {("owner", ATTACKER): 5}  # the owner's success clears only the owner's pair


def test_the_back_off_doubles_after_each_failure(clients: Clients) -> None:
    api = clients(ATTACKER)
    register(api)
    for _ in range(5):
        assert attempt(api, WRONG)[0] == 401
    status, error = attempt(api, WRONG)
    assert (status, error["retry_after"]) == (429, 1)
    with advanced(api, 1):
        assert attempt(api, WRONG)[0] == 401  # the sixth failure: now 2 s
    status, error = attempt(api, WRONG)
    assert status == 429 and error["retry_after"] in (1, 2)
    with advanced(api, 2):
        assert attempt(api, WRONG)[0] == 401  # the seventh: now 4 s
    with advanced(api, 2):
        assert attempt(api, WRONG)[0] == 429  # half the wait is not enough
    with advanced(api, 2):
        assert attempt(api, PASSWORD)[0] == 200
    assert streaks(api) == {}


def test_a_success_starts_the_count_afresh(clients: Clients) -> None:
    api = clients(ATTACKER)
    register(api)
    for _ in range(5):
        assert attempt(api, WRONG)[0] == 401
    with advanced(api, 1):
        assert attempt(api, PASSWORD)[0] == 200
    assert [attempt(api, WRONG)[0] for _ in range(6)] == [401] * 5 + [429]


def test_the_pair_is_the_name_in_any_case_and_unknown_names_back_off_too(clients: Clients) -> None:
    api = clients(ATTACKER)
    register(api)
    names = ["owner", "OWNER", "Owner", "oWnEr", "owneR", "OwNeR"]
    assert [attempt(api, WRONG, name)[0] for name in names] == [401] * 5 + [429]
    assert [attempt(api, WRONG, "nobody")[0] for _ in range(6)] == [401] * 5 + [429]  # no hint who exists
    assert streaks(api) == {("owner", ATTACKER): 5, ("nobody", ATTACKER): 5}


def test_the_per_address_cap_still_counts_across_accounts(clients: Clients) -> None:
    api = clients(ATTACKER, login_limit_per_address="3/minute")
    codes = [attempt(api, WRONG, f"user{n}") for n in range(4)]
    assert [status for status, _ in codes] == [401, 401, 401, 429]
    assert codes[-1][1]["scope"] == "login-address"


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(clients: Clients) -> None:
    """By default no proxy is trusted, not even 127.0.0.1: rotating the header changes nothing."""
    api = clients("127.0.0.1")
    register(api)
    codes = [attempt(api, WRONG, **{"X-Forwarded-For": f"192.0.2.{n}"})[0] for n in range(6)]
    assert codes == [401] * 5 + [429]
    assert streaks(api) == {("owner", "127.0.0.1"): 5}


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(clients: Clients) -> None:
    proxy = clients(PROXY, trusted_proxies="10.0.0.0/8, 127.0.0.1")
    register(proxy)
    # the attacker's guesses reach us through the proxy, which appends the address it saw
    spoofed = {"X-Forwarded-For": f"{OWNER}, {ATTACKER}"}  # the attacker wrote the first one itself
    assert [attempt(proxy, WRONG, **spoofed)[0] for _ in range(6)] == [401] * 5 + [429]
    assert streaks(proxy) == {("owner", ATTACKER): 5}  # the right-most untrusted address, not the forged one
    # the owner comes through the same proxy (and a second, inner one that is trusted too)
    status, _ = attempt(proxy, PASSWORD, **{"X-Forwarded-For": f"{OWNER}, 10.9.9.9"})
    assert status == 200
    # a peer outside the trusted list gets no say, even naming a trusted address
    outsider = clients("192.0.2.99")
    assert [attempt(outsider, WRONG, **{"X-Forwarded-For": OWNER})[0] for _ in range(6)] == [401] * 5 + [429]
    assert ("owner", "192.0.2.99") in streaks(proxy)


def test_a_misspelt_trusted_proxy_stops_start_up() -> None:
    from pydantic import ValidationError

    from paimai.config import Settings

    with pytest.raises(ValidationError, match="TRUSTED_PROXIES"):
        Settings(trusted_proxies="10.0.0.0/8, proxy.internal")
    assert Settings(trusted_proxies=" 10.0.0.1 ,::1, 192.168.0.0/16").trusted_proxy_list == [
        "10.0.0.1",
        "::1",
        "192.168.0.0/16",
    ]


def test_a_real_server_ignores_x_forwarded_for_from_localhost(sqlite_template: Path, tmp_path: Path) -> None:
    """uvicorn itself believes the header from 127.0.0.1 unless told not to: the server the tests start (as
    `paimai serve` does) must not. Rotating the header from 127.0.0.1 must not reset the back-off."""
    path = tmp_path / "served.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    container = Container(make_settings(url))
    try:
        with container.transaction() as uow:
            accounts.register(uow, "owner", PASSWORD)
    finally:
        container.dispose()
    with running_server({"PAIMAI_DATABASE_URL": url, "PAIMAI_CLOCK": "simulated"}) as base:
        codes = [
            httpx.post(
                f"{base}/api/v1/auth/login",
                json={"username": "owner", "password": WRONG},
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
                timeout=10,
            ).status_code
            for n in range(6)
        ]
    assert codes == [401] * 5 + [429]


def test_paimai_serve_leaves_forwarded_headers_to_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from paimai.adapters.cli.main import app

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    env = {"PAIMAI_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "PAIMAI_TRUSTED_PROXIES": "10.0.0.1"}
    result = CliRunner().invoke(app, ["serve"], env=env)
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False

"""Shared fixtures: databases (SQLite and PostgreSQL), the container, an API client and helpers.

PostgreSQL and Redis tests skip when the server is missing on a developer machine, and fail in CI
(CI=true or PAIMAI_REQUIRE_SERVICES=1), where .ci/run has started both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container
from paimai.clock import SimulatedClock
from paimai.config import Settings
from paimai.persistence.db import normalise_url
from paimai.persistence.migrate import upgrade
from paimai.persistence.models import Base
from paimai.services import accounts

POSTGRES_URL = os.environ.get("PAIMAI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("PAIMAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_SERVICES = os.environ.get("CI") == "true" or os.environ.get("PAIMAI_REQUIRE_SERVICES") == "1"
PASSWORD = "correct-horse-1"


def service_missing(what: str, error: Exception) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required here but unreachable: {error}")
    pytest.skip(f"{what} unreachable: {error}")


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def run_id() -> str:
    """Shared by the workers of one pytest run (xdist sets it), different for every run."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID", f"p{os.getpid()}")[:10].lower()


@contextmanager
def fresh_postgres_database(label: str) -> Iterator[str]:
    """An empty PostgreSQL database of this run and worker's own, dropped afterwards.

    The name carries the run's id, so two test runs on one machine (two checkouts, CI beside a
    developer) never share, truncate or drop each other's database.
    """
    admin_url = normalise_url(POSTGRES_URL)
    name = f"paimai_test_{label}{run_id()}_{worker_name()}"
    admin: Engine | None = None
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        service_missing("PostgreSQL", error)
    assert admin is not None
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this test worker's own, created fresh and migrated once."""
    with fresh_postgres_database("") as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating each time would be slow)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate_postgres(url: str) -> None:
    engine = create_engine(normalise_url(url))
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that uses this runs once on SQLite and once on PostgreSQL, on an empty database."""
    if request.param == "sqlite":
        path = tmp_path / "paimai.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def postgres_db(postgres_url: str) -> str:
    _truncate_postgres(postgres_url)
    return postgres_url


def make_settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": url, "clock": "simulated", "run_scheduler": False}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def container(db_url: str, tmp_path: Path) -> Iterator[Container]:
    built = Container(make_settings(db_url, media_dir=tmp_path / "media"))  # uploads: the test's own directory
    yield built
    built.dispose()


class Api:
    """A thin test client speaking the JSON API the way an integrator would."""

    def __init__(self, client: TestClient, container: Container) -> None:
        self.client = client
        self.container = container

    def user(self, username: str, *, staff: bool = False, seller: str | None = None, top_up: int = 0) -> dict[str, str]:
        with self.container.transaction() as uow:
            accounts.register(uow, username, PASSWORD, is_staff=staff, seller_kind=seller)
        headers = self.login(username)
        if top_up:
            response = self.client.post("/api/v1/me/wallet/top-up", headers=headers, json={"amount": top_up})
            assert response.status_code == 200, response.text
        return headers

    def login(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def now(self) -> datetime:
        return self.container.now()

    def live_lot(self, seller: dict[str, str], staff: dict[str, str], **fields: Any) -> dict[str, Any]:
        now = self.now()
        body: dict[str, Any] = {
            "title": "清代青花瓷瓶 Qing blue-and-white vase",
            "category": "art",
            "start_price": 100_000,
            "increment": 10_000,
            "deposit": 20_000,
            "starts_at": (now - timedelta(seconds=1)).isoformat(),
            "ends_at": (now + timedelta(hours=1)).isoformat(),
        }
        body.update(fields)
        created = self.client.post("/api/v1/lots", headers=seller, json=body)
        assert created.status_code == 201, created.text
        approved = self.client.post(f"/api/v1/staff/lots/{created.json()['id']}/approve", headers=staff)
        assert approved.status_code == 200, approved.text
        lot = self.client.get(f"/api/v1/lots/{created.json()['id']}").json()
        return dict(lot)

    def judicial_body(self, **fields: Any) -> dict[str, Any]:
        """A judicial lot that meets RULES §7 as of now: its announcement public (approved at once) 16 days
        before bidding starts (15 days' lead plus a day for review), start 70 % of the appraisal, deposit 10 %."""
        starts = self.now() + timedelta(days=16, minutes=1)
        body: dict[str, Any] = {
            "title": "杭州市某小区住宅 A flat in Hangzhou",
            "category": "collectibles",
            "kind": "judicial",
            "appraisal": 1_000_000,
            "start_price": 700_000,
            "increment": 10_000,
            "deposit": 70_000,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=24)).isoformat(),
            "extension_seconds": 300,
            "court_name": "杭州市上城区人民法院",
            "case_number": "（2026）浙0102执1234号",
            "announcement": "一、拍卖标的\n\n二、竞买人条件",
            "bidder_notice": "竞买人应具备完全民事行为能力。",
            "as_is_notice": "屋顶有渗水。",
            "contact": "0571-12345678 王法官",
            "viewing": "2026年12月20日 上午",
        }
        body.update(fields)
        return body

    def live_judicial_lot(self, court: dict[str, str], staff: dict[str, str], **fields: Any) -> dict[str, Any]:
        """A valid judicial lot, approved, and the clock moved to its start: open for deposits and bids."""
        body = self.judicial_body(**fields)
        created = self.client.post("/api/v1/lots", headers=court, json=body)
        assert created.status_code == 201, created.text
        approved = self.client.post(f"/api/v1/staff/lots/{created.json()['id']}/approve", headers=staff)
        assert approved.status_code == 200, approved.text
        lead = datetime.fromisoformat(body["starts_at"]) - self.now()
        assert self.advance(int(lead.total_seconds()) + 1).status_code == 200
        return dict(self.client.get(f"/api/v1/lots/{created.json()['id']}").json())

    def accept_notice(self, headers: dict[str, str], lot_id: int) -> Any:
        return self.client.post(f"/api/v1/lots/{lot_id}/notice-acceptance", headers=headers)

    def bid(self, headers: dict[str, str], lot_id: int, amount: int, max_amount: int | None = None) -> Any:
        body: dict[str, Any] = {"amount": amount}
        if max_amount is not None:
            body["max_amount"] = max_amount
        return self.client.post(f"/api/v1/lots/{lot_id}/bids", headers=headers, json=body)

    def deposit(self, headers: dict[str, str], lot_id: int) -> Any:
        return self.client.post(f"/api/v1/lots/{lot_id}/deposit", headers=headers)

    def wallet(self, headers: dict[str, str]) -> dict[str, int]:
        return dict(self.client.get("/api/v1/me/wallet", headers=headers).json())

    def advance(self, seconds: int) -> Any:
        return self.client.post("/api/v1/_clock/advance", json={"seconds": seconds})


@pytest.fixture
def api(container: Container) -> Iterator[Api]:
    with TestClient(create_app(container=container)) as client:
        yield Api(client, container)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


class FrozenRealTimeClock(SimulatedClock):
    """The simulated clock with its real part held at `base`: now = base + the shared offset."""

    def __init__(self, base: datetime, sessions: sessionmaker[Session]) -> None:
        super().__init__(sessions)
        self.base = base

    def now(self) -> datetime:
        return self.base + timedelta(seconds=self.offset())


@pytest.fixture
def frozen(api: Api) -> Iterator[Api]:
    original = api.container.clock
    api.container.clock = FrozenRealTimeClock(api.now().replace(microsecond=0), api.container.read_sessions)
    yield api
    api.container.clock = original

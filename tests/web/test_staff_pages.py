"""The back office pages (`/staff`, issue 14): staff only, the queue counts, the queues and their actions.

Pages render the same on either database, so these run on SQLite only (the API they call is tested on both).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import Api

HTML = {"Accept": "text/html,application/xhtml+xml"}
STAFF_PAGES = [
    "/staff",
    "/staff/applications",
    "/staff/lots",
    "/staff/orders",
    "/staff/lots?status=live",
    "/staff/users",
    "/staff/users?q=a",
    "/staff/users/1",
    "/staff/audit",
    "/staff/audit?object_type=user&object_id=1",
    "/staff/lots/1",
    "/staff/applications/1",
]


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only (overrides the both-databases fixture of tests/conftest.py for this module)."""
    path = tmp_path / "paimai.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def sign_in(api: Api, username: str) -> None:
    api.client.cookies.clear()
    response = api.client.post("/api/v1/auth/login", json={"username": username, "password": "correct-horse-1"})
    assert response.status_code == 200, response.text


def count(html: str, queue: str) -> int:
    found = re.search(rf'data-count="{queue}">(\d+)<', html)
    assert found is not None, queue
    return int(found.group(1))


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_visitor_is_sent_to_sign_in(api: Api, path: str) -> None:
    response = api.client.get(path, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fstaff")


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_no_account_but_staff_reaches_a_back_office_page(api: Api, path: str) -> None:
    api.user("seller", seller="individual")
    api.user("alice", top_up=1_000)
    for username in ("seller", "alice"):
        sign_in(api, username)
        response = api.client.get(path, headers=HTML)
        assert response.status_code == 404, (username, path)
        assert "data-count" not in response.text and "staff-decide" not in response.text


def test_the_home_counts_the_work_waiting_in_each_queue(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    api.user("carol")
    carol = api.login("carol")
    applied = api.client.post(
        "/api/v1/me/seller-application",
        headers=carol,
        json={
            "kind": "business",
            "name": "嘉德拍卖",
            "licence_number": "91110000100000000A",
            "contact_phone": "010-65000000",
        },
    )
    assert applied.status_code in (200, 201), applied.text
    api.live_lot(seller, staff)
    for _ in range(2):
        waiting = api.client.post(
            "/api/v1/lots",
            headers=seller,
            json={
                "title": "翡翠手镯",
                "category": "jewellery",
                "start_price": 100_000,
                "increment": 10_000,
                "deposit": 20_000,
                "starts_at": api.now().replace(year=api.now().year + 1).isoformat(),
                "ends_at": api.now().replace(year=api.now().year + 1, hour=23).isoformat(),
            },
        )
        assert waiting.status_code == 201, waiting.text
    sign_in(api, "staff")
    home = api.client.get("/staff", headers=HTML)
    assert home.status_code == 200
    assert count(home.text, "applications_pending") == 1
    assert count(home.text, "lots_pending_review") == 2
    assert count(home.text, "lots_live") == 1
    assert count(home.text, "orders_disputed") == 0
    # The queues list what the home counted, with the means to decide.
    applications = api.client.get("/staff/applications", headers=HTML).text
    assert "嘉德拍卖" in applications and "carol" in applications
    assert f'data-decide="/staff/seller-applications/{applied.json()["id"]}"' in applications
    review = api.client.get("/staff/lots", headers=HTML).text
    assert review.count('data-decide="/staff/lots/') == 2 and "翡翠手镯" in review
    live = api.client.get("/staff/lots?status=live", headers=HTML).text
    assert live.count('data-manage="/lots/') == 1 and 'data-decide="/staff/lots/' not in live


def test_staff_see_the_back_office_in_the_top_bar_and_others_do_not(api: Api) -> None:
    api.user("staff", staff=True)
    api.user("alice")
    sign_in(api, "staff")
    assert 'href="/staff" data-nav-staff' in api.client.get("/", headers=HTML).text
    sign_in(api, "alice")
    assert "data-nav-staff" not in api.client.get("/", headers=HTML).text


def test_the_back_office_speaks_english_too(api: Api) -> None:
    api.user("staff", staff=True)
    sign_in(api, "staff")
    english = api.client.get("/staff?lang=en", headers=HTML).text
    assert "Back office" in english and "Lots to review" in english
    chinese = api.client.get("/staff?lang=zh", headers=HTML).text
    assert "后台" in chinese and "待审拍品" in chinese


def test_an_unknown_tab_falls_back_to_the_first(api: Api) -> None:
    api.user("staff", staff=True)
    sign_in(api, "staff")
    response = api.client.get("/staff/lots?status=%00nope", headers=HTML)
    assert response.status_code == 200
    assert 'href="/staff/lots?status=pending_review" class="on"' in response.text

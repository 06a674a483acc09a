"""The back office's accounts and audit log pages (`/staff/users`, `/staff/audit`, issue 14 parts 5–6), and the
applicant's documents and details on `/staff/applications`.

SQLite only like tests/web/test_staff_pages.py: the API these pages read is tested on both databases.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import Api
from paimai.domain.calendar import BEIJING
from paimai.services import accounts, staff_audit

HTML = {"Accept": "text/html,application/xhtml+xml"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


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


def user_id(api: Api, staff: dict[str, str], username: str) -> int:
    found = api.client.get("/api/v1/staff/users", params={"q": username}, headers=staff).json()["items"]
    return next(int(item["id"]) for item in found if item["username"] == username)


def freeze(api: Api, staff: dict[str, str], target: int, reason: str) -> None:
    response = api.client.post(f"/api/v1/staff/users/{target}/freeze", headers=staff, json={"reason": reason})
    assert response.status_code == 200, response.text


def test_the_search_finds_an_account_by_username_or_display_name(api: Api) -> None:
    staff = api.user("staff", staff=True)
    api.user("zhangsan")
    api.user("lisi")
    freeze(api, staff, user_id(api, staff, "lisi"), "刷单")
    sign_in(api, "staff")
    found = api.client.get("/staff/users?q=ZHANG", headers=HTML)
    assert found.status_code == 200
    assert 'href="/staff/users/' in found.text and "zhangsan" in found.text and "lisi" not in found.text
    everyone = api.client.get("/staff/users", headers=HTML).text
    assert "zhangsan" in everyone and "lisi" in everyone
    lisi = api.client.get("/staff/users?q=lisi&lang=en", headers=HTML).text
    assert "data-frozen-tag" in lisi and ">Frozen<" in lisi
    zhang = api.client.get("/staff/users?q=zhangsan&lang=en", headers=HTML).text
    assert "data-frozen-tag" not in zhang
    nothing = api.client.get("/staff/users?q=nobody-like-this&lang=zh", headers=HTML).text
    assert "没有找到用户" in nothing
    # NUL and an out-of-range cursor are input like any other: no 500
    assert api.client.get("/staff/users?q=%00&cursor=99999999999999999999", headers=HTML).status_code == 200


def test_the_user_list_pages_on(api: Api) -> None:
    api.user("staff", staff=True)
    with api.container.transaction() as uow:
        for n in range(55):
            accounts.register(uow, f"buyer{n:02d}", "correct-horse-1")
    sign_in(api, "staff")
    first = api.client.get("/staff/users?q=buyer", headers=HTML).text
    assert first.count("data-staff-user=") == 50
    link = re.search(r'href="(/staff/users\?q=buyer&amp;cursor=\d+)"', first)
    assert link is not None
    second = api.client.get(link.group(1).replace("&amp;", "&"), headers=HTML).text
    assert second.count("data-staff-user=") == 5 and "buyer54" in second and "buyer00" not in second


def test_a_frozen_account_shows_its_reason_and_the_means_to_unfreeze(api: Api) -> None:
    staff = api.user("staff", staff=True)
    api.user("mallory")
    target = user_id(api, staff, "mallory")
    sign_in(api, "staff")
    before = api.client.get(f"/staff/users/{target}", headers=HTML).text
    assert f'data-freeze="/staff/users/{target}/freeze"' in before and 'data-frozen="no"' in before
    freeze(api, staff, target, "恶意出价不付款")
    after = api.client.get(f"/staff/users/{target}?lang=zh", headers=HTML)
    assert after.status_code == 200
    assert 'data-frozen="yes"' in after.text
    shown = re.search(r"<p[^>]*data-frozen-reason>(.*?)</p>", after.text, re.S)
    assert shown is not None and "恶意出价不付款" in shown.group(1)
    assert f'data-freeze="/staff/users/{target}/unfreeze"' in after.text
    # the account's own audit entries, with the reason
    assert after.text.count("data-audit-entry=") == 1 and "冻结账户" in after.text
    english = api.client.get(f"/staff/users/{target}?lang=en", headers=HTML).text
    assert "Reason for freezing" in english and "Unfreeze account" in english


def test_an_unknown_account_is_not_found(api: Api) -> None:
    api.user("staff", staff=True)
    sign_in(api, "staff")
    for path in ("/staff/users/999999", "/staff/users/abc", "/staff/users/0", "/staff/users/99999999999999999999"):
        assert api.client.get(path, headers=HTML).status_code == 404, path


def test_the_audit_log_lists_a_freeze_with_its_reason_and_filters_by_object(api: Api) -> None:
    staff = api.user("staff", staff=True)
    api.user("mallory")
    api.user("trent")
    mallory = user_id(api, staff, "mallory")
    trent = user_id(api, staff, "trent")
    freeze(api, staff, mallory, "盗号风险")
    freeze(api, staff, trent, "多次违约")
    sign_in(api, "staff")
    log = api.client.get("/staff/audit", headers=HTML)
    assert log.status_code == 200
    assert log.text.count("data-audit-entry=") == 2
    assert "盗号风险" in log.text and "多次违约" in log.text
    assert log.text.index("多次违约") < log.text.index("盗号风险")  # newest first
    assert f'href="/staff/users/{mallory}" data-audit-object' in log.text
    only = api.client.get(f"/staff/audit?object_type=user&object_id={mallory}", headers=HTML).text
    assert only.count("data-audit-entry=") == 1 and "盗号风险" in only and "多次违约" not in only
    by_actor = api.client.get("/staff/audit?actor=staff", headers=HTML).text
    assert by_actor.count("data-audit-entry=") == 2
    assert api.client.get("/staff/audit?actor=nobody", headers=HTML).text.count("data-audit-entry=") == 0
    lots = api.client.get("/staff/audit?object_type=lot", headers=HTML).text
    assert lots.count("data-audit-entry=") == 0


def test_the_audit_log_time_range_is_beijing_days(api: Api) -> None:
    staff = api.user("staff", staff=True)
    api.user("mallory")
    freeze(api, staff, user_id(api, staff, "mallory"), "盗号风险")
    sign_in(api, "staff")
    today = api.now().astimezone(BEIJING).date()
    same_day = api.client.get(f"/staff/audit?since={today}&until={today}", headers=HTML).text
    assert same_day.count("data-audit-entry=") == 1
    later = today.replace(year=today.year + 1)
    assert api.client.get(f"/staff/audit?since={later}", headers=HTML).text.count("data-audit-entry=") == 0
    earlier = today.replace(year=today.year - 1)
    assert api.client.get(f"/staff/audit?until={earlier}", headers=HTML).text.count("data-audit-entry=") == 0
    # a malformed date or id is no filter, never a 500
    assert api.client.get("/staff/audit?since=nope&object_id=x&object_type=%00", headers=HTML).status_code == 200


def test_the_applications_page_lists_the_documents_and_the_details(api: Api) -> None:
    api.user("staff", staff=True)
    applicant = api.user("applicant")
    sent = api.client.post(
        "/api/v1/me/seller-application/documents", headers=applicant, files={"file": ("licence.pdf", PDF, "image/png")}
    )
    assert sent.status_code == 201, sent.text
    applied = api.client.post(
        "/api/v1/me/seller-application",
        headers=applicant,
        json={
            "kind": "business",
            "name": "古玩店",
            "licence_number": "91310000MA1FL0000X",
            "contact_phone": "13800138000",
        },
    )
    assert applied.status_code in (200, 201), applied.text
    sign_in(api, "staff")
    page = api.client.get("/staff/applications", headers=HTML).text
    url = sent.json()["url"]
    assert f'href="{url}"' in page
    assert "91310000MA1FL0000X" in page and "13800138000" in page
    assert api.client.get(url).status_code == 200  # the link opens for staff (the page's cookie session)


def test_the_home_links_to_the_audit_log_and_the_nav_has_the_new_pages(api: Api) -> None:
    api.user("staff", staff=True)
    sign_in(api, "staff")
    home = api.client.get("/staff", headers=HTML).text
    assert 'href="/staff/audit" data-audit-link' in home
    assert 'href="/staff/users"' in home
    english = api.client.get("/staff/audit?lang=en", headers=HTML).text
    assert "Audit log" in english and 'type="date"' in english


def test_the_audit_log_pages_on_keeping_its_filters(api: Api) -> None:
    api.user("staff", staff=True)
    with api.container.transaction() as uow:
        for n in range(1, 56):
            staff_audit.record_action(uow, "cli", "lot.approve", "lot", n, None, api.now())
        staff_audit.record_action(uow, "cli", "user.freeze", "user", 1, "x", api.now())
    sign_in(api, "staff")
    first = api.client.get("/staff/audit?object_type=lot", headers=HTML).text
    assert first.count("data-audit-entry=") == 50 and 'href="/staff/lots/55" data-audit-object' in first
    link = re.search(r'href="(/staff/audit\?object_type=lot&amp;cursor=\d+)"', first)
    assert link is not None
    second = api.client.get(link.group(1).replace("&amp;", "&"), headers=HTML).text
    assert second.count("data-audit-entry=") == 5 and 'href="/staff/lots/1" data-audit-object' in second
    assert 'href="/staff/users/1"' not in first + second  # the user entry is not a lot's


def test_each_audit_entry_links_to_its_objects_page(api: Api) -> None:
    api.user("staff", staff=True)
    with api.container.transaction() as uow:
        for kind, action, number in (
            ("lot", "lot.approve", 11),
            ("user", "user.freeze", 12),
            ("order", "order.resolve", 13),
            ("seller_application", "seller_application.approve", 14),
        ):
            staff_audit.record_action(uow, "cli", action, kind, number, "r", api.now())
    sign_in(api, "staff")
    log = api.client.get("/staff/audit", headers=HTML).text
    for href in ("/staff/lots/11", "/staff/users/12", "/orders/13", "/staff/applications/14"):
        assert f'href="{href}" data-audit-object' in log, href

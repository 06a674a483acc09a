"""The login page in a real browser (Debian's Chromium): auth.js sends the browser on only to a local path
(issue 8, defect 3). Its copy of the rule runs the same table as the server's (tests/redirect_cases.py), and
a login through the page, with the audit's `?next=` or a tampered `data-next`, lands on this site's home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browsing import TIMEOUT_MS, chromium, seeded_database
from conftest import PASSWORD
from redirect_cases import CASES
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    url, _now = seeded_database(Path(tmp_path_factory.mktemp("auth-browser")))
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        yield base, browser


def fresh_page(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def test_the_page_rule_matches_the_servers_table(site: tuple[str, Any]) -> None:
    base, browser = site
    context, page = fresh_page(browser)
    try:
        page.goto(f"{base}/login")
        values = [value for value, _expected in CASES]
        answers = page.evaluate("values => values.map(value => window.Paimai.localPath(value))", values)
        wrong = [(value, got, want) for (value, want), got in zip(CASES, answers, strict=True) if got != want]
        assert wrong == []
    finally:
        context.close()


def log_in_through_the_form(page: Any) -> None:
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")


def test_staff_signing_in_with_nowhere_to_go_land_in_the_back_office(site: tuple[str, Any]) -> None:
    """Staff are not bidders: their home is /staff. A bidder lands on the lot list, and a `next` still wins."""
    base, browser = site
    for username, start, lands in (
        ("staff", "/login", "/staff"),
        ("alice", "/login", "/"),
        ("staff", "/login?next=/me", "/me"),
    ):
        context, page = fresh_page(browser)
        try:
            page.goto(f"{base}{start}")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("#login-form button[type=submit]")
            page.wait_for_url(f"{base}{lands}")
            assert page.url == f"{base}{lands}", (username, start)
        finally:
            context.close()


def test_a_login_with_the_audits_next_lands_on_this_site(site: tuple[str, Any]) -> None:
    base, browser = site
    context, page = fresh_page(browser)
    try:
        page.goto(f"{base}/login?next=/%09/evil.example/")
        log_in_through_the_form(page)
        page.wait_for_url(f"{base}/")
        # a data-next changed in the page (the server never writes one like it) is refused by the script too
        page.goto(f"{base}/logout")
        page.context.clear_cookies()
        page.goto(f"{base}/login")
        page.evaluate("document.getElementById('login-form').setAttribute('data-next', '/\\t/evil.example/')")
        log_in_through_the_form(page)
        page.wait_for_url(f"{base}/")
        assert page.url == f"{base}/"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("lang", "hint", "too_short", "too_common"),
    [
        ("zh", "至少 10 位", "密码至少 10 位", "最常见的密码"),
        ("en", "At least 10 characters", "at least 10 characters", "most common"),
    ],
)
def test_the_registration_page_shows_the_password_rule_and_its_refusals(
    site: tuple[str, Any], lang: str, hint: str, too_short: str, too_common: str
) -> None:
    """Issue 8, defect 6: the hint says 10, and the API's refusal shows in the page's language."""
    base, browser = site
    context, page = fresh_page(browser)
    try:
        page.goto(f"{base}/register?lang={lang}")
        assert hint in page.inner_text("#register-form")
        page.fill("input[name=username]", f"newcomer_{lang}")
        message = page.locator("#register-form [data-message]")
        for password, words in (("12345678", too_short), ("1234567890", too_common)):
            page.fill("input[name=password]", password)
            page.click("#register-form button[type=submit]")
            page.wait_for_function(
                "words => document.querySelector('#register-form [data-message]').textContent.includes(words)",
                arg=words,
            )
            assert message.is_visible()
        assert page.url.startswith(f"{base}/register")  # nothing was created, nowhere to go
    finally:
        context.close()

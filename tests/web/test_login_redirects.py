"""The login and registration pages send the browser on only to a local path (issue 8, defect 3): the
server's rule over a table of values, and the pages over HTTP on both databases. The page script's copy of
the rule runs the same table in tests/browser/test_auth_browser.py."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from conftest import PASSWORD, Api
from paimai.adapters.web.redirects import safe_next
from redirect_cases import CASES, KEPT, REFUSED

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_the_rule_keeps_only_local_paths(value: str, expected: str) -> None:
    assert safe_next(value) == expected


def test_the_rule_defaults_when_there_is_no_value() -> None:
    assert safe_next(None) == "/"
    assert safe_next("//evil.example", default="/me") == "/me"


def data_next(html: str) -> str:
    found = re.search(r'data-next="([^"]*)"', html)
    assert found is not None
    return found.group(1).replace("&amp;", "&").replace("&#34;", '"').replace("&lt;", "<").replace("&gt;", ">")


def test_the_pages_pass_on_only_local_paths(api: Api) -> None:
    for page in ("/login", "/register"):
        for value in REFUSED:
            response = api.client.get(f"{page}?{urlencode({'next': value})}", headers=HTML)
            assert response.status_code == 200, (page, value)
            assert data_next(response.text) == "/", (page, value)
            # the form's link to the other form carries the sanitised value only
            assert re.search(r'<p class="auth-alt">[^<]*<a href="/(login|register)\?next=/">', response.text)
        for value in KEPT[:6]:
            response = api.client.get(f"{page}?{urlencode({'next': value})}", headers=HTML)
            assert data_next(response.text) == value, (page, value)


def test_a_signed_in_visitor_is_redirected_only_to_a_local_path(api: Api) -> None:
    api.user("alice")
    assert api.client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD}).status_code == 200
    for page in ("/login", "/register"):
        for value in REFUSED:
            response = api.client.get(f"{page}?{urlencode({'next': value})}", follow_redirects=False)
            assert response.status_code in (302, 303, 307), (page, value)
            assert response.headers["location"] == "/", (page, value)
        response = api.client.get(f"{page}?{urlencode({'next': '/lots/12?lang=en'})}", follow_redirects=False)
        assert response.headers["location"] == "/lots/12?lang=en"


def test_the_audits_raw_query_is_refused(api: Api) -> None:
    """Exactly as the audit wrote it in the address bar, percent-escapes and all."""
    for raw in ("/%09/evil.example/", "/%0A/evil.example/", "/%0D/evil.example/", "%2F%2Fevil.example", "/%5C/x"):
        response = api.client.get(f"/login?next={raw}", headers=HTML)
        assert data_next(response.text) == "/", raw

"""The court's desk for a judicial lot (/sell/lots/{id}/court): registrations by alias, the priority buyers
and the form to register one while bidding has not started; nobody but the court and staff sees it.
Page rendering does not depend on the database engine, so these run on SQLite only."""

from __future__ import annotations

from web_support import HTML, sign_in, sqlite_only

from conftest import Api
from priority_support import judicial_lot, pay_deposit, register, to_start, verify

db_url = sqlite_only


def test_the_court_desk_shows_registrations_and_priority_buyers(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    wang = api.user("wang", top_up=10_000_000)
    zhao = api.user("zhao", top_up=10_000_000)
    verify(api, wang, 1)
    verify(api, zhao, 2)
    lot = judicial_lot(api, court, staff)
    lot_id = lot["id"]
    assert register(api, court, lot_id, username="wang", rank=1, basis="tenant").status_code == 201

    sign_in(api, "court")
    before = api.client.get(f"/sell/lots/{lot_id}/court", headers=HTML)
    assert before.status_code == 200
    assert "data-register-holder" in before.text and 'data-remove-holder="' in before.text
    assert "承租人" in before.text and "暂无人报名" in before.text
    listing = api.client.get("/sell/lots", headers=HTML).text
    assert f'href="/sell/lots/{lot_id}/court"' in listing

    to_start(api, lot, court=court, staff=staff, wang=wang, zhao=zhao)
    pay_deposit(api, wang, lot_id)
    assert api.accept_notice(zhao, lot_id).status_code == 201
    sign_in(api, "court")
    page = api.client.get(f"/sell/lots/{lot_id}/court", headers=HTML).text
    assert "data-registered>1<" in page
    assert page.count('data-registration="frozen"') == 1 and page.count('data-registration="notice"') == 1
    assert "data-register-holder" not in page and "data-registration-closed" in page  # bidding has started
    english = api.client.get(f"/sell/lots/{lot_id}/court?lang=en", headers=HTML)
    assert "Registrations" in english.text and "Priority buyers" in english.text

    sign_in(api, "zhao")  # a bidder: the desk does not exist for them
    assert api.client.get(f"/sell/lots/{lot_id}/court", headers=HTML).status_code == 404
    sign_in(api, "staff")
    assert api.client.get(f"/sell/lots/{lot_id}/court", headers=HTML).status_code == 200

"""Priority buyers on the lot page (RULES §7): the bid record tags a holder's rows 优先购买权人 (alias only), and
a holder sees their rank and a bid form whose least is the current price (the domain's viewer view).
Page rendering does not depend on the database engine, so these run on SQLite only."""

from __future__ import annotations

import re

from web_support import HTML, sign_in, sqlite_only

from conftest import Api
from priority_support import INC, START, judicial_lot, pay_deposit, register, to_start, verify

db_url = sqlite_only


def record_rows(html: str) -> list[str]:
    body = re.search(r"<tbody data-record>(.*?)</tbody>", html, re.S)
    assert body is not None
    return re.findall(r"<tr class=\"row-.*?</tr>", body.group(1), re.S)


def test_the_record_tags_a_holders_rows_and_the_holder_sees_their_rank(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    wang = api.user("wang", top_up=10_000_000)
    zhao = api.user("zhao", top_up=10_000_000)
    verify(api, wang, 1)
    verify(api, zhao, 2)
    lot = judicial_lot(api, court, staff)
    lot_id = lot["id"]
    assert register(api, court, lot_id, username="wang", rank=1, basis="tenant").status_code == 201
    to_start(api, lot, court=court, wang=wang, zhao=zhao)
    for headers in (wang, zhao):
        pay_deposit(api, headers, lot_id)
    assert api.bid(zhao, lot_id, START + INC).status_code == 201

    sign_in(api, "wang")
    page = api.client.get(f"/lots/{lot_id}", headers=HTML).text
    assert "您是本拍品的优先购买权人（顺序 1）" in page
    assert "data-next-valid>¥11,000.00<" in page  # the least is the current price itself
    assert api.bid(wang, lot_id, START + INC).status_code == 201

    sign_in(api, "zhao")
    page = api.client.get(f"/lots/{lot_id}", headers=HTML).text
    assert "data-priority-note" not in page
    assert "data-next-valid>¥12,000.00<" in page
    rows = record_rows(page)
    assert len(rows) == 2
    assert "优先购买权人" in rows[0] and "wang" not in rows[0]  # newest first: the holder's matching bid
    assert "优先购买权人" not in rows[1]
    english = api.client.get(f"/lots/{lot_id}?lang=en", headers=HTML).text
    assert "Priority buyer" in record_rows(english)[0]

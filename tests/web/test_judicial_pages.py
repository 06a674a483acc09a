"""A judicial lot's page (issue 9): the tabs 标的物介绍 / 拍卖公告 / 竞买须知 / 竞价记录 as plain anchors, the
court's texts escaped and in paragraphs, the public 保留价, and the notice checkbox in the deposit panel until
the bidder accepts it; the seller's form shows the judicial fields to a court only. SQLite only."""

from __future__ import annotations

from web_support import HTML, sign_in, sqlite_only

from conftest import Api

db_url = sqlite_only

REAL_NAME = {"name": "王小明", "id_number": "11010519491231002X"}


def test_the_judicial_lot_page_has_tabs_texts_reserve_and_the_notice_checkbox(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    lot = api.live_judicial_lot(
        court, staff, announcement="第一段 <script>alert(1)</script>\n第一段续\n\n第二段", as_is_notice="屋顶渗水"
    )
    wang = api.user("wang", top_up=1_000_000)
    assert api.client.post("/api/v1/me/real-name", headers=wang, json=REAL_NAME).status_code == 200
    sign_in(api, "wang")
    html = api.client.get(f"/lots/{lot['id']}", headers=HTML).text
    for anchor, word in (("description", "标的物介绍"), ("announcement", "拍卖公告"), ("notice", "竞买须知")):
        assert f'<a href="#{anchor}" data-tab="{anchor}">{word}</a>' in html
    assert '<a href="#record" data-tab="record">竞价记录</a>' in html
    assert 'id="announcement"' in html and 'id="notice"' in html and "lot-judicial.js" in html
    assert "<p>第一段 &lt;script&gt;alert(1)&lt;/script&gt;<br>第一段续</p><p>第二段</p>" in html
    assert "<script>alert(1)" not in html
    assert "（2026）浙0102执1234号" in html and "杭州市上城区人民法院" in html and "屋顶渗水" in html
    assert "瑕疵自担" in html  # the standard as-is notice, the court's addition after it
    assert "保留价" in html and "data-public-reserve>¥7,000.00<" in html
    assert "<dd data-reserve" not in html  # never the hidden-reserve row (有保留价 · 未达到)
    assert 'data-panel="notice" >' in html  # shown: the domain lists NOTICE until the bidder accepts
    assert "data-notice-accept" in html and "我已阅读并同意竞买须知及现状拍卖说明" in html

    assert api.client.post(f"/api/v1/lots/{lot['id']}/notice-acceptance", headers=wang).status_code == 201
    html = api.client.get(f"/lots/{lot['id']}", headers=HTML).text
    assert 'data-panel="notice" hidden' in html  # accepted: the domain's panels no longer list it


def test_a_commercial_lot_page_has_no_tabs(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("shop", seller="individual")
    lot = api.live_lot(seller, staff)
    html = api.client.get(f"/lots/{lot['id']}", headers=HTML).text
    assert "data-lot-tabs" not in html and "data-notice-accept" not in html and "data-public-reserve" not in html


def test_the_lot_form_shows_the_judicial_fields_to_a_court_only(api: Api) -> None:
    api.user("court", seller="court")
    api.user("shop", seller="individual")
    sign_in(api, "court")
    html = api.client.get("/sell/lots/new", headers=HTML).text
    assert "data-judicial-fields" in html and 'name="case_number"' in html and 'name="bidder_notice"' in html
    assert "data-judicial-fields >" in html  # shown: a court's new lot starts as judicial
    sign_in(api, "shop")
    html = api.client.get("/sell/lots/new", headers=HTML).text
    assert "data-judicial-fields" not in html and 'name="case_number"' not in html

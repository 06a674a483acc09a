"""The server-rendered pages: lot list with filters, lot page, sign-in pages, personal centre, 404, language.

Page rendering does not depend on the database engine, so these run on SQLite only.
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.adapters.web import formatting, i18n
from paimai.adapters.web.rendering import SECURITY_HEADERS
from paimai.bootstrap import Container

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="module")
def market_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> tuple[Path, dict[str, Any]]:
    """A SQLite database with a small market, built once per module (password hashing is slow) and copied."""
    path = tmp_path_factory.mktemp("web-market") / "market.db"
    shutil.copy(sqlite_template, path)
    container = Container(make_settings(f"sqlite:///{path}"))
    try:
        with TestClient(create_app(container=container)) as client:
            market = build_market(Api(client, container))
    finally:
        container.dispose()
    return path, market


@pytest.fixture
def db_url(tmp_path: Path, market_file: tuple[Path, dict[str, Any]]) -> str:
    """SQLite only (overrides the both-databases fixture of tests/conftest.py for this module)."""
    path = tmp_path / "paimai.db"
    shutil.copy(market_file[0], path)
    return f"sqlite:///{path}"


@pytest.fixture
def market(api: Api, market_file: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return market_file[1]


def build_market(api: Api) -> dict[str, Any]:
    """A live vase with a reserve and two bids (alice outbid by bob), and a scheduled car."""
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    vase = api.live_lot(
        seller,
        staff,
        reserve_price=200_000,
        withdrawal_allowed=True,
        withdrawal_fee=5_000,
        extension_seconds=300,
        location="北京",
        description="清代青花瓷瓶，品相完好。",
    )
    now = api.now()
    car = api.client.post(
        "/api/v1/lots",
        headers=seller,
        json={
            "title": "宝马 X5 2021款",
            "category": "vehicles",
            "start_price": 20_000_000,
            "increment": 100_000,
            "deposit": 2_000_000,
            "starts_at": (now + timedelta(hours=2)).isoformat(),
            "ends_at": (now + timedelta(hours=26)).isoformat(),
            "withdrawal_allowed": False,
        },
    ).json()
    assert api.client.post(f"/api/v1/staff/lots/{car['id']}/approve", headers=staff).status_code == 200
    for bidder, amount in ((alice, 100_000), (bob, 110_000)):
        assert api.deposit(bidder, vase["id"]).status_code == 201
        assert api.bid(bidder, vase["id"], amount).status_code == 201
    return {"vase": vase, "car": car}


def login_cookie(api: Api, username: str) -> None:
    response = api.client.post("/api/v1/auth/login", json={"username": username, "password": "correct-horse-1"})
    assert response.status_code == 200
    assert api.client.cookies.get("paimai_session")


def form_tag(html: str) -> str:
    found = re.search(r'<form id="bid-form"[^>]*>', html)
    assert found is not None
    return found.group(0)


def test_formatting_money_and_beijing_time() -> None:
    assert formatting.yuan(150_000) == "¥1,500.00"
    assert formatting.yuan(5) == "¥0.05"
    assert formatting.yuan(-12_345) == "-¥123.45"
    assert formatting.yuan(None) == "—"
    assert formatting.yuan_plain(123_405) == "1234.05"
    assert formatting.beijing("2026-03-01T16:30:00+00:00") == "2026-03-02 00:30:00"
    assert formatting.beijing("2026-03-01T16:30:00+00:00", "clock") == "00:30:00"
    assert formatting.countdown(90_061, "天") == "1天 01:01:01"
    assert formatting.countdown(-5, "d") == "00:00:00"
    assert formatting.beijing("9999-12-31T20:00:00+00:00") == "9999-12-31 20:00:00"  # no overflow at the edge


def test_pages_pick_a_language_and_scripts_get_their_words() -> None:
    """The catalogue's completeness is tests/i18n/test_catalogue.py's; here, what the pages make of it."""
    scripts = i18n.js_catalogue()
    assert list(scripts) == list(i18n.JS_KEYS) and len(set(i18n.JS_KEYS)) == len(i18n.JS_KEYS)
    assert all(words["zh"] and words["en"] for words in scripts.values())
    for status in ("leading", "outbid", "withdrawn", "void", "won"):  # every bid-record status has its words
        assert f"bid_{status}" in i18n.JS_KEYS
    assert scripts["price_current"] == {"zh": "当前价", "en": "Current price"}
    orders = i18n.order_script_words()
    assert orders["ord_done"] == {"zh": "操作成功。", "en": "Done."} and "order_status_paid" in orders
    assert i18n.pick_lang("en", "zh") == "en"
    assert i18n.pick_lang("fr", "en") == "en"
    assert i18n.pick_lang(None, None) == "zh"
    assert i18n.translate("no_such_key", "en") == "no_such_key"


def test_list_renders_with_filters_in_chinese_and_english(api: Api, market: dict[str, Any]) -> None:
    page = api.client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert '<html lang="zh-CN"' in page.text
    assert "清代青花瓷瓶" in page.text and "宝马 X5" in page.text
    assert "正在进行" in page.text and "即将开始" in page.text
    assert "¥1,100.00" in page.text  # the vase's current price
    assert "北京时间" in page.text
    assert "<script>" not in page.text and " style=" not in page.text  # CSP: nothing inline

    live = api.client.get("/?status=live")
    assert "清代青花瓷瓶" in live.text and "宝马 X5" not in live.text
    cars = api.client.get("/?category=vehicles")
    assert "宝马 X5" in cars.text and "清代青花瓷瓶" not in cars.text
    assert api.client.get("/?kind=judicial").text.count('class="lot-card"') == 0
    assert "清代青花瓷瓶" in api.client.get("/?q=青花").text
    searched = api.client.get("/?q=BMW-nothing")
    assert "暂无符合条件的拍品" in searched.text

    english = api.client.get("/?lang=en&status=scheduled")
    assert '<html lang="en"' in english.text
    assert "Starting soon" in english.text and "Starts in" in english.text
    assert "宝马 X5" in english.text and "清代青花瓷瓶" not in english.text
    assert "Vehicles" in english.text


def test_lang_switch_sets_cookie_and_sticks(api: Api, market: dict[str, Any]) -> None:
    switched = api.client.get("/?lang=en")
    assert "lang=en" in switched.headers["set-cookie"]
    assert 'href="/?lang=zh"' in switched.text  # the switch back
    following = api.client.get(f"/lots/{market['vase']['id']}")
    assert "Bid record" in following.text and "拍卖记录" not in following.text
    back = api.client.get("/?lang=zh")
    assert "lang=zh" in back.headers["set-cookie"]
    assert "拍卖记录" in api.client.get(f"/lots/{market['vase']['id']}").text
    unknown = api.client.get("/?lang=fr")
    assert "set-cookie" not in unknown.headers


def test_lot_page_shows_rules_and_bid_record(api: Api, market: dict[str, Any]) -> None:
    vase = market["vase"]
    page = api.client.get(f"/lots/{vase['id']}")
    assert page.status_code == 200
    text = page.text
    for word in ("起拍价", "¥1,000.00", "加价幅度", "¥100.00", "保证金", "¥200.00", "有保留价", "未达到"):
        assert word in text, word
    assert "延时周期" in text and "5 分钟" in text
    assert "允许撤回" in text and "¥50.00" in text and "每日撤回次数上限" in text
    assert "北京时间（UTC+8）" in text
    assert "距结束" in text and 'data-countdown data-status="live"' in text
    assert 'data-seq="' in text
    # the bid record: newest first, aliases not user names, leading and outbid
    record = text[text.index("data-record>") :]
    rows = re.findall(r'<tr class="row-(\w+)[^"]*" data-seq="(\d+)">', record)
    assert [status for status, _ in rows] == ["leading", "outbid"]
    assert "alice" not in record and "bob" not in record
    lot = api.client.get(f"/api/v1/lots/{vase['id']}").json()
    assert lot["leader_alias"] in record
    assert "¥1,100.00" in text
    assert "登录后报名竞拍" in text  # logged out: the login button, not the bid form
    assert "hidden" in form_tag(text)
    assert "/static/lot.js?v=" in text

    english = api.client.get(f"/lots/{vase['id']}?lang=en")
    for word in ("Start price", "Increment", "Deposit", "Has reserve", "Extension window", "Allowed", "Leading"):
        assert word in english.text, word

    car = api.client.get(f"/lots/{market['car']['id']}?lang=zh").text
    assert "不可撤回" in car and "无保留价" in car and "距开始" in car


def test_lot_page_for_a_bidder_shows_their_state(api: Api, market: dict[str, Any]) -> None:
    vase = market["vase"]
    login_cookie(api, "bob")
    text = api.client.get(f"/lots/{vase['id']}").text
    assert "已缴纳保证金" in text
    assert "hidden" not in form_tag(text)  # deposit paid, lot live: the bid form is shown
    assert "您已领先" in text  # bob leads: the form offers to raise the proxy maximum
    assert '<span class="me-tag">我</span>' in text
    login_cookie(api, "alice")
    text = api.client.get(f"/lots/{vase['id']}").text
    assert 'value="1200.00"' in text  # the next valid amount, prefilled
    assert "最低可出价" in text and "¥1,200.00" in text
    assert re.search(r"data-leader-note\s+hidden", text)


def test_unknown_and_hidden_lots_are_404_pages(api: Api, market: dict[str, Any]) -> None:
    for path in ("/lots/999999", "/lots/abc", "/lots/1e3", "/lots/" + "9" * 40):
        page = api.client.get(path, headers=HTML)
        assert page.status_code == 404, path
        assert "拍品不存在" in page.text
    nowhere = api.client.get("/no/such/page", headers=HTML)
    assert nowhere.status_code == 404
    assert "页面不存在" in nowhere.text and "返回首页" in nowhere.text
    english = api.client.get("/no/such/page?lang=en", headers=HTML)
    assert "Page not found" in english.text
    api_404 = api.client.get("/api/v1/nothing", headers=HTML)
    assert api_404.status_code == 404
    assert api_404.json()["error"]["code"] == "NOT_FOUND"
    # a lot in review is not public
    seller = api.login("seller")
    now = api.now()
    draft = api.client.post(
        "/api/v1/lots",
        headers=seller,
        json={
            "title": "审核中",
            "category": "art",
            "start_price": 100,
            "increment": 100,
            "deposit": 0,
            "starts_at": (now + timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(hours=3)).isoformat(),
        },
    ).json()
    api.client.cookies.clear()
    assert api.client.get(f"/lots/{draft['id']}").status_code == 404


def test_me_redirects_when_logged_out_and_renders_when_logged_in(api: Api, market: dict[str, Any]) -> None:
    away = api.client.get("/me", follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"] == "/login?next=%2Fme"
    login_cookie(api, "alice")
    page = api.client.get("/me")
    assert page.status_code == 200
    text = page.text
    assert "我的钱包" in text and "可用余额" in text and "冻结金额" in text
    assert "¥9,800.00" in text and "¥200.00" in text  # 10,000 topped up, 200 frozen as deposit
    assert "充值（沙箱）" in text
    assert "清代青花瓷瓶" in text  # my bids and my deposits
    assert "出局" in text and "冻结中" in text
    assert "充值" in text and "冻结保证金" in text  # the ledger
    assert "/static/me.js?v=" in text
    assert "撤回记录" in text and "今日剩余撤回次数" in text and "没有撤回记录" in text
    english = api.client.get("/me?lang=en").text
    assert "My wallet" in english and "Outbid" in english and "Deposit frozen" in english


def test_login_and_register_pages(api: Api, market: dict[str, Any]) -> None:
    login = api.client.get("/login?next=/lots/1")
    assert login.status_code == 200
    assert 'id="login-form" data-next="/lots/1"' in login.text
    assert "/static/auth.js?v=" in login.text
    evil = api.client.get("/login?next=//evil.example/x")
    assert 'data-next="/"' in evil.text
    register = api.client.get("/register?lang=en")
    assert "Create an account" in register.text and 'id="register-form"' in register.text
    login_cookie(api, "alice")
    assert api.client.get("/login?next=/me", follow_redirects=False).headers["location"] == "/me"
    logout = api.client.get("/logout?lang=zh")
    assert "确定要退出当前账号吗" in logout.text


def test_junk_query_parameters_never_fail(api: Api, market: dict[str, Any]) -> None:
    junk = [
        "/?status=bogus&category=%00&kind=x",
        "/?cursor=abc",
        "/?cursor=-1",
        "/?cursor=99999999999999999999999",
        "/?q=" + "长" * 500,
        "/?q=%27%22%3Cscript%3E",
        "/?lang=%ff",
        "/lots/1?lang=xx",
        "/login?next=javascript:alert(1)",
        "/register?next=%5C%5Cevil",
        "/?status=draft",
        "/?status=pending_review",
    ]
    for path in junk:
        page = api.client.get(path, headers=HTML)
        assert page.status_code in (200, 404), (path, page.status_code)
    escaped = api.client.get("/?q=%3Cscript%3Ealert(1)%3C/script%3E").text
    assert "<script>alert(1)" not in escaped
    assert "&lt;script&gt;" in escaped
    # a status the public may not filter by is ignored: the public list is shown
    assert api.client.get("/?status=pending_review").text.count('class="lot-card"') == 2


def test_static_files_are_served(api: Api) -> None:
    for name, kind in (
        ("app.css", "text/css"),
        ("app.js", "javascript"),
        ("lot.js", "javascript"),
        ("me.js", "javascript"),
        ("auth.js", "javascript"),
        ("favicon.svg", "image/svg+xml"),
    ):
        response = api.client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert kind in response.headers["content-type"], name


def test_withdrawn_bid_shows_in_the_record_and_the_personal_centre(api: Api, market: dict[str, Any]) -> None:
    vase = market["vase"]
    bob = api.login("bob")
    record = api.client.get(f"/api/v1/lots/{vase['id']}/bids").json()["items"]
    leading = next(row for row in record if row["status"] == "leading")
    withdrawn = api.client.post(
        f"/api/v1/lots/{vase['id']}/bids/{leading['id']}/withdraw", headers=bob, json={"confirm": True}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    api.client.cookies.clear()
    text = api.client.get(f"/lots/{vase['id']}?lang=zh").text
    rows = re.findall(r'<tr class="row-(\w+)[^"]*" data-seq="(\d+)">', text[text.index("data-record>") :])
    assert [status for status, _ in rows] == ["withdrawn", "leading"]
    assert "已撤回" in text
    assert re.search(r"data-price>¥1,000.00<", text)  # back to alice's bid
    login_cookie(api, "bob")
    me = api.client.get("/me?lang=zh").text
    assert "撤回出价" in me and "¥50.00" in me and f"#{leading['seq']}" in me
    assert re.search(r"data-quota-left>2<", me)
    assert "已撤回" in me  # my bids
    lot_for_bob = api.client.get(f"/lots/{vase['id']}").text
    assert "补缴保证金 ¥50.00" in lot_for_bob  # the fee came out of the deposit
    assert "hidden" in form_tag(lot_for_bob)


def test_bid_record_is_numbered_from_one_and_english_header_says_live_once(api: Api, market: dict[str, Any]) -> None:
    """Issue 13: the lot-started event takes seq 1, so numbering by seq started at #2; the English header
    showed "Live" both as the status badge and as the live-updates indicator."""
    vase = market["vase"]
    text = api.client.get(f"/lots/{vase['id']}").text
    record = text[text.index("data-record>") :]
    rows = re.findall(r'data-seq="(\d+)">\s*<td title="seq (\d+)">#(\d+)</td>', record)
    assert len(rows) == 2
    assert [int(n) for _, _, n in rows] == [2, 1]  # newest first, numbered 1..n
    assert all(a == b for a, b, _ in rows)  # the row keeps its seq
    assert min(int(s) for s, _, _ in rows) > 1  # (the case that showed the defect)
    english = api.client.get(f"/lots/{vase['id']}?lang=en").text
    header = english[english.index('class="lot-tags"') : english.index("</div>", english.index('class="lot-tags"'))]
    assert header.count(">Live<") == 1, header


def test_list_page_has_one_search_box_other_pages_keep_the_header_one(api: Api, market: dict[str, Any]) -> None:
    """Issue 13: the list page showed the header's search box and the filters' one."""
    for lang in ("zh", "en"):
        listing = api.client.get(f"/?lang={lang}").text
        assert listing.count('type="search" name="q"') == 1
    lot = api.client.get(f"/lots/{market['vase']['id']}").text
    assert lot.count('type="search" name="q"') == 1  # the header's box, which searches the list

"""The back office's detail pages (issue 14 item 6): a lot (`/staff/lots/{id}`) and a seller application
(`/staff/applications/{id}`) with their whole history and the decision forms of their queues.

These read through new queries (services.staff_detail_reads), so they run on both databases.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from conftest import Api
from paimai.clock import SimulatedClock

HTML = {"Accept": "text/html,application/xhtml+xml"}


def sign_in(api: Api, username: str) -> None:
    api.client.cookies.clear()
    response = api.client.post("/api/v1/auth/login", json={"username": username, "password": "correct-horse-1"})
    assert response.status_code == 200, response.text


def events(html: str) -> list[str]:
    """The history's entries, in the order the page shows them."""
    return re.findall(r'data-event="([^"]+)"', html)


def pending_lot(api: Api, seller: dict[str, str], title: str) -> int:
    now = api.now()
    created = api.client.post(
        "/api/v1/lots",
        headers=seller,
        json={
            "title": title,
            "category": "jewellery",
            "start_price": 100_000,
            "increment": 10_000,
            "deposit": 20_000,
            "reserve_price": 300_000,
            "appraisal": 500_000,
            "location": "上海",
            "starts_at": (now + timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=2)).isoformat(),
            "submit": True,
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending_review"
    return int(created.json()["id"])


def test_a_cancelled_lot_shows_its_facts_deposits_and_whole_history(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot = api.live_lot(seller, staff, reserve_price=250_000)
    for bidder in (alice, bob):
        assert api.deposit(bidder, lot["id"]).status_code in (200, 201)
    assert api.bid(alice, lot["id"], 100_000).status_code == 201
    assert api.bid(bob, lot["id"], 120_000).status_code == 201
    cancelled = api.client.post(f"/api/v1/lots/{lot['id']}/cancel", headers=staff, json={"reason": "拍品来源存疑"})
    assert cancelled.status_code == 200, cancelled.text
    api.client.post(f"/api/v1/lots/{lot['id']}/watch", headers=alice)

    sign_in(api, "staff")
    page = api.client.get(f"/staff/lots/{lot['id']}", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert "清代青花瓷瓶" in html
    assert f'href="/staff/users/{lot["seller_id"]}" data-seller-link' in html
    assert "¥2,500" in html  # the reserve, which only the seller and staff see
    # both deposits, released by the cancel, under the bidders' aliases
    assert html.count('data-deposit="released"') == 2
    # the history by time: the start (as of the lot's start, a second before the approval that let it run),
    # the approval (a staff decision), both bids, the cancel with its reason
    assert events(html) == ["LotStarted", "lot.approve", "BidPlaced", "BidPlaced", "lot.cancel", "LotCancelled"]
    assert "拍品来源存疑" in html
    assert "¥1,200" in html
    # a cancelled lot offers no action
    assert "data-decide=" not in html and "data-manage=" not in html
    english = api.client.get(f"/staff/lots/{lot['id']}?lang=en", headers=HTML).text
    assert "Auction cancelled" in english and "Auction started" in english and "Whole history" in english


def test_a_live_lot_offers_the_cancel_and_a_lot_in_review_the_review(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    live = api.live_lot(seller, staff)
    waiting = pending_lot(api, seller, "翡翠手镯")
    sign_in(api, "staff")
    live_page = api.client.get(f"/staff/lots/{live['id']}", headers=HTML).text
    assert f'data-manage="/lots/{live["id"]}"' in live_page and "data-decide=" not in live_page
    assert re.findall(r'data-manage-action="(\w+)"', live_page) == ["suspend", "cancel"]
    review = api.client.get(f"/staff/lots/{waiting}", headers=HTML).text
    assert f'data-decide="/staff/lots/{waiting}"' in review and "data-manage=" not in review
    assert "上海" in review and "¥5,000" in review  # location and appraisal
    # past its effective end a live lot is not cancellable any more, even before the scheduler closes it
    clock = api.container.clock
    assert isinstance(clock, SimulatedClock)
    with api.container.transaction() as uow:
        clock.advance(uow.session, 2 * 3600)  # no due work run: the lot is still stored live
    ended = api.client.get(f"/staff/lots/{live['id']}", headers=HTML).text
    assert "data-manage=" not in ended


def test_a_rejected_review_and_a_sale_show_in_the_history_with_the_order(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    rejected = pending_lot(api, seller, "来历不明的玉佩")
    refused = api.client.post(f"/api/v1/staff/lots/{rejected}/reject", headers=staff, json={"reason": "缺少来源证明"})
    assert refused.status_code == 200, refused.text
    sold = api.live_lot(seller, staff)
    assert api.deposit(alice, sold["id"]).status_code in (200, 201)
    assert api.bid(alice, sold["id"], 100_000).status_code == 201
    assert api.advance(3700).status_code == 200

    sign_in(api, "staff")
    page = api.client.get(f"/staff/lots/{rejected}", headers=HTML).text
    assert events(page) == ["lot.reject"] and "缺少来源证明" in page
    sale = api.client.get(f"/staff/lots/{sold['id']}", headers=HTML).text
    assert events(sale)[-1] == "LotClosed"
    order = re.search(r'href="/orders/(\d+)" data-order-link', sale)
    assert order is not None
    assert 'data-deposit="applied"' in sale or 'data-deposit="frozen"' in sale


@pytest.mark.parametrize("path", ["/staff/lots/999999", "/staff/lots/abc", "/staff/applications/999999"])
def test_an_unknown_id_is_not_found(api: Api, path: str) -> None:
    api.user("staff", staff=True)
    sign_in(api, "staff")
    assert api.client.get(path, headers=HTML).status_code == 404


def test_only_staff_reach_a_detail_page(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    lot = api.live_lot(seller, staff)
    path = f"/staff/lots/{lot['id']}"
    api.client.cookies.clear()
    guest = api.client.get(path, headers=HTML, follow_redirects=False)
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login?next=%2Fstaff%2Flots")
    sign_in(api, "seller")  # the lot's own seller is not staff
    refused = api.client.get(path, headers=HTML)
    assert refused.status_code == 404 and "data-history" not in refused.text


def apply(api: Api, headers: dict[str, str], name: str) -> int:
    applied = api.client.post(
        "/api/v1/me/seller-application",
        headers=headers,
        json={"kind": "business", "name": name, "licence_number": "91310000MA1FL0000X", "contact_phone": "13800138000"},
    )
    assert applied.status_code in (200, 201), applied.text
    return int(applied.json()["id"])


def test_an_application_shows_the_applicants_earlier_rejection(api: Api) -> None:
    staff = api.user("staff", staff=True)
    carol = api.user("carol")
    first = apply(api, carol, "旧货铺")
    rejected = api.client.post(
        f"/api/v1/staff/seller-applications/{first}/reject", headers=staff, json={"reason": "营业执照模糊"}
    )
    assert rejected.status_code == 200, rejected.text
    second = apply(api, carol, "旧货铺（重新申请）")
    carol_id = api.client.get("/api/v1/me", headers=carol).json()["id"]

    sign_in(api, "staff")
    page = api.client.get(f"/staff/applications/{second}", headers=HTML).text
    assert "91310000MA1FL0000X" in page and "13800138000" in page
    assert f'href="/staff/users/{carol_id}" data-applicant-link' in page
    assert f'data-other-application="{first}"' in page and "营业执照模糊" in page
    assert f'data-decide="/staff/seller-applications/{second}"' in page
    earlier = api.client.get(f"/staff/applications/{first}", headers=HTML).text
    assert 'data-application-status="rejected"' in earlier and "营业执照模糊" in earlier
    assert "data-decide=" not in earlier
    assert 'data-action="seller_application.reject"' in earlier  # its audit entry
    assert f'data-other-application="{second}"' in earlier
    # the history is newest first
    again = api.client.post(
        f"/api/v1/staff/seller-applications/{second}/reject", headers=staff, json={"reason": "经营范围不符"}
    )
    assert again.status_code == 200, again.text
    third = apply(api, carol, "旧货铺（第三次）")
    latest = api.client.get(f"/staff/applications/{third}", headers=HTML).text
    assert re.findall(r'data-other-application="(\d+)"', latest) == [str(second), str(first)]
    english = api.client.get(f"/staff/applications/{first}?lang=en", headers=HTML).text
    assert "The applicant's other applications" in english or "The applicant&#39;s other applications" in english


def test_the_queues_link_their_titles_to_the_detail_pages(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    carol = api.user("carol")
    waiting = pending_lot(api, seller, "翡翠手镯")
    application = apply(api, carol, "古玩店")
    del staff
    sign_in(api, "staff")
    lots = api.client.get("/staff/lots", headers=HTML).text
    assert f'href="/staff/lots/{waiting}" data-detail-link' in lots
    assert f'data-decide="/staff/lots/{waiting}"' in lots  # the shared form, still on the queue
    applications = api.client.get("/staff/applications", headers=HTML).text
    assert f'href="/staff/applications/{application}" data-detail-link' in applications
    assert f'data-decide="/staff/seller-applications/{application}"' in applications

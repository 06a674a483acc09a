"""The lot's read model (domain.lot_views): what every page, API answer and script shows, decided once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from domain_builders import DEPOSIT, NOW, SELLER_ID, START, T0, g, make_rules
from hypothesis import given, settings
from hypothesis import strategies as st

from paimai.domain.bidding import BidKind
from paimai.domain.lot_views import (
    LotState,
    Panel,
    PriceKind,
    Reader,
    RecordRow,
    RecordStatus,
    ViewerFacts,
    ViewerRole,
    lot_view,
    my_bid_status,
    record_statuses,
    viewer_view,
)
from paimai.domain.lots import LotStatus
from paimai.domain.rules import LotKind
from paimai.domain.withdrawal import RowStatus

END = T0 + timedelta(hours=1)
BIDDER = 1


def state(status: LotStatus = LotStatus.LIVE, **overrides: object) -> LotState:
    values: dict[str, object] = {
        "status": status,
        "rules": make_rules(),
        "seller_id": SELLER_ID,
        "current_price": None,
        "leader_id": None,
        "ends_at": END,
    }
    values.update(overrides)
    return LotState(**values)  # type: ignore[arg-type]


def facts(user_id: int = BIDDER, *, deposit: int | None = None, has_bid: bool = False, **kw: object) -> ViewerFacts:
    return ViewerFacts(
        reader=Reader(user_id, bool(kw.get("staff", False))),
        real_name_verified=bool(kw.get("verified", True)),
        deposit_frozen=deposit,
        has_active_bid=has_bid,
        order_id=kw.get("order_id"),  # type: ignore[arg-type]
        notice_accepted=bool(kw.get("accepted", False)),
    )


def panels(lot: LotState, who: ViewerFacts | None, now: object = NOW) -> set[str]:
    return {p.value for p in viewer_view(lot, lot_view(lot, now), who).panels}  # type: ignore[arg-type]


def test_next_valid_amount_is_the_start_then_price_plus_increment() -> None:
    assert lot_view(state(), NOW).next_valid_amount == START
    assert lot_view(state(current_price=g(3)), NOW).next_valid_amount == g(4)
    assert lot_view(state(current_price=g(3)), NOW).suggested_max_amount == g(8)


def test_reserve_met_only_at_or_above_it() -> None:
    rules = make_rules(reserve_price=g(5))
    assert lot_view(state(rules=rules), NOW).reserve_met is False
    assert lot_view(state(rules=rules, current_price=g(4)), NOW).reserve_met is False
    assert lot_view(state(rules=rules, current_price=g(5)), NOW).reserve_met is True
    no_reserve = lot_view(state(current_price=g(5)), NOW)
    assert no_reserve.has_reserve is False and no_reserve.reserve_met is None


def test_price_shown_is_start_current_or_final() -> None:
    assert (lot_view(state(), NOW).price_kind, lot_view(state(), NOW).display_price) == (PriceKind.START, START)
    live = lot_view(state(current_price=g(2)), NOW)
    assert (live.price_kind, live.display_price) == (PriceKind.CURRENT, g(2))
    sold = lot_view(state(LotStatus.SOLD, current_price=g(2), final_price=g(2)), NOW)
    assert (sold.price_kind, sold.display_price) == (PriceKind.FINAL, g(2))
    unsold = lot_view(state(LotStatus.UNSOLD, current_price=g(2)), NOW)
    assert unsold.price_kind is PriceKind.CURRENT and unsold.ended


def test_open_is_judged_by_the_effective_end_not_by_the_status_alone() -> None:
    before, at_end = lot_view(state(), END - timedelta(seconds=1)), lot_view(state(), END)
    assert before.bidding_open and before.deposits_open
    assert not at_end.bidding_open and not at_end.deposits_open
    early = T0 - timedelta(minutes=1)  # the default rules start at T0
    scheduled = lot_view(state(LotStatus.SCHEDULED), early)
    assert scheduled.deposits_open and not scheduled.bidding_open
    started_by_time = lot_view(state(LotStatus.SCHEDULED), T0)  # the scheduler has not run yet: open all the same
    assert started_by_time.bidding_open and started_by_time.deposits_open
    assert not lot_view(state(LotStatus.SCHEDULED), END).deposits_open


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, {"login"}),
        (facts(SELLER_ID), {"seller"}),
        (facts(50, staff=True), {"staff"}),
        (facts(), {"deposit"}),
        (facts(deposit=DEPOSIT // 2), {"deposit", "deposit_short", "withdraw"}),
        (facts(deposit=DEPOSIT), {"paid", "bid", "withdraw"}),
        (facts(deposit=DEPOSIT, has_bid=True), {"paid", "bid", "withdraw", "withdraw_bid"}),
        (facts(deposit=DEPOSIT, order_id=5), {"paid", "bid", "withdraw", "order"}),
    ],
)
def test_panels_of_a_live_commercial_lot(who: ViewerFacts | None, expected: set[str]) -> None:
    assert panels(state(), who) == expected


def test_panels_of_a_scheduled_lot() -> None:
    early = T0 - timedelta(minutes=1)
    assert panels(state(LotStatus.SCHEDULED), facts(deposit=DEPOSIT), now=early) == {"paid", "scheduled"}
    assert panels(state(LotStatus.SCHEDULED), facts(), now=early) == {"deposit"}
    # past its start it takes bids before the scheduler's tick (the bid starts it)
    assert panels(state(LotStatus.SCHEDULED), facts(deposit=DEPOSIT), now=NOW) == {"paid", "bid", "withdraw"}


def test_an_ended_lot_is_closed_for_everyone_and_links_the_order() -> None:
    for status in (LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.CANCELLED):
        assert panels(state(status), facts(deposit=DEPOSIT)) == {"closed"}
    assert panels(state(LotStatus.SOLD), facts(order_id=9)) == {"closed", "order"}
    assert panels(state(), facts(deposit=DEPOSIT), now=END) == {"closed"}


def test_judicial_lots_ask_for_real_name_first_and_never_offer_withdrawal() -> None:
    judicial = state(rules=make_rules(kind=LotKind.JUDICIAL, ends_at=T0 + timedelta(days=2)))
    assert panels(judicial, facts(verified=False)) == {"real_name"}
    assert panels(judicial, facts(verified=True)) == {"deposit", "notice"}  # the notice first (RULES §7)
    assert panels(judicial, facts(verified=True, accepted=True)) == {"deposit"}
    assert panels(judicial, facts(deposit=DEPOSIT, has_bid=True, accepted=True)) == {"paid", "bid"}
    assert panels(judicial, facts(SELLER_ID, verified=True)) == {"seller"}


def test_withdrawal_switched_off_offers_no_withdrawal() -> None:
    off = state(rules=make_rules(withdrawal_allowed=False))
    assert panels(off, facts(deposit=DEPOSIT, has_bid=True)) == {"paid", "bid"}


def test_deposit_due_is_what_a_fee_took() -> None:
    lot = state()
    assert viewer_view(lot, lot_view(lot, NOW), facts()).deposit_due == DEPOSIT
    short = viewer_view(lot, lot_view(lot, NOW), facts(deposit=DEPOSIT - 3_000))
    assert (short.deposit_due, short.deposit_held, short.deposit_paid) == (3_000, True, False)
    paid = viewer_view(lot, lot_view(lot, NOW), facts(deposit=DEPOSIT))
    assert (paid.deposit_due, paid.deposit_paid) == (0, True)


def test_only_the_seller_and_staff_see_private_facts_and_leading_is_the_viewers() -> None:
    lot = state(current_price=g(1), leader_id=BIDDER)
    view = lot_view(lot, NOW)
    assert viewer_view(lot, view, facts(SELLER_ID)).sees_private
    assert viewer_view(lot, view, facts(50, staff=True)).sees_private
    bidder = viewer_view(lot, view, facts(deposit=DEPOSIT))
    assert not bidder.sees_private and bidder.leading and bidder.role is ViewerRole.BIDDER
    assert not viewer_view(lot, view, None).leading


roles = st.sampled_from([None, "seller", "staff", "bidder"])


@settings(max_examples=400, deadline=None)
@given(
    status=st.sampled_from(list(LotStatus)),
    role=roles,
    deposit=st.one_of(st.none(), st.integers(0, DEPOSIT * 2)),
    has_bid=st.booleans(),
    minutes=st.integers(-90, 90),
    judicial=st.booleans(),
    verified=st.booleans(),
)
def test_the_bid_form_shows_only_when_the_rules_would_take_a_bid(
    status: LotStatus,
    role: str | None,
    deposit: int | None,
    has_bid: bool,
    minutes: int,
    judicial: bool,
    verified: bool,
) -> None:
    """The bid form is offered exactly to a bidder with a whole deposit on a lot open for bids, and exactly
    one of the box's main parts shows."""
    rules = make_rules(kind=LotKind.JUDICIAL, ends_at=T0 + timedelta(days=2)) if judicial else make_rules()
    lot = state(status, rules=rules, ends_at=T0 + timedelta(days=2) if judicial else END)
    user_id = {"seller": SELLER_ID, "staff": 50, "bidder": BIDDER}.get(role or "", 0)
    who = (
        None
        if role is None
        else facts(user_id, deposit=deposit, has_bid=has_bid, staff=role == "staff", verified=verified)
    )
    now = NOW + timedelta(minutes=minutes)
    view = lot_view(lot, now)
    shown = viewer_view(lot, view, who).panels
    may_bid = (
        role == "bidder"
        and (status is LotStatus.LIVE or (status is LotStatus.SCHEDULED and now >= rules.starts_at))
        and now < lot.ends_at
        and deposit is not None
        and deposit >= DEPOSIT
    )
    assert (Panel.BID in shown) == may_bid
    main = {
        Panel.LOGIN,
        Panel.SELLER,
        Panel.STAFF,
        Panel.CLOSED,
        Panel.SUSPENDED,
        Panel.REAL_NAME,
        Panel.DEPOSIT,
        Panel.PAID,
    }
    assert len(shown & main) == 1
    if Panel.WITHDRAW in shown:
        assert not judicial and role == "bidder" and view.bidding_open


def rows(*spec: tuple[int, int, int, RowStatus]) -> list[RecordRow]:
    return [RecordRow(seq, bidder, BidKind.BID, amount, status) for seq, bidder, amount, status in spec]


def test_record_statuses_mark_one_leading_row() -> None:
    active = RowStatus.ACTIVE
    record = rows(
        (2, 1, g(0), active), (3, 2, g(1), active), (4, 1, g(2), RowStatus.WITHDRAWN), (5, 3, g(1), RowStatus.VOID)
    )
    statuses = record_statuses(record, leader_id=2, current_price=g(1), status=LotStatus.LIVE)
    assert statuses == {
        2: RecordStatus.OUTBID,
        3: RecordStatus.LEADING,
        4: RecordStatus.WITHDRAWN,
        5: RecordStatus.VOID,
    }
    sold = record_statuses(record, leader_id=2, current_price=g(1), status=LotStatus.SOLD)
    assert sold[3] is RecordStatus.WON
    nobody = record_statuses(record, leader_id=None, current_price=None, status=LotStatus.LIVE)
    assert RecordStatus.LEADING not in nobody.values()


def test_the_newest_row_at_the_price_leads() -> None:
    record = [
        RecordRow(2, 1, BidKind.BID, g(1), RowStatus.ACTIVE),
        RecordRow(3, 1, BidKind.PROXY, g(1), RowStatus.ACTIVE),
    ]
    statuses = record_statuses(record, leader_id=1, current_price=g(1), status=LotStatus.LIVE)
    assert statuses == {2: RecordStatus.OUTBID, 3: RecordStatus.LEADING}


def test_my_bid_status() -> None:
    assert my_bid_status(RowStatus.ACTIVE, g(2), mine_leads=True, current_price=g(2)) is RecordStatus.LEADING
    assert my_bid_status(RowStatus.ACTIVE, g(1), mine_leads=True, current_price=g(2)) is RecordStatus.OUTBID
    assert my_bid_status(RowStatus.ACTIVE, g(2), mine_leads=False, current_price=g(2)) is RecordStatus.OUTBID
    assert my_bid_status(RowStatus.WITHDRAWN, g(2), mine_leads=True, current_price=g(2)) is RecordStatus.WITHDRAWN
    assert my_bid_status(RowStatus.VOID, g(2), mine_leads=True, current_price=g(2)) is RecordStatus.VOID


def test_only_the_leaders_row_at_the_price_leads_whatever_follows_it() -> None:
    record = [
        RecordRow(2, 1, BidKind.BID, g(2), RowStatus.ACTIVE),
        RecordRow(3, 2, BidKind.BID, g(2), RowStatus.ACTIVE),  # another bidder's row, later, at the same amount
    ]
    statuses = record_statuses(record, leader_id=1, current_price=g(2), status=LotStatus.LIVE)
    assert statuses == {2: RecordStatus.LEADING, 3: RecordStatus.OUTBID}


def test_a_leader_without_a_row_at_the_price_leaves_every_row_outbid() -> None:
    record = [RecordRow(2, 1, BidKind.BID, g(1), RowStatus.ACTIVE)]
    assert record_statuses(record, leader_id=1, current_price=g(3), status=LotStatus.LIVE) == {2: RecordStatus.OUTBID}
    assert record_statuses([], leader_id=1, current_price=g(3), status=LotStatus.LIVE) == {}

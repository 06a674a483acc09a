"""Bid withdrawal (撤回出价 / 撤回竞拍, RULES §5) in the domain core: each refusal and each effect."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from domain_builders import ALIASES, DEPOSIT, NOW, OK, T0, bid, g, make_rules, make_snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from paimai.adapters import i18n
from paimai.domain.bidding import (
    AuctionSnapshot,
    BidKind,
    BidRequest,
    NewBid,
    Submission,
    compute_standing,
    place_bid,
)
from paimai.domain.calendar import BEIJING
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.events import AuctionExtended, BidPlaced, BidWithdrawn
from paimai.domain.lots import LotStatus
from paimai.domain.rules import LotKind
from paimai.domain.withdrawal import (
    BidRow,
    RowStatus,
    WithdrawalDecision,
    WithdrawalFacts,
    WithdrawalRequest,
    WithdrawalScope,
    plan_withdrawal,
    quota_day,
    quota_for,
    withdraw,
)

BID = WithdrawalScope.BID
AUCTION = WithdrawalScope.AUCTION


@dataclass
class Lot:
    """A live lot as storage would hold it: the snapshot plus every stored row with its status."""

    snap: AuctionSnapshot
    rows: list[BidRow] = field(default_factory=list)
    deposits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(ALIASES, DEPOSIT))
    used: dict[int, int] = field(default_factory=dict)

    def bid(self, bidder: int, amount: int, max_amount: int | None = None, at: datetime = NOW) -> None:
        decision = bid(self.snap, bidder, amount, max_amount, at=at)
        self.rows += stored_rows(decision.new_bids)
        self.snap = decision.snapshot

    def facts(self, bidder: int, limit: int = 3, at: datetime = NOW) -> WithdrawalFacts:
        return WithdrawalFacts(self.deposits.get(bidder), quota_for(limit, self.used.get(bidder, 0), at))

    def withdraw(
        self, bidder: int, scope: WithdrawalScope = BID, bid_id: int | None = None, at: datetime = NOW
    ) -> WithdrawalDecision:
        decision = withdraw(self.snap, self.rows, WithdrawalRequest(bidder, scope, bid_id), self.facts(bidder), at)
        changed = {row.bid_id: row for row in (*decision.withdrawn, *decision.voided)}
        self.rows = [changed.get(row.bid_id, row) for row in self.rows]
        self.rows += stored_rows(decision.new_bids)
        self.snap = decision.snapshot
        self.used[bidder] = self.used.get(bidder, 0) + 1
        if bidder in self.deposits:
            self.deposits[bidder] -= decision.plan.fee
            if scope is AUCTION:
                del self.deposits[bidder]
        return decision

    def refusal(
        self, bidder: int, scope: WithdrawalScope = BID, bid_id: int | None = None, at: datetime = NOW, limit: int = 3
    ) -> DomainError:
        with pytest.raises(DomainError) as info:
            plan_withdrawal(
                self.snap, self.rows, WithdrawalRequest(bidder, scope, bid_id), self.facts(bidder, limit, at), at
            )
        return info.value

    def active_public(self) -> list[BidRow]:
        return [row for row in self.rows if row.status is RowStatus.ACTIVE and row.seq is not None]

    def status_of(self, seq: int) -> RowStatus:
        return next(row.status for row in self.rows if row.seq == seq)


def stored_rows(new_bids: Iterable[NewBid]) -> list[BidRow]:
    """Rows as storage keeps them (the order number serves as the row id here)."""
    return [
        BidRow(
            new.order_no, new.order_no, new.seq, new.bidder_id, new.kind, new.amount, new.max_amount, RowStatus.ACTIVE
        )
        for new in new_bids
    ]


def live(**rule_overrides: object) -> Lot:
    return Lot(make_snapshot(make_rules(**rule_overrides)))


def two_bidders() -> Lot:
    """Bidder 1 opens at g(0) with a proxy up to g(5); bidder 2 bids g(3) and is answered at g(4)."""
    lot = live()
    lot.bid(1, g(0), g(5))
    lot.bid(2, g(3))
    return lot


# ---- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "bidder", "scope", "code"),
    [
        pytest.param(lambda: _with_status(LotStatus.SOLD), 2, BID, ErrorCode.AUCTION_ENDED, id="sold"),
        pytest.param(lambda: _with_status(LotStatus.UNSOLD), 2, AUCTION, ErrorCode.AUCTION_ENDED, id="unsold"),
        pytest.param(lambda: _with_status(LotStatus.CANCELLED), 2, BID, ErrorCode.AUCTION_ENDED, id="cancelled"),
        pytest.param(lambda: _with_status(LotStatus.SCHEDULED), 2, BID, ErrorCode.LOT_NOT_LIVE, id="not-started"),
        pytest.param(lambda: _judicial(), 2, BID, ErrorCode.WITHDRAWAL_NOT_ALLOWED, id="judicial"),
        pytest.param(lambda: _switched_off(), 2, AUCTION, ErrorCode.WITHDRAWAL_NOT_ALLOWED, id="switched-off"),
        pytest.param(lambda: two_bidders(), 3, BID, ErrorCode.NOTHING_TO_WITHDRAW, id="no-bids-of-mine"),
    ],
)
def test_refusals_by_lot_state(make: object, bidder: int, scope: WithdrawalScope, code: ErrorCode) -> None:
    lot = make()  # type: ignore[operator]
    assert lot.refusal(bidder, scope).code is code


def _with_status(status: LotStatus) -> Lot:
    lot = two_bidders()
    lot.snap = replace(lot.snap, status=status)
    return lot


def _judicial() -> Lot:
    lot = live(kind=LotKind.JUDICIAL, ends_at=T0 + timedelta(days=2))
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    return lot


def _switched_off() -> Lot:
    lot = live(withdrawal_allowed=False)
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    return lot


def test_refused_at_and_after_the_effective_end_by_server_time() -> None:
    lot = two_bidders()
    assert lot.refusal(2, at=lot.snap.ends_at).code is ErrorCode.AUCTION_ENDED
    assert lot.refusal(2, at=lot.snap.ends_at + timedelta(seconds=1)).code is ErrorCode.AUCTION_ENDED
    plan_withdrawal(
        lot.snap, lot.rows, WithdrawalRequest(2, BID), lot.facts(2), lot.snap.ends_at - timedelta(seconds=1)
    )


def test_someone_elses_bid_is_refused() -> None:
    lot = two_bidders()
    theirs = next(row for row in lot.rows if row.bidder_id == 1)
    assert lot.refusal(2, BID, theirs.bid_id).code is ErrorCode.BID_NOT_YOURS


def test_an_unknown_bid_is_refused() -> None:
    assert two_bidders().refusal(2, BID, 999).code is ErrorCode.BID_NOT_FOUND


def test_a_withdrawn_bid_cannot_be_withdrawn_again() -> None:
    lot = two_bidders()
    mine = next(row for row in lot.rows if row.bidder_id == 2)
    lot.withdraw(2, BID, mine.bid_id)
    assert lot.refusal(2, BID, mine.bid_id).code is ErrorCode.BID_ALREADY_WITHDRAWN


def test_only_the_latest_bid_can_be_withdrawn() -> None:
    lot = two_bidders()
    first = next(row for row in lot.rows if row.bidder_id == 2)
    lot.bid(2, g(6))
    error = lot.refusal(2, BID, first.bid_id)
    assert error.code is ErrorCode.BID_NOT_LATEST
    assert error.details["latest_bid_id"] != first.bid_id


def test_the_daily_quota_is_refused_with_the_reset_time() -> None:
    lot = two_bidders()
    lot.used[2] = 3
    error = lot.refusal(2)
    assert error.code is ErrorCode.WITHDRAWAL_QUOTA_EXCEEDED
    # NOW is 10:10 Beijing time on 2025-03-01: the quota resets at the next Beijing midnight.
    assert error.details["resets_at"] == datetime(2025, 3, 1, 16, 0, tzinfo=UTC).isoformat()
    message, message_zh = i18n.error_messages(error)  # the reset time in Beijing time
    assert "2025-03-02 00:00 Beijing time" in message and "北京时间 2025-03-02 00:00" in message_zh
    plan_withdrawal(lot.snap, lot.rows, WithdrawalRequest(2, BID), lot.facts(2, limit=4), NOW)  # one left


def test_the_quota_day_is_the_beijing_calendar_day() -> None:
    late = datetime(2025, 3, 1, 15, 59, 59, tzinfo=UTC)  # 23:59:59 Beijing
    start, end = quota_day(late)
    assert (start, end) == (datetime(2025, 2, 28, 16, tzinfo=UTC), datetime(2025, 3, 1, 16, tzinfo=UTC))
    assert quota_day(late + timedelta(seconds=1))[0] == end
    assert start.astimezone(BEIJING).hour == 0


def test_a_fee_the_frozen_deposit_cannot_cover_is_refused() -> None:
    lot = live(withdrawal_fee=DEPOSIT // 2)
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    lot.deposits[2] = DEPOSIT // 2 - 1  # a fee was taken earlier and the deposit not made whole
    error = lot.refusal(2)
    assert error.code is ErrorCode.WITHDRAWAL_FEE_NOT_COVERED
    assert error.details == {"fee": DEPOSIT // 2, "deposit_frozen": DEPOSIT // 2 - 1}


def test_a_refusal_changes_nothing() -> None:
    lot = two_bidders()
    before = (lot.snap, list(lot.rows))
    lot.refusal(1, BID, 999)
    assert (lot.snap, lot.rows) == before


# ---- effects -----------------------------------------------------------------------------------


def test_withdrawing_the_leading_bid_restores_the_previous_standing() -> None:
    lot = two_bidders()
    assert (compute_standing(lot.snap.submissions, lot.snap.rules).leader_id, lot.snap.bid_count) == (1, 3)
    lot.bid(2, g(7))  # bidder 2 now leads at its own g(7); bidder 1 shows its maximum g(5)
    before = compute_standing(lot.snap.submissions, lot.snap.rules)
    assert (before.leader_id, before.price) == (2, g(7))
    decision = lot.withdraw(2)
    assert (decision.standing.leader_id, decision.standing.price) == (1, g(4))
    assert [row.amount for row in decision.withdrawn] == [g(7)]
    assert decision.voided == ()  # bidder 1's maximum g(5) was below g(7), so it never showed a row for it
    assert max(row.amount or 0 for row in lot.active_public()) == g(4)
    event = decision.events[0]
    assert isinstance(event, BidWithdrawn)
    assert (event.alias, event.scope, event.current_price, event.leader_alias) == (ALIASES[2], "bid", g(4), ALIASES[1])
    assert event.seq == before_seq_plus_one(lot, decision)


def before_seq_plus_one(lot: Lot, decision: WithdrawalDecision) -> int:
    return lot.snap.seq - len(decision.new_bids)


def test_withdrawing_every_bid_returns_to_no_bids() -> None:
    lot = live()
    lot.bid(1, g(0), g(3))
    decision = lot.withdraw(1, AUCTION)
    assert decision.standing.price is None and decision.standing.leader_id is None
    assert decision.plan.deposit_release == DEPOSIT
    assert all(row.status is RowStatus.WITHDRAWN for row in lot.rows)
    event = decision.events[0]
    assert isinstance(event, BidWithdrawn) and event.current_price is None and event.leader_alias is None
    # the next valid bid is the start price again (a withdrawn bid never counts in the next minimum)
    lot.deposits[2] = DEPOSIT
    lot.bid(2, g(0))
    assert compute_standing(lot.snap.submissions, lot.snap.rules).price == g(0)


def test_withdrawal_from_the_auction_takes_every_active_bid_and_releases_the_deposit_less_the_fee() -> None:
    lot = live(withdrawal_fee=5_000)
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    lot.bid(1, g(2))
    lot.bid(2, g(3), g(9))
    decision = lot.withdraw(2, AUCTION)
    assert {row.amount for row in decision.withdrawn} == {g(1), g(3)}
    assert decision.plan.fee == 5_000 and decision.plan.deposit_release == DEPOSIT - 5_000
    assert (decision.standing.leader_id, decision.standing.price) == (1, g(2))


def test_withdrawing_a_bid_keeps_the_deposit_frozen_and_charges_the_fee() -> None:
    lot = live(withdrawal_fee=3_000)
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    decision = lot.withdraw(2)
    assert (decision.plan.fee, decision.plan.deposit_release) == (3_000, 0)


def test_a_withdrawal_never_extends_the_auction() -> None:
    lot = live(extension_seconds=300)
    late = lot.snap.ends_at - timedelta(seconds=10)
    lot.bid(1, g(0), at=late - timedelta(minutes=30))
    lot.bid(2, g(1), at=late)  # extends
    ends_at, extensions = lot.snap.ends_at, lot.snap.extensions
    decision = lot.withdraw(2, at=ends_at - timedelta(seconds=5))
    assert (decision.snapshot.ends_at, decision.snapshot.extensions) == (ends_at, extensions)
    assert not any(isinstance(event, AuctionExtended) for event in decision.events)


def test_withdrawals_in_a_proxy_battle_fall_back_step_by_step() -> None:
    lot = live()
    lot.bid(1, g(0), g(10))
    lot.bid(2, g(2))  # 1's proxy answers g(3)
    lot.bid(3, g(5))  # 1's proxy answers g(6)
    lot.bid(2, g(7))  # 1's proxy answers g(8)
    decision = lot.withdraw(2)  # 2's latest (g(7)) goes: runner-up is now 3 at g(5) → price g(6), which exists
    assert decision.standing.price == g(6) and not decision.new_bids
    lot.withdraw(3)  # now only 1 and 2's g(2): price g(3), 1 has a row there
    assert compute_standing(lot.snap.submissions, lot.snap.rules).price == g(3)
    lot2 = live()
    lot2.bid(2, g(2))
    lot2.bid(1, g(3), g(10))  # 1 leads at g(3) — own bid
    lot2.bid(3, g(4), g(6))  # 1's proxy answers g(7)
    decision = lot2.withdraw(2, AUCTION)  # runner-up still 3 (max g(6)): price g(7) unchanged
    assert decision.standing.price == g(7)


def test_a_new_leader_without_a_row_at_the_price_gets_one() -> None:
    lot = live()
    lot.bid(1, g(0), g(4))
    lot.bid(2, g(2), g(8))  # 1's proxy answers g(4); 2 leads at g(5) (a proxy row for 2)
    lot.bid(3, g(9))  # 3 leads at g(9); 2's maximum g(8) is shown at g(8)
    lot.withdraw(2, AUCTION)  # 3 still leads, now at g(9) — 3's own bid
    decision = lot.withdraw(3)  # only 1 is left: price back to 1's own highest bid... 1 has rows g(0), g(4)
    assert (decision.standing.leader_id, decision.standing.price) == (1, g(0))
    assert any(r.bidder_id == 1 and r.amount == g(0) for r in lot.active_public())


def test_proxy_row_replacement_when_price_falls_between_rows() -> None:
    lot = live()
    lot.bid(2, g(0), g(3))  # 2 opens at g(0), proxy to g(3)
    lot.bid(1, g(1), g(9))  # 2's proxy answers g(3)? no: 1's max g(9) beats; 2 shows g(3), 1 leads at g(4)
    lot.bid(3, g(6))  # 1 answers g(7)
    decision = lot.withdraw(2, AUCTION)  # runner-up is 3 (g(6)): price g(7), a row exists
    assert decision.standing.price == g(7) and not decision.new_bids
    decision = lot.withdraw(3)  # 1 alone: price = 1's own highest explicit bid g(1); a row exists
    assert decision.standing.price == g(1)
    assert not decision.new_bids


def test_voided_rows_and_a_replacement_row_keep_the_record_consistent() -> None:
    lot = live()
    lot.bid(1, g(0), g(9))
    lot.bid(2, g(1), g(4))  # 2 shows g(4) as a proxy; 1 answers g(5)
    lot.bid(3, g(6), g(7))  # 3 shows g(7); 1 answers g(8)
    decision = lot.withdraw(3)  # runner-up 2 (max g(4)) → price g(5): 1's row at g(5) exists, g(8) voided
    assert decision.standing.price == g(5)
    assert [row.amount for row in decision.voided] == [g(8)]
    assert not decision.new_bids


def test_a_replacement_row_is_placed_when_the_leader_has_none_at_the_new_price() -> None:
    """Defensive: the fold guarantees the leader a row at the price; a record missing one is repaired."""
    lot = live()
    lot.bid(1, g(0), g(10))
    lot.bid(2, g(3))  # 1 answers g(4)
    lot.bid(3, g(6))  # 1 answers g(7)
    lot.rows = [row for row in lot.rows if not (row.bidder_id == 1 and row.amount == g(4))]
    seq = lot.snap.seq
    decision = lot.withdraw(3)  # runner-up 2 (g(3)) → price g(4), where 1 has no row any more
    assert decision.standing.price == g(4)
    assert [(new.bidder_id, new.amount, new.kind, new.seq) for new in decision.new_bids] == [
        (1, g(4), BidKind.PROXY, seq + 2)
    ]
    withdrawn_event, placed = decision.events
    assert isinstance(withdrawn_event, BidWithdrawn) and withdrawn_event.seq == seq + 1
    assert isinstance(placed, BidPlaced) and placed.is_proxy and placed.amount == g(4) and placed.seq == seq + 2
    assert [row.amount for row in decision.voided] == [g(7)]


# ---- the property: a withdrawal leaves the auction as if the withdrawn bids had never been made ----


operations = st.lists(
    st.one_of(
        st.tuples(st.just("bid"), st.integers(1, 4), st.integers(0, 3), st.one_of(st.none(), st.integers(0, 5))),
        st.tuples(st.just("withdraw"), st.integers(1, 4), st.sampled_from([BID, AUCTION]), st.none()),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(ops=operations)
def test_withdrawals_leave_the_standing_of_a_fresh_auction_of_the_remaining_bids(
    ops: list[tuple[str, int, Any, int | None]],
) -> None:
    lot = Lot(make_snapshot(make_rules(), aliases=ALIASES))
    lot.used = {}
    for op in ops:
        kind, bidder, a, b = op
        standing = compute_standing(lot.snap.submissions, lot.snap.rules)
        if kind == "bid":
            least = g(0) if standing.price is None else standing.price + lot.snap.rules.increment
            amount = least + a * lot.snap.rules.increment
            maximum = None if b is None else amount + b * lot.snap.rules.increment
            if bidder not in lot.deposits:
                lot.deposits[bidder] = DEPOSIT
            try:
                lot.bid(bidder, amount, maximum)
            except DomainError as error:
                assert error.code in (ErrorCode.ALREADY_LEADING, ErrorCode.MAX_AMOUNT_INVALID)
            continue
        lot.used[bidder] = 0  # the quota is tested elsewhere
        try:
            lot.withdraw(bidder, a)
        except DomainError as error:
            assert error.code is ErrorCode.NOTHING_TO_WITHDRAW
            continue
        check_consistent(lot)
    check_consistent(lot)


def _maximum(amount: int | None, max_amount: int | None) -> int:
    value = max_amount if max_amount is not None else amount
    assert value is not None, "a row has an amount or a maximum"
    return value


def check_consistent(lot: Lot) -> None:
    rules = lot.snap.rules
    active_subs = tuple(
        Submission(row.order_no, row.bidder_id, row.amount, _maximum(row.amount, row.max_amount))
        for row in lot.rows
        if row.status is RowStatus.ACTIVE and row.kind in (BidKind.BID, BidKind.MAX_RAISE)
    )
    # The stored rows and the snapshot agree on which submissions remain.
    assert {s.order_no for s in active_subs} == {s.order_no for s in lot.snap.submissions}
    standing = compute_standing(lot.snap.submissions, rules)

    # A fresh auction that receives only the remaining explicit bids, in their original order, reaches the
    # same leader and price whenever it accepts them all as plain bids.
    fresh = make_snapshot(make_rules())
    replayed = True
    for sub in sorted(active_subs, key=lambda s: s.order_no):
        if sub.amount is None:
            replayed = False
            break
        try:
            decision = place_bid(fresh, BidRequest(sub.bidder_id, sub.amount, sub.max_amount), OK, NOW)
        except DomainError:
            replayed = False
            break
        if decision.submitted.kind is not BidKind.BID:
            replayed = False
            break
        fresh = decision.snapshot
    if replayed:
        again = compute_standing(fresh.submissions, rules)
        assert (again.leader_id, again.price) == (standing.leader_id, standing.price)

    # The public record: no active row above the price, and the leader holds one at the price.
    public = lot.active_public()
    if standing.price is None:
        assert standing.leader_id is None
    else:
        assert all((row.amount or 0) <= standing.price for row in public)
        assert any(row.bidder_id == standing.leader_id and row.amount == standing.price for row in public)
    # Sequence numbers stay gap-free across bids, withdrawals and replacement rows.
    assert lot.snap.bid_count == sum(1 for row in lot.rows if row.seq is not None)

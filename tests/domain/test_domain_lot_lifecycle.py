"""The lot life cycle to the second and to the field: the transition table, start and close at their exact
moments, cancelling, deposits (who may pay, when, what is released at close) and the events' payloads.

Every decision is compared whole against one written out by hand, and every refusal by code and details.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest
from domain_builders import ALIASES, LOT_ID, NOW, SELLER_ID, T0, g, make_rules, make_snapshot, run_bids

from paimai.domain import lots
from paimai.domain.bidding import LifecycleDecision, close_auction, start_auction
from paimai.domain.cancellation import cancel_auction
from paimai.domain.deposits import HeldDeposit, may_pay_deposit, paid_in_full, settle_at_close
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.events import AuctionExtended, BidPlaced, BidWithdrawn, LotCancelled, LotClosed, LotStarted
from paimai.domain.lots import LotAction, LotStatus

END = T0 + timedelta(hours=1)
ALL_PAIRS = list(itertools.product(LotStatus, LotAction))
EXPECTED_TABLE = {
    (LotStatus.DRAFT, LotAction.SUBMIT): LotStatus.PENDING_REVIEW,
    (LotStatus.REJECTED, LotAction.SUBMIT): LotStatus.PENDING_REVIEW,
    (LotStatus.PENDING_REVIEW, LotAction.APPROVE): LotStatus.SCHEDULED,
    (LotStatus.PENDING_REVIEW, LotAction.REJECT): LotStatus.REJECTED,
    (LotStatus.SCHEDULED, LotAction.START): LotStatus.LIVE,
    (LotStatus.LIVE, LotAction.CLOSE_SOLD): LotStatus.SOLD,
    (LotStatus.LIVE, LotAction.CLOSE_UNSOLD): LotStatus.UNSOLD,
    (LotStatus.SCHEDULED, LotAction.CANCEL): LotStatus.CANCELLED,
    (LotStatus.LIVE, LotAction.CANCEL): LotStatus.CANCELLED,
    (LotStatus.SCHEDULED, LotAction.SUSPEND): LotStatus.SUSPENDED,
    (LotStatus.LIVE, LotAction.SUSPEND): LotStatus.SUSPENDED,
    (LotStatus.SUSPENDED, LotAction.CANCEL): LotStatus.CANCELLED,
}


def refusal(call: object, *args: object, **kwargs: object) -> DomainError:
    assert callable(call)
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    return info.value


# ---- the transition table -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_every_status_and_action(status: LotStatus, action: LotAction) -> None:
    if (status, action) in EXPECTED_TABLE:
        assert lots.transition(status, action) is EXPECTED_TABLE[(status, action)]
    else:
        error = refusal(lots.transition, status, action)
        assert error.code is ErrorCode.LOT_TRANSITION_NOT_ALLOWED
        assert error.details == {"status": status.value, "action": action.value}


def test_the_table_is_the_expected_one_and_ended_lots_leave_it() -> None:
    assert lots.TRANSITIONS == EXPECTED_TABLE
    assert frozenset({LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.CANCELLED}) == lots.ENDED
    assert not any(status in lots.ENDED for status, _ in lots.TRANSITIONS)


# ---- start and close at their exact moments --------------------------------------------------------


def test_a_scheduled_lot_starts_at_its_start_and_not_a_second_before() -> None:
    snap = replace(make_snapshot(status=LotStatus.SCHEDULED), seq=4)
    assert start_auction(snap, T0) == LifecycleDecision(LotStatus.LIVE, 5, (LotStarted(LOT_ID, 5, T0, ends_at=END),))
    early = refusal(start_auction, snap, T0 - timedelta(seconds=1))
    assert (early.code, early.details) == (ErrorCode.LOT_NOT_LIVE, {"starts_at": T0.isoformat()})
    live = refusal(start_auction, make_snapshot(), T0)
    assert (live.code, live.details) == (ErrorCode.LOT_TRANSITION_NOT_ALLOWED, {"status": "live", "action": "start"})


def test_a_live_lot_closes_at_its_end_and_not_a_second_before() -> None:
    decisions = run_bids([(1, g(0), None), (2, g(2), None)])
    snap = decisions[-1].snapshot
    closed = close_auction(snap, END)
    assert closed == LifecycleDecision(
        LotStatus.SOLD,
        snap.seq + 1,
        (LotClosed(LOT_ID, snap.seq + 1, END, status="sold", final_price=g(2), winner_alias=ALIASES[2]),),
        2,
        g(2),
    )
    early = refusal(close_auction, snap, END - timedelta(seconds=1))
    assert (early.code, early.details) == (ErrorCode.LOT_TRANSITION_NOT_ALLOWED, {"ends_at": END.isoformat()})


def test_an_extended_lot_closes_at_its_effective_end() -> None:
    late = END - timedelta(seconds=30)
    extended = run_bids([(1, g(0), None)], at=late)[-1].snapshot
    assert extended.ends_at == late + timedelta(seconds=300)
    assert close_auction(extended, extended.ends_at).status is LotStatus.SOLD
    assert refusal(close_auction, extended, END).details == {"ends_at": extended.ends_at.isoformat()}


def test_a_lot_without_bids_or_below_its_reserve_closes_unsold_without_a_winner() -> None:
    nobody = close_auction(replace(make_snapshot(), seq=1), END)
    assert nobody == LifecycleDecision(
        LotStatus.UNSOLD, 2, (LotClosed(LOT_ID, 2, END, status="unsold", final_price=None, winner_alias=None),)
    )
    reserve = make_snapshot(make_rules(reserve_price=g(3)))
    below = run_bids([(1, g(0), None), (2, g(2), None)], reserve)[-1].snapshot
    assert close_auction(below, END).status is LotStatus.UNSOLD
    assert close_auction(below, END).winner_id is None and close_auction(below, END).final_price is None
    at_reserve = run_bids([(1, g(0), None), (2, g(3), None)], reserve)[-1].snapshot
    assert close_auction(at_reserve, END).final_price == g(3)  # the reserve met exactly is a sale


def test_only_a_live_lot_closes() -> None:
    scheduled = make_snapshot(status=LotStatus.SCHEDULED)
    error = refusal(close_auction, scheduled, END + timedelta(days=1))
    assert (error.code, error.details) == (
        ErrorCode.LOT_TRANSITION_NOT_ALLOWED,
        {"status": "scheduled", "action": "close_unsold"},
    )


# ---- cancelling -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [LotStatus.SCHEDULED, LotStatus.LIVE])
@pytest.mark.parametrize(("actor", "staff"), [(SELLER_ID, False), (1234, True), (SELLER_ID, True)])
def test_the_seller_or_staff_cancel_a_scheduled_or_live_lot(status: LotStatus, actor: int, staff: bool) -> None:
    snap = replace(make_snapshot(status=status), seq=6)
    decision = cancel_auction(snap, actor_id=actor, actor_is_staff=staff, reason="鉴定存疑 doubtful", now=NOW)
    assert decision == LifecycleDecision(
        LotStatus.CANCELLED, 7, (LotCancelled(LOT_ID, 7, NOW, reason="鉴定存疑 doubtful"),)
    )


def test_nobody_else_cancels_and_an_ended_lot_cannot_be_cancelled() -> None:
    error = refusal(cancel_auction, make_snapshot(), actor_id=1, actor_is_staff=False, reason="", now=NOW)
    assert (error.code, error.details) == (ErrorCode.STAFF_ONLY, {})
    sold = make_snapshot(status=LotStatus.SOLD)
    ended = refusal(cancel_auction, sold, actor_id=SELLER_ID, actor_is_staff=False, reason="", now=NOW)
    assert (ended.code, ended.details) == (ErrorCode.LOT_TRANSITION_NOT_ALLOWED, {"status": "sold", "action": "cancel"})


# ---- deposits -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [LotStatus.SCHEDULED, LotStatus.LIVE])
def test_a_deposit_is_taken_while_a_lot_is_published_until_its_end(status: LotStatus) -> None:
    may_pay_deposit(status, END, END - timedelta(seconds=1), is_seller=False, is_staff=False)
    at_end = refusal(may_pay_deposit, status, END, END, is_seller=False, is_staff=False)
    assert (at_end.code, at_end.details) == (ErrorCode.DEPOSIT_NOT_OPEN, {"status": status.value})


CLOSED_TO_DEPOSITS = [s for s in LotStatus if s not in (LotStatus.SCHEDULED, LotStatus.LIVE, LotStatus.SUSPENDED)]


@pytest.mark.parametrize("status", CLOSED_TO_DEPOSITS)
def test_no_deposit_on_a_lot_not_published_or_ended_even_before_its_end(status: LotStatus) -> None:
    error = refusal(may_pay_deposit, status, END, NOW, is_seller=False, is_staff=False)
    assert (error.code, error.details) == (ErrorCode.DEPOSIT_NOT_OPEN, {"status": status.value})


def test_no_deposit_while_a_lot_is_suspended() -> None:
    error = refusal(may_pay_deposit, LotStatus.SUSPENDED, END, NOW, is_seller=False, is_staff=False)
    assert error.code is ErrorCode.LOT_SUSPENDED


@pytest.mark.parametrize(
    ("seller", "staff", "code"),
    [
        (True, False, ErrorCode.BIDDER_NOT_ALLOWED),
        (False, True, ErrorCode.STAFF_NOT_BIDDER),  # staff are not bidders (RULES §1)
        (True, True, ErrorCode.STAFF_NOT_BIDDER),
    ],
)
def test_the_seller_and_staff_pay_no_deposit(seller: bool, staff: bool, code: ErrorCode) -> None:
    error = refusal(may_pay_deposit, LotStatus.LIVE, END, NOW, is_seller=seller, is_staff=staff)
    assert (error.code, error.details) == (code, {})


def test_a_judicial_deposit_needs_a_verified_real_name() -> None:
    error = refusal(may_pay_deposit, LotStatus.LIVE, END, NOW, is_seller=False, is_staff=False, is_judicial=True)
    assert (error.code, error.details) == (ErrorCode.REAL_NAME_REQUIRED, {})
    with pytest.raises(DomainError) as unaccepted:  # verified, the notice not yet accepted (RULES §7)
        may_pay_deposit(
            LotStatus.LIVE, END, NOW, is_seller=False, is_staff=False, is_judicial=True, real_name_verified=True
        )
    assert unaccepted.value.code is ErrorCode.NOTICE_NOT_ACCEPTED
    may_pay_deposit(
        LotStatus.LIVE,
        END,
        NOW,
        is_seller=False,
        is_staff=False,
        is_judicial=True,
        real_name_verified=True,
        notice_accepted=True,
    )
    may_pay_deposit(LotStatus.LIVE, END, NOW, is_seller=False, is_staff=False, real_name_verified=False)


@pytest.mark.parametrize(
    ("frozen", "paid"), [(None, False), (0, False), (19_999, False), (20_000, True), (20_001, True)]
)
def test_a_deposit_counts_only_while_whole(frozen: int | None, paid: bool) -> None:
    assert paid_in_full(frozen, 20_000) is paid


def test_at_close_every_deposit_but_the_winners_is_released() -> None:
    held = [HeldDeposit(1, 20_000), HeldDeposit(2, 20_000), HeldDeposit(3, 18_500)]
    assert settle_at_close(held, 2) == ([HeldDeposit(1, 20_000), HeldDeposit(3, 18_500)], HeldDeposit(2, 20_000))
    assert settle_at_close(held, None) == (held, None)
    assert settle_at_close([], 2) == ([], None)


# ---- event payloads (what the record hashes and live clients receive) ------------------------------


def test_event_payloads_carry_every_field_with_times_in_iso_utc() -> None:
    assert LotStarted(7, 1, T0, ends_at=END).payload() == {
        "lot_id": 7,
        "seq": 1,
        "at": "2025-03-01T02:00:00+00:00",
        "ends_at": "2025-03-01T03:00:00+00:00",
        "type": "LotStarted",
    }
    placed = BidPlaced(7, 2, T0, alias="A3F9", amount=100, is_proxy=True, current_price=100, leader_alias="A3F9",
                       ends_at=END, bid_count=1)  # fmt: skip
    assert placed.payload() == {
        "lot_id": 7,
        "seq": 2,
        "at": "2025-03-01T02:00:00+00:00",
        "alias": "A3F9",
        "amount": 100,
        "is_proxy": True,
        "current_price": 100,
        "leader_alias": "A3F9",
        "ends_at": "2025-03-01T03:00:00+00:00",
        "bid_count": 1,
        "type": "BidPlaced",
    }
    assert AuctionExtended(7, 3, T0, ends_at=END, extensions=2).payload()["extensions"] == 2
    assert LotClosed(7, 4, END, status="unsold", final_price=None, winner_alias=None).payload() == {
        "lot_id": 7,
        "seq": 4,
        "at": "2025-03-01T03:00:00+00:00",
        "status": "unsold",
        "final_price": None,
        "winner_alias": None,
        "type": "LotClosed",
    }
    withdrawn = BidWithdrawn(7, 5, T0, alias="B7C2", scope="bid", withdrawn_seqs=(2, 3), voided_seqs=(),
                             current_price=None, leader_alias=None, bid_count=0)  # fmt: skip
    assert withdrawn.payload()["withdrawn_seqs"] == (2, 3)
    assert withdrawn.type == "BidWithdrawn"

"""Second-chance offers (RULES §6) to the field: the runner-up, who may offer and when (codes and
details), and an offer's whole life: made, accepted, declined, expired."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from test_orders_decisions import AWAITING, BUYER, DEPOSIT, HOUR, SELLER, T0, P, S, refused

from paimai.domain import second_chance as sc
from paimai.domain.errors import ErrorCode
from paimai.domain.orders import Order
from paimai.domain.rules import LotKind

DEFAULTED = replace(
    AWAITING, status=S.DEFAULTED, penalty=DEPOSIT, finished_at=AWAITING.pay_deadline, buyer_defaulted=True
)


def test_the_runner_up_is_the_highest_then_the_earliest() -> None:
    highs = [sc.BidderHigh(BUYER, 150_000, 9), sc.BidderHigh(5, 140_000, 8), sc.BidderHigh(6, 140_000, 6),
             sc.BidderHigh(8, 90_000, 2)]  # fmt: skip
    assert sc.runner_up(highs, excluded={BUYER}) == sc.BidderHigh(6, 140_000, 6)
    assert sc.runner_up(highs, excluded={BUYER, 6}) == sc.BidderHigh(5, 140_000, 8)
    assert sc.runner_up(highs, excluded={BUYER, 5, 6}) == sc.BidderHigh(8, 90_000, 2)
    assert sc.runner_up(highs, excluded={BUYER, 5, 6, 8}) is None


def test_an_offer_is_made_to_the_runner_up_for_48_hours() -> None:
    at = DEFAULTED.pay_deadline + HOUR
    sc.check_may_offer(DEFAULTED, SELLER, lot_has_open_order=False, lot_has_pending_offer=False)
    offer = sc.make_offer(offer_id=3, order=DEFAULTED, candidate=sc.BidderHigh(5, 140_000, 8), now=at, platform=P)
    assert offer == sc.Offer(3, 7, 11, 5, 140_000, sc.OfferStatus.PENDING, at, at + timedelta(hours=48))
    nobody = refused(sc.make_offer, offer_id=3, order=DEFAULTED, candidate=None, now=at, platform=P)
    assert (nobody.code, nobody.details) == (ErrorCode.NO_RUNNER_UP, {"lot_id": 7})


@pytest.mark.parametrize(
    ("order", "actor", "open_order", "pending", "code", "details"),
    [
        (DEFAULTED, BUYER, False, False, ErrorCode.NOT_ORDER_SELLER, {"action": "second_chance"}),
        (replace(DEFAULTED, kind=LotKind.JUDICIAL), SELLER, False, False, ErrorCode.JUDICIAL_SALE_BINDING,
         {"action": "second_chance"}),
        (AWAITING, SELLER, False, False, ErrorCode.SECOND_CHANCE_NOT_AVAILABLE, {"status": "awaiting_payment"}),
        (replace(DEFAULTED, buyer_defaulted=False), SELLER, False, False, ErrorCode.SECOND_CHANCE_NOT_AVAILABLE,
         {"status": "defaulted"}),
        (DEFAULTED, SELLER, True, False, ErrorCode.SECOND_CHANCE_NOT_AVAILABLE,
         {"reason": "the lot has an open order or offer"}),
        (DEFAULTED, SELLER, False, True, ErrorCode.SECOND_CHANCE_NOT_AVAILABLE,
         {"reason": "the lot has an open order or offer"}),
    ],
)  # fmt: skip
def test_who_may_offer_and_when(
    order: Order, actor: int, open_order: bool, pending: bool, code: ErrorCode, details: dict[str, str]
) -> None:
    error = refused(sc.check_may_offer, order, actor, lot_has_open_order=open_order, lot_has_pending_offer=pending)
    assert (error.code, error.details) == (code, details)


def test_the_runner_up_accepts_or_declines_before_the_offer_lapses() -> None:
    at = T0 + timedelta(days=4)
    offer = sc.Offer(3, 7, 11, 5, 140_000, sc.OfferStatus.PENDING, at, at + timedelta(hours=48))
    soon = at + HOUR
    assert sc.accept(offer, 5, soon) == replace(offer, status=sc.OfferStatus.ACCEPTED, decided_at=soon)
    assert sc.decline(offer, 5, soon) == replace(offer, status=sc.OfferStatus.DECLINED, decided_at=soon)
    for act in (sc.accept, sc.decline):
        other = refused(act, offer, 6, soon)
        assert (other.code, other.details) == (ErrorCode.NOT_OFFER_RECIPIENT, {})
        lapsed = refused(act, offer, 5, offer.expires_at)
        assert (lapsed.code, lapsed.details) == (ErrorCode.OFFER_EXPIRED, {"expires_at": offer.expires_at.isoformat()})
        done = refused(act, replace(offer, status=sc.OfferStatus.DECLINED), 5, soon)
        assert (done.code, done.details) == (ErrorCode.OFFER_NOT_PENDING, {"status": "declined"})
    assert sc.expire(offer, offer.expires_at - timedelta(seconds=1)) is None
    assert sc.expire(offer, offer.expires_at) == replace(
        offer, status=sc.OfferStatus.EXPIRED, decided_at=offer.expires_at
    )
    assert sc.expire(replace(offer, status=sc.OfferStatus.ACCEPTED), offer.expires_at) is None

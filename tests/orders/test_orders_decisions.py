"""Every order step's whole decision, written out by hand: the next order, the money (each posting), the
notices (who hears what), what becomes of the deposit, and the details a refusal carries.

Memos are text for people: they are only required to be there; everything else is compared whole.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from paimai.domain import orders as od
from paimai.domain.deposits import DepositStatus
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.ledger import EntryKind, JournalEntry, Posting, available, frozen
from paimai.domain.notices import Notice, NoticeKind
from paimai.domain.orders import (
    A,
    CloseReason,
    Fault,
    Order,
    OrderDecision,
    OrderStatus,
    RefundReason,
    Role,
    escrow,
)
from paimai.domain.rules import LotKind, PlatformRules

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
P = PlatformRules(commission_percent=3)
S = OrderStatus
BUYER, SELLER, STAFF, STRANGER = 1, 2, 3, 4
PRICE, DEPOSIT = 150_000, 20_000
HOUR = timedelta(hours=1)

AWAITING = Order(
    id=11,
    lot_id=7,
    buyer_id=BUYER,
    seller_id=SELLER,
    kind=LotKind.COMMERCIAL,
    price=PRICE,
    deposit=DEPOSIT,
    status=S.AWAITING_PAYMENT,
    created_at=T0,
    pay_deadline=T0 + timedelta(hours=72),
    remind_at=T0 + timedelta(hours=48),  # the reminder, 24 h before the deadline
)
PAID_AT = T0 + HOUR
PAID = replace(AWAITING, status=S.PAID, paid_at=PAID_AT, ship_deadline=PAID_AT + timedelta(days=7))
SHIPPED_AT = PAID_AT + timedelta(days=1)
SHIPPED = replace(
    PAID,
    status=S.SHIPPED,
    shipped_at=SHIPPED_AT,
    carrier="顺丰速运",
    tracking_no="SF1234567890",
    auto_confirm_at=SHIPPED_AT + timedelta(days=10),
)
LATER = SHIPPED_AT + timedelta(days=2)


def entry(kind: EntryKind, *postings: tuple[object, int]) -> JournalEntry:
    return JournalEntry(kind, tuple(Posting(account, amount) for account, amount in postings), "", 7)  # type: ignore[arg-type]


def same(decision: OrderDecision, expected: OrderDecision) -> None:
    """Equal in everything but the memos, which must be there (their wording is the catalogue's)."""
    for made in decision.entries:
        assert made.memo
    assert replace(decision, entries=tuple(replace(e, memo="") for e in decision.entries)) == expected


def refused(call: object, *args: object, **kwargs: object) -> DomainError:
    assert callable(call)
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    return info.value


# ---- creation -------------------------------------------------------------------------------------


def test_a_new_order() -> None:
    made = od.new_order(
        order_id=11,
        lot_id=7,
        buyer_id=BUYER,
        seller_id=SELLER,
        kind=LotKind.COMMERCIAL,
        price=PRICE,
        deposit=DEPOSIT,
        now=T0,
        platform=P,
    )
    assert made == AWAITING
    judicial = od.new_order(order_id=11, lot_id=7, buyer_id=BUYER, seller_id=SELLER, kind=LotKind.JUDICIAL,
                            price=PRICE, deposit=0, now=T0, platform=P)  # fmt: skip
    assert (judicial.pay_deadline, judicial.deposit) == (T0 + timedelta(days=10), 0)
    assert od.opening_notices(AWAITING) == (Notice(BUYER, NoticeKind.ORDER_WON), Notice(SELLER, NoticeKind.ORDER_SOLD))


@pytest.mark.parametrize(("price", "deposit", "bad"), [(0, 0, 0), (-1, 0, -1), (1, -1, -1)])
def test_a_new_order_needs_a_positive_price_and_no_negative_deposit(price: int, deposit: int, bad: int) -> None:
    error = refused(od.new_order, order_id=11, lot_id=7, buyer_id=BUYER, seller_id=SELLER, kind=LotKind.COMMERCIAL,
                    price=price, deposit=deposit, now=T0, platform=P)  # fmt: skip
    assert (error.code, error.details) == (ErrorCode.AMOUNT_NOT_POSITIVE, {"amount": bad})
    assert od.new_order(order_id=1, lot_id=7, buyer_id=1, seller_id=2, kind=LotKind.COMMERCIAL, price=1, deposit=0,
                        now=T0, platform=P).price == 1  # fmt: skip


def test_deadlines_and_the_reminder() -> None:
    platform = PlatformRules(payment_deadline_hours=12, judicial_payment_days=3, payment_reminder_hours=24)
    assert od.payment_deadline(LotKind.COMMERCIAL, T0, platform) == T0 + timedelta(hours=12)
    assert od.payment_deadline(LotKind.JUDICIAL, T0, platform) == T0 + timedelta(days=3)
    assert od.reminder_at(AWAITING, platform) == T0 + timedelta(hours=48)
    assert od.reminder_at(replace(AWAITING, pay_deadline=T0 + timedelta(hours=12)), platform) == T0


# ---- paying ---------------------------------------------------------------------------------------


def test_paying_moves_the_balance_and_the_deposit_into_escrow() -> None:
    same(
        od.pay(AWAITING, BUYER, PAID_AT, P),
        OrderDecision(
            PAID,
            A.PAY,
            (
                entry(
                    EntryKind.ORDER_PAYMENT, (available(BUYER), -130_000), (frozen(BUYER), -20_000), (escrow(11), PRICE)
                ),
            ),
            (Notice(SELLER, NoticeKind.ORDER_PAID),),
            deposit_status=DepositStatus.APPLIED,
        ),
    )


def test_a_deposit_above_the_price_pays_it_and_the_rest_is_released() -> None:
    cheap = replace(AWAITING, price=10_000)
    decision = od.pay(cheap, None, PAID_AT, P, system=True)
    same(
        decision,
        OrderDecision(
            replace(cheap, status=S.PAID, paid_at=PAID_AT, ship_deadline=PAID_AT + timedelta(days=7)),
            A.PAY,
            (
                entry(EntryKind.ORDER_PAYMENT, (frozen(BUYER), -10_000), (escrow(11), 10_000)),
                entry(EntryKind.DEPOSIT_RELEASE, (frozen(BUYER), -10_000), (available(BUYER), 10_000)),
            ),
            (Notice(SELLER, NoticeKind.ORDER_PAID),),
            deposit_status=DepositStatus.APPLIED,
        ),
    )


def test_an_order_without_a_deposit_is_paid_from_the_wallet_alone() -> None:
    second = replace(AWAITING, deposit=0)
    decision = od.pay(second, BUYER, PAID_AT, P)
    assert decision.deposit_status is None
    assert [replace(e, memo="") for e in decision.entries] == [
        entry(EntryKind.ORDER_PAYMENT, (available(BUYER), -PRICE), (escrow(11), PRICE))
    ]


def test_the_platform_pays_only_an_order_with_nothing_due() -> None:
    error = refused(od.pay, AWAITING, None, PAID_AT, P, system=True)
    assert (error.code, error.details) == (
        ErrorCode.ORDER_TRANSITION_NOT_ALLOWED,
        {"status": "awaiting_payment", "action": "auto_pay"},
    )


def test_paying_is_refused_to_others_at_the_deadline_and_when_paid() -> None:
    other = refused(od.pay, AWAITING, STRANGER, PAID_AT, P)
    assert (other.code, other.details) == (ErrorCode.NOT_ORDER_BUYER, {"action": "pay"})
    late = refused(od.pay, AWAITING, BUYER, AWAITING.pay_deadline, P)
    assert (late.code, late.details) == (
        ErrorCode.PAYMENT_DEADLINE_PASSED,
        {"pay_deadline": AWAITING.pay_deadline.isoformat(), "now": AWAITING.pay_deadline.isoformat()},
    )
    twice = refused(od.pay, PAID, BUYER, PAID_AT, P)
    assert (twice.code, twice.details) == (ErrorCode.ORDER_TRANSITION_NOT_ALLOWED, {"status": "paid", "action": "pay"})


# ---- close by agreement ---------------------------------------------------------------------------


def test_asking_to_close() -> None:
    asked = replace(AWAITING, status=S.CLOSE_REQUESTED, close_reason=CloseReason.FUNDS, close_requests=1)
    same(
        od.request_close(AWAITING, BUYER, CloseReason.FUNDS, PAID_AT),
        OrderDecision(
            asked,
            A.REQUEST_CLOSE,
            notices=(Notice(SELLER, NoticeKind.CLOSE_REQUESTED),),
            detail={"reason": "funds"},
        ),
    )
    declined = replace(asked, status=S.AWAITING_PAYMENT)
    same(
        od.decline_close(asked, SELLER, PAID_AT),
        OrderDecision(declined, A.DECLINE_CLOSE, notices=(Notice(BUYER, NoticeKind.CLOSE_DECLINED),)),
    )
    again = refused(od.request_close, declined, BUYER, CloseReason.FUNDS, PAID_AT)
    assert (again.code, again.details) == (ErrorCode.CLOSE_REQUEST_ALREADY_MADE, {})


def test_an_accepted_close_releases_the_deposit() -> None:
    asked = replace(AWAITING, status=S.CLOSE_REQUESTED, close_reason=CloseReason.FUNDS, close_requests=1)
    same(
        od.accept_close(asked, SELLER, PAID_AT),
        OrderDecision(
            replace(asked, status=S.CLOSED, finished_at=PAID_AT),
            A.ACCEPT_CLOSE,
            (entry(EntryKind.DEPOSIT_RELEASE, (frozen(BUYER), -DEPOSIT), (available(BUYER), DEPOSIT)),),
            (Notice(BUYER, NoticeKind.CLOSE_ACCEPTED),),
            deposit_status=DepositStatus.RELEASED,
        ),
    )
    without = od.accept_close(replace(asked, deposit=0), SELLER, PAID_AT)
    assert (without.entries, without.deposit_status) == ((), None)


# ---- default --------------------------------------------------------------------------------------


def test_a_default_pays_the_deposit_to_the_seller() -> None:
    at = AWAITING.pay_deadline
    same(
        od.default(AWAITING, at),
        OrderDecision(
            replace(AWAITING, status=S.DEFAULTED, penalty=DEPOSIT, finished_at=at, buyer_defaulted=True),
            A.DEFAULT,
            (entry(EntryKind.PENALTY, (frozen(BUYER), -DEPOSIT), (available(SELLER), DEPOSIT)),),
            (Notice(BUYER, NoticeKind.ORDER_DEFAULTED), Notice(SELLER, NoticeKind.ORDER_DEFAULTED)),
            deposit_status=DepositStatus.FORFEITED,
            buyer_default=True,
        ),
    )


def test_a_penalty_is_never_more_than_the_price_and_a_missing_deposit_moves_nothing() -> None:
    at = AWAITING.pay_deadline
    cheap = od.default(replace(AWAITING, price=12_345), at)
    assert [replace(e, memo="") for e in cheap.entries] == [
        entry(EntryKind.PENALTY, (frozen(BUYER), -DEPOSIT), (available(SELLER), 12_345), (available(BUYER), 7_655))
    ]
    none = od.default(replace(AWAITING, deposit=0), at)
    assert (none.entries, none.deposit_status, none.order.penalty) == ((), None, 0)


def test_no_default_before_the_deadline() -> None:
    error = refused(od.default, AWAITING, AWAITING.pay_deadline - timedelta(seconds=1))
    assert (error.code, error.details) == (
        ErrorCode.PAYMENT_DEADLINE_NOT_REACHED,
        {"pay_deadline": AWAITING.pay_deadline.isoformat()},
    )


# ---- shipping and receipt -------------------------------------------------------------------------


def test_shipping_with_the_details_trimmed() -> None:
    at = PAID_AT + timedelta(days=1)
    same(
        od.ship(PAID, SELLER, "  顺丰速运 ", " SF1234567890 ", at, P),
        OrderDecision(SHIPPED, A.SHIP, notices=(Notice(BUYER, NoticeKind.ORDER_SHIPPED),)),
    )
    longest = od.ship(PAID, SELLER, "快" * 64, "ABCD", at, P)
    assert (longest.order.carrier, longest.order.tracking_no) == ("快" * 64, "ABCD")


@pytest.mark.parametrize(
    ("carrier", "tracking"),
    [("", "SF1234567890"), ("快" * 65, "SF1234567890"), ("顺丰", "ABC"), ("顺丰", "-ABCD"), ("顺丰", "A" * 41)],
)
def test_bad_shipping_details_are_refused_with_them(carrier: str, tracking: str) -> None:
    error = refused(od.ship, PAID, SELLER, carrier, tracking, PAID_AT, P)
    assert (error.code, error.details) == (
        ErrorCode.SHIPPING_INFO_INVALID,
        {"carrier": carrier, "tracking_no": tracking},
    )


def test_shipping_after_the_shipping_period_is_refused() -> None:
    assert PAID.ship_deadline is not None
    error = refused(od.ship, PAID, SELLER, "顺丰", "SF1234567890", PAID.ship_deadline, P)
    assert (error.code, error.details) == (
        ErrorCode.SHIPPING_PERIOD_OVER,
        {"ship_deadline": PAID.ship_deadline.isoformat()},
    )
    other = refused(od.ship, PAID, BUYER, "顺丰", "SF1234567890", PAID_AT, P)
    assert (other.code, other.details) == (ErrorCode.NOT_ORDER_SELLER, {"action": "ship"})


def completed(order: Order, at: datetime, commission: int, action: od.OrderAction) -> OrderDecision:
    postings: list[tuple[object, int]] = [(escrow(11), -PRICE), (available(SELLER), PRICE - commission)]
    if commission:
        postings.append((od.PLATFORM_REVENUE, commission))
    return OrderDecision(
        replace(order, status=S.COMPLETED, commission=commission, finished_at=at),
        action,
        (entry(EntryKind.ESCROW_RELEASE, *postings),),
        (Notice(BUYER, NoticeKind.ORDER_COMPLETED), Notice(SELLER, NoticeKind.ORDER_COMPLETED)),
    )


def test_receipt_auto_confirmation_and_staff_release_pay_the_seller() -> None:
    same(od.confirm_receipt(SHIPPED, BUYER, LATER, P), completed(SHIPPED, LATER, 4_500, A.CONFIRM_RECEIPT))
    assert SHIPPED.auto_confirm_at is not None
    at = SHIPPED.auto_confirm_at
    same(od.auto_confirm(SHIPPED, at, P), completed(SHIPPED, at, 4_500, A.AUTO_CONFIRM))
    early = refused(od.auto_confirm, SHIPPED, at - timedelta(seconds=1), P)
    assert (early.code, early.details) == (ErrorCode.ORDER_NOT_DUE, {"action": "auto_confirm"})
    disputed = replace(SHIPPED, status=S.DISPUTED, refund_reason=RefundReason.NOT_AS_DESCRIBED)
    same(od.staff_release(disputed, STAFF, True, LATER, P), completed(disputed, LATER, 4_500, A.STAFF_RELEASE))
    judicial = replace(SHIPPED, kind=LotKind.JUDICIAL)
    same(od.confirm_receipt(judicial, BUYER, LATER, P), completed(judicial, LATER, 0, A.CONFIRM_RECEIPT))
    not_staff = refused(od.staff_release, disputed, STAFF, False, LATER, P)
    assert (not_staff.code, not_staff.details) == (ErrorCode.STAFF_ONLY, {"action": "staff_release"})


# ---- refunds --------------------------------------------------------------------------------------


def refunded(order: Order, at: datetime, fault: Fault, action: od.OrderAction, **detail: str) -> OrderDecision:
    penalty = min(order.deposit, order.price) if fault is Fault.BUYER else 0
    postings: list[tuple[object, int]] = [(escrow(11), -order.price), (available(BUYER), order.price - penalty)]
    if penalty:
        postings.append((available(SELLER), penalty))
    return OrderDecision(
        replace(
            order,
            status=S.REFUNDED,
            penalty=penalty,
            finished_at=at,
            buyer_defaulted=order.buyer_defaulted or fault is Fault.BUYER,
        ),
        action,
        (entry(EntryKind.REFUND, *postings),),
        (Notice(BUYER, NoticeKind.REFUND_DONE), Notice(SELLER, NoticeKind.REFUND_DONE)),
        buyer_default=fault is Fault.BUYER,
        detail={"fault": fault.value, **detail},
    )


def test_a_refund_for_the_buyers_own_reason_before_shipping_is_immediate_less_the_penalty() -> None:
    decision = od.request_refund(PAID, BUYER, RefundReason.CHANGED_MIND, LATER)
    expected = refunded(
        replace(PAID, refund_reason=RefundReason.CHANGED_MIND), LATER, Fault.BUYER, A.REQUEST_REFUND,
        reason="changed_mind",
    )  # fmt: skip
    same(decision, expected)
    assert [replace(e, memo="") for e in decision.entries] == [
        entry(EntryKind.REFUND, (escrow(11), -PRICE), (available(BUYER), 130_000), (available(SELLER), DEPOSIT))
    ]
    wrong = refused(od.request_refund, PAID, BUYER, RefundReason.NOT_AS_DESCRIBED, LATER)
    assert (wrong.code, wrong.details) == (
        ErrorCode.REFUND_REASON_NOT_APPLICABLE,
        {"reason": "not_as_described", "status": "paid"},
    )


def test_a_refund_request_after_shipping_waits_for_the_seller() -> None:
    asked = replace(SHIPPED, status=S.REFUND_REQUESTED, refund_reason=RefundReason.NOT_AS_DESCRIBED)
    same(
        od.request_refund(SHIPPED, BUYER, RefundReason.NOT_AS_DESCRIBED, LATER),
        OrderDecision(
            asked,
            A.REQUEST_REFUND,
            notices=(Notice(SELLER, NoticeKind.REFUND_REQUESTED),),
            detail={"reason": "not_as_described"},
        ),
    )
    same(od.accept_refund(asked, SELLER, LATER), refunded(asked, LATER, Fault.SELLER, A.ACCEPT_REFUND))
    own = replace(asked, refund_reason=RefundReason.OTHER)
    same(od.accept_refund(own, SELLER, LATER), refunded(own, LATER, Fault.BUYER, A.ACCEPT_REFUND))
    same(
        od.decline_refund(asked, SELLER, LATER),
        OrderDecision(
            replace(asked, status=S.DISPUTED), A.DECLINE_REFUND, notices=(Notice(BUYER, NoticeKind.REFUND_DECLINED),)
        ),
    )
    judicial = refused(
        od.request_refund, replace(SHIPPED, kind=LotKind.JUDICIAL), BUYER, RefundReason.NOT_AS_DESCRIBED, LATER
    )
    assert (judicial.code, judicial.details) == (ErrorCode.JUDICIAL_SALE_BINDING, {"reason": "not_as_described"})


def test_a_seller_fault_refund_keeps_an_earlier_default_on_the_order() -> None:
    asked = replace(
        SHIPPED, status=S.REFUND_REQUESTED, refund_reason=RefundReason.NOT_AS_DESCRIBED, buyer_defaulted=True
    )
    decision = od.accept_refund(asked, SELLER, LATER)
    assert decision.order.buyer_defaulted is True and decision.buyer_default is False


def test_staff_refunds_undeliverable_goods_and_an_overdue_shipment() -> None:
    disputed = replace(SHIPPED, status=S.DISPUTED, refund_reason=RefundReason.NOT_AS_DESCRIBED)
    same(
        od.staff_refund(disputed, STAFF, True, Fault.SELLER, LATER),
        refunded(disputed, LATER, Fault.SELLER, A.STAFF_REFUND),
    )
    same(
        od.staff_refund(disputed, STAFF, True, Fault.BUYER, LATER),
        refunded(disputed, LATER, Fault.BUYER, A.STAFF_REFUND),
    )
    not_staff = refused(od.staff_refund, disputed, SELLER, False, Fault.SELLER, LATER)
    assert (not_staff.code, not_staff.details) == (ErrorCode.STAFF_ONLY, {"action": "staff_refund"})
    same(od.report_undeliverable(PAID, SELLER, LATER), refunded(PAID, LATER, Fault.BUYER, A.REPORT_UNDELIVERABLE))
    assert PAID.ship_deadline is not None
    due = PAID.ship_deadline
    same(od.shipping_overdue(PAID, due), refunded(PAID, due, Fault.SELLER, A.SHIPPING_OVERDUE))
    early = refused(od.shipping_overdue, PAID, due - timedelta(seconds=1))
    assert (early.code, early.details) == (ErrorCode.ORDER_NOT_DUE, {"action": "shipping_overdue"})
    never = refused(od.shipping_overdue, replace(PAID, ship_deadline=None), due)
    assert never.code is ErrorCode.ORDER_NOT_DUE
    buyer = refused(od.request_refund, PAID, SELLER, RefundReason.OTHER, LATER)
    assert (buyer.code, buyer.details) == (ErrorCode.NOT_ORDER_BUYER, {"action": "request_refund"})


# ---- the seller refuses to sell -------------------------------------------------------------------


def test_refusing_an_unpaid_order_releases_the_deposit_and_compensates_the_buyer() -> None:
    same(
        od.refuse_to_sell(AWAITING, SELLER, PAID_AT),
        OrderDecision(
            replace(AWAITING, status=S.SELLER_REFUSED, compensation=DEPOSIT, finished_at=PAID_AT),
            A.REFUSE_TO_SELL,
            (
                entry(EntryKind.DEPOSIT_RELEASE, (frozen(BUYER), -DEPOSIT), (available(BUYER), DEPOSIT)),
                entry(EntryKind.COMPENSATION, (available(SELLER), -DEPOSIT), (available(BUYER), DEPOSIT)),
            ),
            (Notice(BUYER, NoticeKind.SELLER_REFUSED),),
            deposit_status=DepositStatus.RELEASED,
        ),
    )
    no_deposit = od.refuse_to_sell(replace(AWAITING, deposit=0), SELLER, PAID_AT)
    assert (no_deposit.entries, no_deposit.deposit_status) == ((), None)


def test_refusing_a_paid_order_refunds_the_price_and_compensates_the_buyer() -> None:
    same(
        od.refuse_to_sell(PAID, SELLER, LATER),
        OrderDecision(
            replace(PAID, status=S.SELLER_REFUSED, compensation=DEPOSIT, finished_at=LATER),
            A.REFUSE_TO_SELL,
            (
                entry(EntryKind.REFUND, (escrow(11), -PRICE), (available(BUYER), PRICE)),
                entry(EntryKind.COMPENSATION, (available(SELLER), -DEPOSIT), (available(BUYER), DEPOSIT)),
            ),
            (Notice(BUYER, NoticeKind.SELLER_REFUSED),),
            deposit_status=None,
        ),
    )


# ---- what each party may do now -------------------------------------------------------------------


def test_the_buttons_each_party_sees() -> None:
    now = PAID_AT
    assert od.allowed_actions(AWAITING, Role.BUYER, now) == [A.PAY, A.REQUEST_CLOSE]
    assert od.allowed_actions(replace(AWAITING, close_requests=1), Role.BUYER, now) == [A.PAY]
    assert od.allowed_actions(replace(AWAITING, kind=LotKind.JUDICIAL), Role.BUYER, now) == [A.PAY]
    assert od.allowed_actions(AWAITING, Role.BUYER, AWAITING.pay_deadline) == []
    assert od.allowed_actions(AWAITING, Role.SELLER, now) == [A.REFUSE_TO_SELL]
    assert od.allowed_actions(AWAITING, Role.SYSTEM, now) == [A.DEFAULT]
    assert od.allowed_actions(PAID, Role.SELLER, now) == [A.SHIP, A.REPORT_UNDELIVERABLE, A.REFUSE_TO_SELL]
    assert PAID.ship_deadline is not None
    assert od.allowed_actions(PAID, Role.SELLER, PAID.ship_deadline) == [A.REPORT_UNDELIVERABLE, A.REFUSE_TO_SELL]
    assert od.allowed_actions(SHIPPED, Role.BUYER, LATER) == [A.CONFIRM_RECEIPT, A.REQUEST_REFUND]
    assert od.allowed_actions(SHIPPED, Role.STAFF, LATER) == []
    disputed = replace(SHIPPED, status=S.DISPUTED)
    assert od.allowed_actions(disputed, Role.STAFF, LATER) == [A.STAFF_REFUND, A.STAFF_RELEASE]


def test_an_order_transition_refusal_names_the_state_and_the_action() -> None:
    error = refused(od.transition, S.COMPLETED, A.PAY)
    assert (error.code, error.details) == (
        ErrorCode.ORDER_TRANSITION_NOT_ALLOWED,
        {"status": "completed", "action": "pay"},
    )


def test_a_deposit_of_one_fen_still_has_a_fate() -> None:
    """The smallest deposit is a deposit: paying applies it, closing releases it, a default forfeits it."""
    tiny = replace(AWAITING, deposit=1)
    assert od.pay(tiny, BUYER, PAID_AT, P).deposit_status is DepositStatus.APPLIED
    asked = replace(tiny, status=S.CLOSE_REQUESTED, close_requests=1, close_reason=CloseReason.OTHER)
    assert od.accept_close(asked, SELLER, PAID_AT).deposit_status is DepositStatus.RELEASED
    assert od.default(tiny, tiny.pay_deadline).deposit_status is DepositStatus.FORFEITED
    assert od.refuse_to_sell(tiny, SELLER, PAID_AT).deposit_status is DepositStatus.RELEASED

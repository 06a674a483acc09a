"""Hypothesis: random order histories never create, lose or overdraw money (RULES §6, ARCHITECTURE rule 5).

A history starts from a sold lot (the winner's deposit frozen) and applies random steps — any action, by
the right or the wrong party, with random reasons, after random waits — exactly as the services do: a
refused step (DomainError, including the ledger's INSUFFICIENT_FUNDS) changes nothing. After a buyer's
default the seller may make the runner-up a second-chance order. After every step:

- all money is conserved (the postings of every account sum to zero; only the sandbox is negative);
- no user, escrow or platform balance is negative;
- each party's holdings equal what the rules say the finished and open orders leave them with;
- the penalty is never above the deposit or the price;
- escrow holds exactly the price of each paid, unfinished order, and the frozen balance exactly the
  deposits of unpaid ones.

Finally every order is driven to an end, and then escrow and frozen balances are empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st
from order_builders import STAFF, T0, perform

from paimai.domain import orders as od
from paimai.domain.errors import DomainError
from paimai.domain.ledger import SANDBOX, Account, JournalEntry, apply_entry, available, freeze_deposit, frozen, top_up
from paimai.domain.orders import CloseReason, Fault, Order, OrderAction, OrderStatus, RefundReason, escrow
from paimai.domain.rules import LotKind, PlatformRules

BUYER, SELLER, RUNNER, STRANGER = 1, 2, 3, 4
USERS = (BUYER, SELLER, RUNNER)
LOT_ID = 5


@dataclass(frozen=True)
class Step:
    action: OrderAction | None  # None: the seller tries a second-chance offer to the runner-up
    pick: int | None  # mostly: the pick-th step the order's state allows (so histories get far)
    actor: int | None  # None: the party the action belongs to
    wait_hours: int
    close_reason: CloseReason
    refund_reason: RefundReason
    fault: Fault


steps = st.lists(
    st.builds(
        Step,
        action=st.none() | st.sampled_from(list(OrderAction)),
        pick=st.none() | st.integers(0, 5) | st.integers(0, 5) | st.integers(0, 5),
        actor=st.sampled_from([None] * 6 + [BUYER, SELLER, RUNNER, STAFF, STRANGER]),
        wait_hours=st.sampled_from([0, 0, 0, 1, 5, 30, 80, 200]),
        close_reason=st.sampled_from(list(CloseReason)),
        refund_reason=st.sampled_from(list(RefundReason)),
        fault=st.sampled_from(list(Fault)),
    ),
    min_size=4,
    max_size=30,
)


class World:
    def __init__(self, price: int, deposit: int, extra: int, seller_funds: int, runner_bid: int, percent: int) -> None:
        self.platform = PlatformRules(commission_percent=percent)
        self.balances: dict[Account, int] = {}
        self.topped: dict[int, int] = {}
        self.now = T0
        self.runner_bid = runner_bid
        for user, amount in ((BUYER, deposit + extra), (SELLER, seller_funds), (RUNNER, runner_bid + extra)):
            if amount:
                self.post(top_up(user, amount))
            self.topped[user] = amount
        if deposit:
            self.post(freeze_deposit(BUYER, LOT_ID, deposit))
        self.orders: list[Order] = [self.new(1, BUYER, price, deposit)]
        self.offered = False

    def new(self, order_id: int, buyer: int, price: int, deposit: int) -> Order:
        return od.new_order(
            order_id=order_id,
            lot_id=LOT_ID,
            buyer_id=buyer,
            seller_id=SELLER,
            kind=LotKind.COMMERCIAL,
            price=price,
            deposit=deposit,
            now=self.now,
            platform=self.platform,
        )

    def post(self, entry: JournalEntry) -> None:
        self.balances = apply_entry(self.balances, entry)

    def attempt(self, make: object) -> bool:
        """Apply a decision's entries all or nothing, as one database transaction would."""
        try:
            decision = make() if callable(make) else make
            assert isinstance(decision, od.OrderDecision)
            balances = self.balances
            for entry in decision.entries:
                balances = apply_entry(balances, entry)
        except DomainError:
            return False
        self.balances = balances
        self.orders[-1] = decision.order
        return True

    def step(self, step: Step) -> None:
        self.now += timedelta(hours=step.wait_hours)
        order = self.orders[-1]
        action = step.action
        if step.pick is not None:
            possible = [a for (status, a) in od.TRANSITIONS if status is order.status]
            action = possible[step.pick % len(possible)] if possible else None
        if action is None:
            if order.status in od.TERMINAL and order.buyer_defaulted and not self.offered and self.runner_bid:
                self.offered = True
                self.orders.append(self.new(len(self.orders) + 1, RUNNER, self.runner_bid, 0))
            return
        self.attempt(
            lambda: perform(
                order,
                action,
                self.now,
                actor=step.actor,
                close_reason=step.close_reason,
                refund_reason=step.refund_reason,
                fault=step.fault,
                platform=self.platform,
            )
        )

    def finish(self) -> None:
        """Drive the open order to an end the way the scheduler and staff would."""
        for _ in range(6):
            order = self.orders[-1]
            if order.is_finished:
                return
            self.now += timedelta(days=20)
            if order.status is OrderStatus.REFUND_REQUESTED:
                assert self.attempt(od.decline_refund(order, SELLER, self.now))
            elif order.status is OrderStatus.DISPUTED:
                assert self.attempt(od.staff_release(order, STAFF, True, self.now, self.platform))
            else:
                decision = od.run_due(order, self.now, self.platform)
                assert decision is not None
                assert self.attempt(decision)
        raise AssertionError(f"order never finished: {self.orders[-1].status}")

    def holdings(self, user: int) -> int:
        return self.balances.get(available(user), 0) + self.balances.get(frozen(user), 0)

    def check(self) -> None:
        assert sum(self.balances.values()) == 0
        for account, balance in self.balances.items():
            assert balance >= 0 or account == SANDBOX, (account, balance)
        assert self.balances.get(SANDBOX, 0) == -sum(self.topped.values())
        expected = dict(self.topped)
        revenue = 0
        frozen_expected = dict.fromkeys(USERS, 0)
        for order in self.orders:
            assert 0 <= order.penalty <= min(order.deposit, order.price)
            assert order.compensation in (0, order.deposit)
            in_escrow = self.balances.get(escrow(order.id), 0)
            assert in_escrow == (order.price if order.status in od.ESCROWED else 0), (order.status, in_escrow)
            if order.status in od.UNPAID:
                frozen_expected[order.buyer_id] += order.deposit
            buyer_net, seller_net = {
                OrderStatus.COMPLETED: (-order.price, order.price - order.commission),
                OrderStatus.DEFAULTED: (-order.penalty, order.penalty),
                OrderStatus.REFUNDED: (-order.penalty, order.penalty),
                OrderStatus.SELLER_REFUSED: (order.compensation, -order.compensation),
            }.get(order.status, (-order.price if order.status in od.ESCROWED else 0, 0))
            expected[order.buyer_id] += buyer_net
            expected[order.seller_id] += seller_net
            revenue += order.commission if order.status is OrderStatus.COMPLETED else 0
        for user in USERS:
            assert self.holdings(user) == expected[user], (user, self.orders)
            assert self.balances.get(frozen(user), 0) == frozen_expected[user]
        assert self.balances.get(od.PLATFORM_REVENUE, 0) == revenue


@settings(max_examples=400, deadline=None)
@given(
    price=st.integers(1, 500_000),
    deposit=st.integers(0, 100_000),
    extra=st.integers(0, 600_000) | st.just(1_000_000),
    seller_funds=st.integers(0, 50_000),
    runner_share=st.integers(0, 100),
    percent=st.integers(0, 10),
    history=steps,
)
def test_random_order_histories_conserve_money(
    price: int, deposit: int, extra: int, seller_funds: int, runner_share: int, percent: int, history: list[Step]
) -> None:
    world = World(price, deposit, extra, seller_funds, price * runner_share // 100, percent)
    world.check()
    if world.orders[0].amount_due == 0:  # a zero balance due is paid at once, as the service does
        assert world.attempt(od.pay(world.orders[0], None, world.now, world.platform, system=True))
        world.check()
    for step in history:
        world.step(step)
        world.check()
    event(" → ".join(o.status.value for o in world.orders) + " before the end")
    world.finish()
    world.check()
    for order in world.orders:
        assert order.is_finished
        assert world.balances.get(escrow(order.id), 0) == 0
    for user in USERS:
        assert world.balances.get(frozen(user), 0) == 0


def test_the_runner_up_order_needs_no_deposit_and_defaults_without_penalty() -> None:
    world = World(100_000, 20_000, 0, 0, 90_000, 0)
    world.now = world.orders[0].pay_deadline
    assert world.attempt(od.default(world.orders[0], world.now))
    world.step(Step(None, None, None, 0, CloseReason.OTHER, RefundReason.OTHER, Fault.BUYER))
    second = world.orders[-1]
    assert (second.buyer_id, second.price, second.deposit, second.amount_due) == (RUNNER, 90_000, 0, 90_000)
    world.finish()
    world.check()
    assert world.orders[-1].status is OrderStatus.DEFAULTED and world.orders[-1].penalty == 0
    assert world.holdings(SELLER) == 20_000

"""A seller's sales in sum (我的销售, issue 14): what counts as sold, as turnover, in escrow and paid out.

A sale counts while its deal stands: every order but one closed without a sale (协商关闭, 违约, 已退款, 卖家拒绝).
Turnover is the price of those; in escrow is the price of the orders whose price escrow holds (paid, shipped,
refund asked, disputed); paid out is what escrow released to the seller (price less the commission) on the
completed ones, plus any 违约金 a defaulting buyer paid the seller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .orders.model import ESCROWED, Order, OrderStatus

NO_SALE = frozenset({OrderStatus.CLOSED, OrderStatus.DEFAULTED, OrderStatus.REFUNDED, OrderStatus.SELLER_REFUSED})


@dataclass(frozen=True)
class SalesTotals:
    sold_count: int
    turnover: int
    in_escrow: int
    paid_out: int


def sales_totals(orders: Iterable[Order]) -> SalesTotals:
    sold = turnover = escrow = paid = 0
    for order in orders:
        if order.status not in NO_SALE:
            sold += 1
            turnover += order.price
        if order.status in ESCROWED:
            escrow += order.price
        if order.status is OrderStatus.COMPLETED:
            paid += order.price - order.commission
        if order.status is OrderStatus.DEFAULTED:
            paid += order.penalty
    return SalesTotals(sold, turnover, escrow, paid)

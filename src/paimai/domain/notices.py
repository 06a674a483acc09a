"""In-app notifications a step sends (RULES §8): who gets which kind, never the words.

The words are the adapters' catalogue entries `notice.<kind>`, rendered from the parameters the service
stores with each notification (the lot's title, and any setting the text names, such as `hours`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class NoticeKind(Enum):
    """The kinds of notification; the value is what is stored and what the API shows as `kind`."""

    ORDER_WON = "order_won"
    ORDER_SOLD = "order_sold"
    PAYMENT_DUE_SOON = "payment_due_soon"
    ORDER_PAID = "order_paid"
    ORDER_SHIPPED = "order_shipped"
    ORDER_COMPLETED = "order_completed"
    CLOSE_REQUESTED = "close_requested"
    CLOSE_ACCEPTED = "close_accepted"
    CLOSE_DECLINED = "close_declined"
    ORDER_DEFAULTED = "order_defaulted"
    REFUND_REQUESTED = "refund_requested"
    REFUND_DECLINED = "refund_declined"
    REFUND_DONE = "refund_done"
    SELLER_REFUSED = "seller_refused"
    SECOND_CHANCE_OFFER = "second_chance_offer"
    SECOND_CHANCE_ACCEPTED = "second_chance_accepted"
    SECOND_CHANCE_DECLINED = "second_chance_declined"


@dataclass(frozen=True)
class Notice:
    user_id: int
    kind: NoticeKind

"""成交确认书 (confirmation of sale, RULES §7): what the confirmation of a sold judicial lot says.

Pure: the service passes the lot's facts, the order's facts and the buyer's verified identity.

- The buyer's ID number is only ever shown masked. Real-name verification already stores it masked
  (first 3 and last 2 characters kept, ``110*************34``); ``mask_id_number`` applies the same rule to a
  full number so the two never disagree.
- The confirmation number is stable: derived from the lot id alone (``CJ`` + zero-padded lot id), so it is the
  same however often the confirmation is generated.
- The time on it is the lot's close time; the pay-by date is the order's balance deadline (default 10 days for a
  judicial lot, ``PlatformRules.judicial_payment_days``). No commission or platform fee is charged on judicial lots.
- Only a sold judicial lot whose order still stands (not closed, defaulted, refunded or refused) has one;
  悔拍 / rescission states added later by the rounds work should join ``_ENDED_ORDER_STATES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Order states (domain/orders/model.py OrderStatus values) in which the sale no longer stands.
_ENDED_ORDER_STATES = frozenset({"closed", "defaulted", "refunded", "seller_refused"})


def mask_id_number(id_number: str) -> str:
    """Keep the first 3 and the last 2 characters, star the rest (an already-masked value passes unchanged)."""
    value = id_number.strip()
    if len(value) <= 5:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 5)}{value[-2:]}"


def confirmation_number(lot_id: int) -> str:
    return f"CJ{lot_id:08d}"


@dataclass(frozen=True)
class SaleConfirmation:
    number: str
    lot_id: int
    lot_title: str
    court_name: str
    case_number: str
    buyer_name: str
    buyer_masked_id: str
    price_fen: int
    sold_at: datetime
    pay_by: datetime | None
    commission_fen: int = 0  # never any on a judicial lot


def has_confirmation(*, judicial: bool, lot_status: str, order_status: str | None) -> bool:
    """A sold judicial lot with a live order (not closed / defaulted / refunded / refused) has a confirmation."""
    return judicial and lot_status == "sold" and order_status is not None and order_status not in _ENDED_ORDER_STATES


def build_confirmation(
    *,
    lot_id: int,
    lot_title: str,
    court_name: str,
    case_number: str,
    buyer_name: str,
    buyer_id: str,
    price_fen: int,
    sold_at: datetime,
    pay_by: datetime | None,
) -> SaleConfirmation:
    return SaleConfirmation(
        number=confirmation_number(lot_id),
        lot_id=lot_id,
        lot_title=lot_title,
        court_name=court_name,
        case_number=case_number,
        buyer_name=buyer_name,
        buyer_masked_id=mask_id_number(buyer_id),
        price_fen=price_fen,
        sold_at=sold_at,
        pay_by=pay_by,
    )

"""Keys the code composes at run time (`'status_' ~ lot.status`, `error.<CODE>`): each family is declared
here once, from the enum that lists its members where there is one.

Extraction reads this module (babel.cfg's `families` method), so every member's key is in the template
and a new enum member without words fails the catalogue test.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from ...domain.deposits import DepositStatus
from ...domain.errors import ErrorCode
from ...domain.ledger import EntryKind
from ...domain.lot_views import PriceKind, RecordStatus
from ...domain.lots import ENDED, LotStatus, ManageAction
from ...domain.notices import NoticeKind
from ...domain.order_views import DeadlineKind
from ...domain.orders import CloseReason, OrderAction, OrderStatus, RefundReason, Role
from ...domain.priority import PriorityBasis
from ...domain.rules import Category, LotKind, LotProblem
from ...domain.second_chance import OfferStatus
from ...domain.staff import ObjectType, StaffAction
from ...domain.wallet import CashOutStatus
from ...domain.withdrawal import WithdrawalScope


@dataclass(frozen=True)
class Family:
    prefix: str
    members: tuple[str, ...]
    suffix: str = ""

    def key(self, member: str) -> str:
        return f"{self.prefix}{member}{self.suffix}"

    def each_key(self) -> Iterator[str]:
        return (self.key(member) for member in self.members)


def _values(*enums: Iterable[Enum]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(member.value) for enum in enums for member in enum))


# Codes with a second, fuller wording `error.<CODE>.detail`, used when the error carries every parameter
# it names (the plain `error.<CODE>` otherwise), e.g. BID_TOO_LOW names the next valid amount in yuan.
DETAILED_ERRORS = (
    ErrorCode.BID_TOO_LOW,
    ErrorCode.RATE_LIMITED,
    ErrorCode.WITHDRAWAL_QUOTA_EXCEEDED,
    ErrorCode.LOT_TRANSITION_NOT_ALLOWED,
    ErrorCode.ORDER_TRANSITION_NOT_ALLOWED,
    ErrorCode.LOT_INVALID,
    ErrorCode.CLOCK_OUT_OF_RANGE,
    ErrorCode.PASSWORD_TOO_SHORT,
    ErrorCode.CASH_OUT_TOO_LARGE,
)

ERRORS = Family("error.", tuple(code.name for code in ErrorCode))
ERROR_DETAILS = Family("error.", tuple(code.name for code in DETAILED_ERRORS), ".detail")
PROBLEMS = Family("problem.", _values(LotProblem))
NOTICES = Family("notice.", _values(NoticeKind))
CATEGORIES = Family("category.", _values(Category))
HTTP_STATUSES = Family("http.", ("400", "405", "406", "413", "415"))  # the framework's own refusals

FAMILIES: tuple[Family, ...] = (
    ERRORS,
    ERROR_DETAILS,
    PROBLEMS,
    NOTICES,
    CATEGORIES,
    HTTP_STATUSES,
    # pages and scripts: t('status_' ~ lot.status), P.t('bid_' + bid.status), …
    Family("status_", _values(LotStatus)),
    Family("kind_", _values(LotKind)),
    Family("result_", tuple(sorted(status.value for status in ENDED))),
    Family("bid_", _values(RecordStatus)),  # a bid record row's status
    Family("price_", _values(PriceKind)),  # the lot's price label: start, current or final
    Family("role_", ("bidder", "seller", "staff")),  # services.accounts.roles
    Family("deposit_", _values(DepositStatus)),
    Family("scope_", _values(WithdrawalScope)),
    Family("withdraw_title_", _values(WithdrawalScope)),
    Family("withdraw_explain_", _values(WithdrawalScope)),
    Family("entry_", _values(EntryKind)),
    Family("account_", ("available", "frozen")),  # the wallet's own buckets
    Family("cash_out_status_", _values(CashOutStatus)),
    Family("order_status_", _values(OrderStatus)),
    Family("ord_offer_status_", _values(OfferStatus)),
    Family("ord_role_", ("buyer", "seller", "staff")),
    Family("ord_by_", _values(Role)),
    Family("ord_action_", ("create", *_values(OrderAction))),
    Family("ord_reason_", _values(CloseReason, RefundReason)),
    Family("ord_deadline_", _values(DeadlineKind)),
    # the seller's pages (adapters/web/sell_pages.py): a seller's kind, an application's state, 我的拍品's groups
    Family("sell_kind_", ("individual", "business", "court")),
    Family("sell_app_", ("pending", "approved", "rejected")),
    # the back office's audit log (adapters/web/staff_pages.py): an entry's object kind and its action
    Family("staff_obj_", _values(ObjectType)),
    Family("staff_action_", _values(StaffAction)),
    # the court's desk (adapters/web/court_pages.py): why a priority buyer has the right
    Family("priority_basis_", _values(PriorityBasis)),
    # suspend / resume / cancel a published lot (templates/_lot_manage.html)
    Family("manage_", _values(ManageAction)),
    Family(
        "sell_shelf_",
        (
            *(s.value for s in (LotStatus.DRAFT, LotStatus.PENDING_REVIEW, LotStatus.REJECTED)),
            "scheduled",
            "live",
            "suspended",
            "ended",
        ),
    ),
)

PREFIXES = frozenset(family.prefix for family in FAMILIES)


def all_keys() -> Iterator[str]:
    for family in FAMILIES:
        yield from family.each_key()

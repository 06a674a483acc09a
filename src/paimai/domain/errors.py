"""Domain errors: a stable, machine-readable code and its parameters, never words.

HTTP statuses are not decided here; the HTTP adapter maps each code's *kind* to a status once, and the
adapters' catalogue (paimai.adapters.i18n) words each code in Chinese and English.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class ErrorKind(Enum):
    """What sort of refusal an error is; adapters map this to a transport status."""

    INVALID = "invalid"  # the input itself is wrong
    CONFLICT = "conflict"  # the input is fine but the state does not allow it
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    UNAUTHENTICATED = "unauthenticated"
    RATE_LIMITED = "rate_limited"


class ErrorCode(Enum):
    """Stable error codes, each with the kind of refusal it is.

    The domain raises a code and its parameters; the words (in Chinese and English) are the adapters'
    catalogue entries `error.<NAME>` (see docs/i18n.md), rendered from those parameters.
    """

    kind: ErrorKind

    def __new__(cls, kind: ErrorKind) -> ErrorCode:
        member = object.__new__(cls)
        member._value_ = len(cls.__members__) + 1  # the name is the code; the value only keeps members apart
        member.kind = kind
        return member

    VALIDATION_FAILED = ErrorKind.INVALID
    AMOUNT_NOT_POSITIVE = ErrorKind.INVALID
    AMOUNT_TOO_LARGE = ErrorKind.INVALID
    USERNAME_TAKEN = ErrorKind.CONFLICT
    PASSWORD_TOO_SHORT = ErrorKind.INVALID
    PASSWORD_TOO_COMMON = ErrorKind.INVALID
    INVALID_CREDENTIALS = ErrorKind.UNAUTHENTICATED
    NOT_AUTHENTICATED = ErrorKind.UNAUTHENTICATED
    CSRF_FAILED = ErrorKind.FORBIDDEN
    RATE_LIMITED = ErrorKind.RATE_LIMITED
    STAFF_ONLY = ErrorKind.FORBIDDEN
    SELLER_NOT_APPROVED = ErrorKind.FORBIDDEN
    SELLER_APPLICATION_EXISTS = ErrorKind.CONFLICT
    SELLER_APPLICATION_NOT_PENDING = ErrorKind.CONFLICT
    COURT_SELLER_REQUIRED = ErrorKind.FORBIDDEN
    SELLER_DETAILS_REQUIRED = ErrorKind.INVALID
    SELLER_PHONE_INVALID = ErrorKind.INVALID
    SELLER_LICENCE_INVALID = ErrorKind.INVALID
    SELLER_NOT_FOUND = ErrorKind.NOT_FOUND
    REAL_NAME_REQUIRED = ErrorKind.FORBIDDEN
    REAL_NAME_INVALID = ErrorKind.INVALID
    REAL_NAME_ALREADY_VERIFIED = ErrorKind.CONFLICT
    NOT_FOUND = ErrorKind.NOT_FOUND
    LOT_NOT_FOUND = ErrorKind.NOT_FOUND
    LOT_INVALID = ErrorKind.INVALID
    LOT_TRANSITION_NOT_ALLOWED = ErrorKind.CONFLICT
    LOT_END_PASSED = ErrorKind.CONFLICT
    LOT_NOT_EDITABLE = ErrorKind.CONFLICT
    LOT_NOT_YOURS = ErrorKind.FORBIDDEN
    LOT_NOT_LIVE = ErrorKind.CONFLICT
    AUCTION_ENDED = ErrorKind.CONFLICT
    LOT_SUSPENDED = ErrorKind.CONFLICT
    BIDDER_NOT_ALLOWED = ErrorKind.FORBIDDEN
    DEPOSIT_REQUIRED = ErrorKind.CONFLICT
    DEPOSIT_NOT_OPEN = ErrorKind.CONFLICT
    BID_TOO_LOW = ErrorKind.CONFLICT
    BID_NOT_ON_GRID = ErrorKind.INVALID
    MAX_AMOUNT_INVALID = ErrorKind.INVALID
    ALREADY_LEADING = ErrorKind.CONFLICT
    INSUFFICIENT_FUNDS = ErrorKind.CONFLICT
    LEDGER_UNBALANCED = ErrorKind.INVALID
    IDEMPOTENCY_KEY_REUSED = ErrorKind.INVALID
    CONFLICT = ErrorKind.CONFLICT
    CLOCK_NOT_SIMULATED = ErrorKind.CONFLICT
    CLOCK_OUT_OF_RANGE = ErrorKind.INVALID
    TOP_UP_DISABLED = ErrorKind.FORBIDDEN
    WITHDRAWAL_NOT_ALLOWED = ErrorKind.CONFLICT
    WITHDRAWAL_CONFIRMATION_REQUIRED = ErrorKind.INVALID
    BID_NOT_FOUND = ErrorKind.NOT_FOUND
    BID_NOT_YOURS = ErrorKind.FORBIDDEN
    BID_ALREADY_WITHDRAWN = ErrorKind.CONFLICT
    BID_NOT_LATEST = ErrorKind.CONFLICT
    NOTHING_TO_WITHDRAW = ErrorKind.CONFLICT
    WITHDRAWAL_QUOTA_EXCEEDED = ErrorKind.RATE_LIMITED
    WITHDRAWAL_FEE_NOT_COVERED = ErrorKind.CONFLICT
    # orders after the sale (RULES §6)
    ORDER_NOT_FOUND = ErrorKind.NOT_FOUND
    ORDER_TRANSITION_NOT_ALLOWED = ErrorKind.CONFLICT
    NOT_ORDER_BUYER = ErrorKind.FORBIDDEN
    NOT_ORDER_SELLER = ErrorKind.FORBIDDEN
    PAYMENT_DEADLINE_PASSED = ErrorKind.CONFLICT
    PAYMENT_DEADLINE_NOT_REACHED = ErrorKind.CONFLICT
    ORDER_NOT_DUE = ErrorKind.CONFLICT
    CLOSE_REQUEST_ALREADY_MADE = ErrorKind.CONFLICT
    REFUND_REASON_NOT_APPLICABLE = ErrorKind.CONFLICT
    JUDICIAL_SALE_BINDING = ErrorKind.CONFLICT
    SHIPPING_INFO_INVALID = ErrorKind.INVALID
    SHIPPING_PERIOD_OVER = ErrorKind.CONFLICT
    SECOND_CHANCE_NOT_AVAILABLE = ErrorKind.CONFLICT
    NO_RUNNER_UP = ErrorKind.CONFLICT
    OFFER_NOT_FOUND = ErrorKind.NOT_FOUND
    OFFER_NOT_PENDING = ErrorKind.CONFLICT
    OFFER_EXPIRED = ErrorKind.CONFLICT
    NOT_OFFER_RECIPIENT = ErrorKind.FORBIDDEN
    NOTIFICATION_NOT_FOUND = ErrorKind.NOT_FOUND
    # the wallet: staff are not bidders; cash-out (提现) to a sandbox bank account
    STAFF_NOT_BIDDER = ErrorKind.FORBIDDEN
    IDEMPOTENCY_KEY_REQUIRED = ErrorKind.INVALID
    BANK_ACCOUNT_INVALID = ErrorKind.INVALID
    BANK_ACCOUNT_REQUIRED = ErrorKind.CONFLICT
    CASH_OUT_TOO_LARGE = ErrorKind.INVALID
    # the staff back office (domain.staff)
    REASON_REQUIRED = ErrorKind.INVALID
    ACCOUNT_FROZEN = ErrorKind.FORBIDDEN
    ACCOUNT_ALREADY_FROZEN = ErrorKind.CONFLICT
    ACCOUNT_NOT_FROZEN = ErrorKind.CONFLICT
    FREEZE_NOT_ALLOWED = ErrorKind.FORBIDDEN
    LAST_STAFF_ACCOUNT = ErrorKind.CONFLICT
    USER_NOT_FOUND = ErrorKind.NOT_FOUND
    # uploads and the lot photo gallery
    UPLOAD_TYPE_NOT_ALLOWED = ErrorKind.INVALID
    UPLOAD_TOO_LARGE = ErrorKind.INVALID
    NOT_LOT_SELLER = ErrorKind.FORBIDDEN
    LOT_IMAGES_LOCKED = ErrorKind.CONFLICT
    LOT_IMAGE_LIMIT = ErrorKind.CONFLICT
    IMAGE_NOT_FOUND = ErrorKind.NOT_FOUND
    IMAGE_ORDER_INVALID = ErrorKind.INVALID
    # priority buyers on judicial lots (domain.priority)
    PRIORITY_JUDICIAL_ONLY = ErrorKind.CONFLICT
    PRIORITY_REGISTRATION_CLOSED = ErrorKind.CONFLICT
    PRIORITY_RANK_INVALID = ErrorKind.INVALID
    PRIORITY_HOLDER_NOT_ALLOWED = ErrorKind.CONFLICT
    PRIORITY_HOLDER_EXISTS = ErrorKind.CONFLICT
    PRIORITY_HOLDER_NOT_FOUND = ErrorKind.NOT_FOUND
    # judicial auctions (domain.judicial, RULES §7)
    ANNOUNCEMENT_LEAD_TOO_SHORT = ErrorKind.CONFLICT
    NOTICE_NOT_ACCEPTED = ErrorKind.CONFLICT
    NOTICE_NOT_APPLICABLE = ErrorKind.CONFLICT
    # 成交确认书 (domain.confirmation): only a sold judicial lot whose order stands has one
    CONFIRMATION_NOT_AVAILABLE = ErrorKind.NOT_FOUND
    # judicial rounds (domain.rounds): one code per RoundRefusal, same name
    ROUND_NOT_FINISHED = ErrorKind.CONFLICT
    ROUND_SOLD = ErrorKind.CONFLICT
    JUDICIAL_SALE_ENDED = ErrorKind.CONFLICT
    NEXT_ROUND_EXISTS = ErrorKind.CONFLICT
    SECOND_ROUND_TOO_LATE = ErrorKind.CONFLICT
    SECOND_ROUND_START_TOO_LOW = ErrorKind.INVALID
    ROUND_LEAD_TOO_SHORT = ErrorKind.INVALID
    SALE_PRICE_FIXED = ErrorKind.INVALID
    NEXT_ROUND_NOT_JUDICIAL = ErrorKind.CONFLICT


class InvariantError(RuntimeError):
    """A state the rules guarantee cannot arise did arise: a bug to report, never a refusal of bad input.

    Raised where the code relies on an invariant (so, unlike `assert`, it still holds under `python -O`)."""


class DomainError(Exception):
    """A refusal by the rules: a stable code and its parameters.

    The parameters are the error body's machine-readable details (JSON-ready: integers in fen, ISO
    times) and what the message is rendered from; nothing here is meant to be read by a person.
    """

    def __init__(self, code: ErrorCode, **details: Any) -> None:
        self.code = code
        self.details = details
        super().__init__(f"{code.name} {details}" if details else code.name)

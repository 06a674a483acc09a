"""Domain errors with stable, machine-readable codes and bilingual messages.

HTTP statuses are not decided here; the HTTP adapter maps each code's *kind* to a status once.
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
    """Stable error codes; (kind, English message, Chinese message)."""

    VALIDATION_FAILED = (ErrorKind.INVALID, "The request is invalid.", "请求参数无效。")
    AMOUNT_NOT_POSITIVE = (
        ErrorKind.INVALID,
        "The amount must be a positive number of fen.",
        "金额必须为正整数（分）。",
    )
    AMOUNT_TOO_LARGE = (ErrorKind.INVALID, "The amount is too large.", "金额过大。")
    USERNAME_TAKEN = (ErrorKind.CONFLICT, "This username is already taken.", "该用户名已被占用。")
    INVALID_CREDENTIALS = (ErrorKind.UNAUTHENTICATED, "Wrong username or password.", "用户名或密码错误。")
    NOT_AUTHENTICATED = (ErrorKind.UNAUTHENTICATED, "Please log in first.", "请先登录。")
    CSRF_FAILED = (
        ErrorKind.FORBIDDEN,
        "The form expired; reload the page and try again.",
        "表单已失效，请刷新页面后重试。",
    )
    RATE_LIMITED = (ErrorKind.RATE_LIMITED, "Too many attempts; try again later.", "尝试次数过多，请稍后再试。")
    STAFF_ONLY = (ErrorKind.FORBIDDEN, "Only staff may do this.", "仅限平台工作人员操作。")
    SELLER_NOT_APPROVED = (ErrorKind.FORBIDDEN, "Only approved sellers may list lots.", "仅限审核通过的卖家发布拍品。")
    SELLER_APPLICATION_EXISTS = (ErrorKind.CONFLICT, "You already have a seller application.", "您已提交过卖家申请。")
    SELLER_APPLICATION_NOT_PENDING = (
        ErrorKind.CONFLICT,
        "This application is not awaiting review.",
        "该申请不在待审核状态。",
    )
    COURT_SELLER_REQUIRED = (ErrorKind.FORBIDDEN, "Only a court lists judicial lots.", "仅法院可发布司法拍卖拍品。")
    REAL_NAME_INVALID = (ErrorKind.INVALID, "The name or ID number is not valid.", "姓名或身份证号码无效。")
    REAL_NAME_ALREADY_VERIFIED = (ErrorKind.CONFLICT, "Your real name is already verified.", "您已完成实名认证。")
    NOT_FOUND = (ErrorKind.NOT_FOUND, "Not found.", "未找到。")
    LOT_NOT_FOUND = (ErrorKind.NOT_FOUND, "No such lot.", "拍品不存在。")
    LOT_INVALID = (ErrorKind.INVALID, "The lot's rules are invalid.", "拍品规则无效。")
    LOT_TRANSITION_NOT_ALLOWED = (
        ErrorKind.CONFLICT,
        "The lot cannot do that in its current state.",
        "拍品当前状态不允许此操作。",
    )
    LOT_NOT_LIVE = (ErrorKind.CONFLICT, "The lot is not open for bidding.", "拍品当前不在竞价中。")
    AUCTION_ENDED = (ErrorKind.CONFLICT, "The auction has ended.", "拍卖已结束。")
    BIDDER_NOT_ALLOWED = (ErrorKind.FORBIDDEN, "You may not bid on this lot.", "您不能参与此拍品的竞价。")
    DEPOSIT_REQUIRED = (ErrorKind.CONFLICT, "Pay the deposit before bidding.", "请先缴纳保证金再出价。")
    DEPOSIT_NOT_OPEN = (ErrorKind.CONFLICT, "Deposits are not taken for this lot now.", "该拍品当前不接受保证金。")
    BID_TOO_LOW = (ErrorKind.CONFLICT, "The bid is below the next valid amount.", "出价低于当前最低可出价。")
    BID_NOT_ON_GRID = (
        ErrorKind.INVALID,
        "The bid must be the start price plus a whole number of increments.",
        "出价须为起拍价加整数倍加价幅度。",
    )
    MAX_AMOUNT_INVALID = (
        ErrorKind.INVALID,
        "The proxy maximum must be on the price grid and not below the bid.",
        "代理出价上限须符合加价幅度且不低于出价。",
    )
    ALREADY_LEADING = (
        ErrorKind.CONFLICT,
        "You are already the leading bidder; you may only raise your proxy maximum.",
        "您已是最高出价者，只能提高代理出价上限。",
    )
    INSUFFICIENT_FUNDS = (ErrorKind.CONFLICT, "Your available balance is not enough.", "可用余额不足。")
    LEDGER_UNBALANCED = (ErrorKind.INVALID, "A journal entry must sum to zero.", "记账分录借贷不平衡。")
    IDEMPOTENCY_KEY_REUSED = (
        ErrorKind.INVALID,
        "This Idempotency-Key was used for a different request.",
        "该幂等键已用于另一个请求。",
    )
    CONFLICT = (
        ErrorKind.CONFLICT,
        "The request conflicts with the current state; try again.",
        "请求与当前状态冲突，请重试。",
    )
    CLOCK_NOT_SIMULATED = (ErrorKind.CONFLICT, "The clock is not simulated.", "当前时钟不是模拟时钟。")

    @property
    def kind(self) -> ErrorKind:
        return self.value[0]

    @property
    def message(self) -> str:
        return self.value[1]

    @property
    def message_zh(self) -> str:
        return self.value[2]


class DomainError(Exception):
    """A refusal by the rules; carries a stable code and optional machine-readable details."""

    def __init__(
        self,
        code: ErrorCode,
        message: str | None = None,
        message_zh: str | None = None,
        **details: Any,
    ) -> None:
        self.code = code
        self.message = message or code.message
        self.message_zh = message_zh or code.message_zh
        self.details = details
        super().__init__(f"{code.name}: {self.message}")

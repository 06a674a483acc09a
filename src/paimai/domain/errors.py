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
    REAL_NAME_REQUIRED = (
        ErrorKind.FORBIDDEN,
        "Verify your real name before taking part in a judicial auction.",
        "参与司法拍卖前请先完成实名认证。",
    )
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
    WITHDRAWAL_NOT_ALLOWED = (
        ErrorKind.CONFLICT,
        "Bids on this lot cannot be withdrawn (judicial lots and lots that switched withdrawal off).",
        "此拍品不允许撤回出价（司法拍卖或已关闭撤回功能的拍品）。",
    )
    WITHDRAWAL_CONFIRMATION_REQUIRED = (
        ErrorKind.INVALID,
        "Confirm the withdrawal explicitly (confirm: true) after reading the preview.",
        "请在查看撤回详情后明确确认（confirm: true）。",
    )
    BID_NOT_FOUND = (ErrorKind.NOT_FOUND, "No such bid on this lot.", "该拍品没有这条出价。")
    BID_NOT_YOURS = (ErrorKind.FORBIDDEN, "This bid is not yours.", "这不是您的出价。")
    BID_ALREADY_WITHDRAWN = (ErrorKind.CONFLICT, "This bid is no longer active.", "该出价已撤回或已失效。")
    BID_NOT_LATEST = (
        ErrorKind.CONFLICT,
        "Only your latest active bid can be withdrawn.",
        "只能撤回您最近一次有效的出价。",
    )
    NOTHING_TO_WITHDRAW = (
        ErrorKind.CONFLICT,
        "You have no active bid or deposit on this lot.",
        "您在此拍品上没有有效出价或保证金。",
    )
    WITHDRAWAL_QUOTA_EXCEEDED = (
        ErrorKind.RATE_LIMITED,
        "You have used today's withdrawals; the quota resets at midnight Beijing time.",
        "今日撤回次数已用完，北京时间零点后恢复。",
    )
    WITHDRAWAL_FEE_NOT_COVERED = (
        ErrorKind.CONFLICT,
        "Your frozen deposit on this lot does not cover the withdrawal fee.",
        "您在此拍品冻结的保证金不足以支付撤回费用。",
    )
    # orders after the sale (RULES §6)
    ORDER_NOT_FOUND = (ErrorKind.NOT_FOUND, "No such order.", "订单不存在。")
    ORDER_TRANSITION_NOT_ALLOWED = (
        ErrorKind.CONFLICT,
        "The order cannot do that in its current state.",
        "订单当前状态不允许此操作。",
    )
    NOT_ORDER_BUYER = (ErrorKind.FORBIDDEN, "Only the order's buyer may do this.", "仅限该订单的买家操作。")
    NOT_ORDER_SELLER = (ErrorKind.FORBIDDEN, "Only the order's seller may do this.", "仅限该订单的卖家操作。")
    PAYMENT_DEADLINE_PASSED = (ErrorKind.CONFLICT, "The payment deadline has passed.", "付款期限已过。")
    PAYMENT_DEADLINE_NOT_REACHED = (
        ErrorKind.CONFLICT,
        "The payment deadline has not passed yet.",
        "付款期限尚未届满。",
    )
    ORDER_NOT_DUE = (ErrorKind.CONFLICT, "This step is not due yet.", "该操作尚未到期。")
    CLOSE_REQUEST_ALREADY_MADE = (
        ErrorKind.CONFLICT,
        "You have already asked to close this order; contact customer service.",
        "您已申请过协商关闭此订单，请联系客服。",
    )
    REFUND_REASON_NOT_APPLICABLE = (
        ErrorKind.CONFLICT,
        "That refund reason does not apply to an order in this state.",
        "该退款原因不适用于订单当前状态。",
    )
    JUDICIAL_SALE_BINDING = (
        ErrorKind.CONFLICT,
        "A judicial sale is binding and sold as is; this is not available.",
        "司法拍卖成交即具约束力且按现状拍卖，不支持此操作。",
    )
    SHIPPING_INFO_INVALID = (
        ErrorKind.INVALID,
        "Give a carrier and a tracking number (4–40 letters, digits or dashes).",
        "请填写物流公司和运单号（4–40位字母、数字或短横线）。",
    )
    SHIPPING_PERIOD_OVER = (ErrorKind.CONFLICT, "The shipping period is over.", "发货期限已过。")
    SECOND_CHANCE_NOT_AVAILABLE = (
        ErrorKind.CONFLICT,
        "A second-chance offer is only possible after the buyer's default, with no open order or offer on the lot.",
        "仅在买家违约后、且该拍品没有进行中的订单或报价时，才能发出二次购买机会。",
    )
    NO_RUNNER_UP = (
        ErrorKind.CONFLICT,
        "There is no other bidder to offer the lot to.",
        "没有可以提供二次购买机会的其他竞买人。",
    )
    OFFER_NOT_FOUND = (ErrorKind.NOT_FOUND, "No such offer.", "该报价不存在。")
    OFFER_NOT_PENDING = (ErrorKind.CONFLICT, "This offer is no longer open.", "该报价已失效。")
    OFFER_EXPIRED = (ErrorKind.CONFLICT, "This offer has expired.", "该报价已过期。")
    NOT_OFFER_RECIPIENT = (ErrorKind.FORBIDDEN, "This offer was made to someone else.", "该报价不是发给您的。")
    NOTIFICATION_NOT_FOUND = (ErrorKind.NOT_FOUND, "No such notification.", "该通知不存在。")

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

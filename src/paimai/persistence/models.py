"""ORM models. Relationships are not used for loading (lazy="raise"): repositories query explicitly."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger elsewhere.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    seller_status: Mapped[str] = mapped_column(String(16), default="none")
    seller_kind: Mapped[str | None] = mapped_column(String(16))
    default_count: Mapped[int] = mapped_column(Integer, default=0)
    real_name: Mapped[str | None] = mapped_column(String(64))
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
    real_name_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Frozen by staff (domain.staff): no sign-in, bids, deposits, payments or top-ups while set.
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    frozen_reason: Mapped[str | None] = mapped_column(Text)


# A username is taken whatever its case (`Bob` once `bob` exists), by the database too (issue 8).
Index("uq_users_lower_username", func.lower(User.username), unique=True)


class LoginFailure(Base):
    """The consecutive failed logins of one (lower-cased user name, client address) pair (domain.login_throttle).
    Kept for unknown names too, so the back-off does not tell which names exist; a success deletes the row."""

    __tablename__ = "login_failures"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuthToken(Base):
    __tablename__ = "auth_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SellerApplication(Base):
    __tablename__ = "seller_applications"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text, default="")
    licence_number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    court_name: Mapped[str] = mapped_column(String(128), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LedgerAccount(Base):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint("balance >= 0 OR owner = 'external'", name="no_negative_user_balance"),
        UniqueConstraint("owner", "owner_id", "bucket"),
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int] = mapped_column(BigInteger)
    bucket: Mapped[str] = mapped_column(String(16))
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class JournalEntryRow(Base):
    __tablename__ = "journal_entries"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    memo: Mapped[str] = mapped_column(String(255), default="")
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PostingRow(Base):
    __tablename__ = "postings"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account_key: Mapped[str] = mapped_column(ForeignKey("ledger_accounts.key"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class Lot(Base):
    __tablename__ = "lots"
    __table_args__ = (
        CheckConstraint("start_price > 0", name="start_price_positive"),
        CheckConstraint("increment > 0", name="increment_positive"),
        CheckConstraint("deposit >= 0", name="deposit_non_negative"),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        Index("ix_lots_status_ends_at", "status", "ends_at"),
        Index("ix_lots_status_starts_at", "status", "starts_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(128), default="")
    image_url: Mapped[str | None] = mapped_column(String(500))
    return_policy: Mapped[str] = mapped_column(Text, default="", server_default="")
    start_price: Mapped[int] = mapped_column(BigInteger)
    increment: Mapped[int] = mapped_column(BigInteger)
    deposit: Mapped[int] = mapped_column(BigInteger)
    reserve_price: Mapped[int | None] = mapped_column(BigInteger)
    appraisal: Mapped[int | None] = mapped_column(BigInteger)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scheduled_ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    extension_seconds: Mapped[int] = mapped_column(Integer, default=300)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    withdrawal_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    withdrawal_fee: Mapped[int] = mapped_column(BigInteger, default=0)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="0" * 64)
    order_no: Mapped[int] = mapped_column(BigInteger, default=0)
    bid_count: Mapped[int] = mapped_column(Integer, default=0)
    current_price: Mapped[int | None] = mapped_column(BigInteger)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    winner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    final_price: Mapped[int | None] = mapped_column(BigInteger)
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the scheduler next moves it (domain.lots.next_step_at), kept by every save; None: never.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # While suspended (domain.suspension): since when, the status it returns to, and why; else all None.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_from: Mapped[str | None] = mapped_column(String(16))
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    # A judicial lot (domain.judicial): when its announcement became public (staff approved it), the court's
    # name and case number (案号), and its texts; empty on a commercial lot.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    court_name: Mapped[str] = mapped_column(String(128), default="", server_default="")
    case_number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    announcement: Mapped[str] = mapped_column(Text, default="", server_default="")
    bidder_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    as_is_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    viewing: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A judicial property is sold in rounds, each its own lot (domain.judicial rounds): the round's number
    # (1 = 一拍), its kind (first 一拍, second 二拍, sale 变卖, reauction 重新拍卖 after 悔拍 or a rescission)
    # and the lot of the round before; a commercial lot is round 1 of its own.
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    round_kind: Mapped[str] = mapped_column(String(16), default="first", server_default="first")
    previous_lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)


class NoticeAcceptance(Base):
    """A bidder accepted a judicial lot's 竞买须知 and as-is notice, at this time (kept: the first one counts)."""

    __tablename__ = "notice_acceptances"
    __table_args__ = (UniqueConstraint("lot_id", "user_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BidderAlias(Base):
    __tablename__ = "bidder_aliases"
    __table_args__ = (UniqueConstraint("lot_id", "user_id"), UniqueConstraint("lot_id", "alias"))
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    alias: Mapped[str] = mapped_column(String(8))


class PriorityHolder(Base):
    """A priority buyer (优先购买权人) the court registered on a judicial lot before bidding (RULES §7):
    at an equal amount, rank 1 leads rank 2, every holder leads every non-holder."""

    __tablename__ = "priority_holders"
    __table_args__ = (UniqueConstraint("lot_id", "user_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rank: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Deposit(Base):
    __tablename__ = "deposits"
    __table_args__ = (
        Index(
            "uq_deposits_one_frozen_per_bidder",
            "lot_id",
            "user_id",
            unique=True,
            postgresql_where=text("status = 'frozen'"),
            sqlite_where=text("status = 'frozen'"),
        ),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Bid(Base):
    __tablename__ = "bids"
    __table_args__ = (
        UniqueConstraint("lot_id", "order_no"),
        UniqueConstraint("lot_id", "seq"),
        Index("ix_bids_bidder_id_lot_id", "bidder_id", "lot_id"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    order_no: Mapped[int] = mapped_column(BigInteger)
    seq: Mapped[int | None] = mapped_column(BigInteger)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int | None] = mapped_column(BigInteger)
    max_amount: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Withdrawal(Base):
    """One 撤回出价 or 撤回竞拍: counts against the bidder's daily quota and records the fee charged."""

    __tablename__ = "withdrawals"
    __table_args__ = (
        Index("ix_withdrawals_user_id_created_at", "user_id", "created_at"),
        CheckConstraint("fee >= 0", name="fee_non_negative"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "bid" (撤回出价) or "auction" (撤回竞拍)
    fee: Mapped[int] = mapped_column(BigInteger)
    bid_seqs: Mapped[str] = mapped_column(Text)  # the public record rows withdrawn, comma-separated
    seq: Mapped[int] = mapped_column(BigInteger)  # the lot event that announced it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LotEventRow(Base):
    """The outbox and the hash-chained public record of a lot, in one table."""

    __tablename__ = "lot_events"
    __table_args__ = (UniqueConstraint("lot_id", "seq"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(128))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClockState(Base):
    """The simulated clock's offset, shared by every worker process."""

    __tablename__ = "clock_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class Order(Base):
    """The order after a sale (RULES §6): one per lot and buyer (a second-chance order has its own buyer)."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("lot_id", "buyer_id"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("deposit >= 0", name="deposit_non_negative"),
        CheckConstraint(
            "penalty >= 0 AND penalty <= deposit AND penalty <= price", name="penalty_within_deposit_and_price"
        ),
        CheckConstraint("commission >= 0 AND commission <= price", name="commission_within_price"),
        CheckConstraint("compensation >= 0 AND compensation <= deposit", name="compensation_within_deposit"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    price: Mapped[int] = mapped_column(BigInteger)
    deposit: Mapped[int] = mapped_column(BigInteger)
    penalty: Mapped[int] = mapped_column(BigInteger, default=0)
    commission: Mapped[int] = mapped_column(BigInteger, default=0)
    compensation: Mapped[int] = mapped_column(BigInteger, default=0)
    buyer_defaulted: Mapped[bool] = mapped_column(Boolean, default=False)
    offer_id: Mapped[int | None] = mapped_column(BigInteger)  # the second-chance offer it came from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pay_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ship_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_no: Mapped[str | None] = mapped_column(String(40))
    auto_confirm_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    close_note: Mapped[str | None] = mapped_column(Text)
    close_requests: Mapped[int] = mapped_column(Integer, default=0)
    refund_reason: Mapped[str | None] = mapped_column(String(32))
    refund_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the scheduler next acts on it (domain.orders.next_system_step), kept by every save; None: never.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class OrderEventRow(Base):
    """Every step of every order, kept for good (成交历史 and the money trail)."""

    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    detail: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SecondChanceOffer(Base):
    """After a buyer's default: the lot offered to the runner-up at their highest bid, for 48 hours."""

    __tablename__ = "second_chance_offers"
    __table_args__ = (
        UniqueConstraint("lot_id", "user_id"),
        Index(
            "uq_second_chance_offers_one_pending_per_lot",
            "lot_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_order_id: Mapped[int | None] = mapped_column(BigInteger)
    # When it lapses if still pending (domain.second_chance.next_step_at), kept by every save.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Notification(Base):
    """In-app notifications (RULES §8), written in the same transaction as what they announce."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_id", "user_id", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    offer_id: Mapped[int | None] = mapped_column(BigInteger)
    params: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Watch(Base):
    """A lot on a user's watchlist (关注): shown in the personal centre, counted on the lot page."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("user_id", "lot_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BankAccountRow(Base):
    """A user's sandbox bank account for cash-outs (提现): one per user, the number masked but for its last
    four digits (domain.wallet.bank_account); never the whole number."""

    __tablename__ = "bank_accounts"
    __table_args__ = (CheckConstraint("length(last4) = 4", name="last4_four_digits"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    bank_name: Mapped[str] = mapped_column(String(64))
    holder: Mapped[str] = mapped_column(String(64))
    number_masked: Mapped[str] = mapped_column(String(32))
    last4: Mapped[str] = mapped_column(String(4))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CashOut(Base):
    """One cash-out (提现): available money out to the sandbox bank account, paid at once in the sandbox,
    with the journal entry that moved it."""

    __tablename__ = "cash_outs"
    __table_args__ = (
        Index("ix_cash_outs_user_id_id", "user_id", "id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    bank_name: Mapped[str] = mapped_column(String(64))
    number_masked: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StaffActionRow(Base):
    """The staff audit log: one row per staff decision, written in the decision's own transaction.
    actor_id is None for the operator's command line (actor_name "cli")."""

    __tablename__ = "staff_actions"
    __table_args__ = (
        Index("ix_staff_actions_object", "object_type", "object_id"),
        Index("ix_staff_actions_actor_id", "actor_id", "id"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="{}")
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LotImage(Base):
    """One photo of a lot's gallery: the display-size picture and its thumbnail, both in media storage.
    Position 0 is the cover; the seller reorders them while the lot is not yet published."""

    __tablename__ = "lot_images"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    thumb_key: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SellerDocument(Base):
    """A document an applicant to sell uploads (a licence, an ID card scan): read by the applicant and staff."""

    __tablename__ = "seller_documents"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

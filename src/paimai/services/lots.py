"""Lots: listing, review, browsing, and loading a lot's auction under its lock."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.bidding import AuctionSnapshot, BidKind, Submission, start_auction
from ..domain.errors import DomainError, ErrorCode, InvariantError
from ..domain.judicial import JudicialListing, require_lead_at_approval, validate_listing
from ..domain.lots import LotAction, LotStatus, next_step_at, reviewed, transition
from ..domain.rounds import RoundKind
from ..domain.rules import Category, LotKind, LotRules
from ..domain.staff import ObjectType, StaffAction, required_reason
from ..persistence.models import Bid, BidderAlias, Lot, User
from . import locks
from .accounts import require_staff
from .priority import holder_ranks
from .staff_audit import record_action
from .uow import UnitOfWork
from .visibility import readable_lot, reader_of

ALIAS_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class LotDraft:
    title: str
    category: Category
    kind: LotKind
    rules: LotRules
    description: str = ""
    location: str = ""
    image_url: str | None = None
    appraisal: int | None = None
    return_policy: str = ""
    # a judicial lot's court, case number and texts (domain.judicial.JudicialListing)
    court_name: str = ""
    case_number: str = ""
    announcement: str = ""
    bidder_notice: str = ""
    as_is_notice: str = ""
    contact: str = ""
    viewing: str = ""


JUDICIAL_TEXT_FIELDS = (
    "court_name",
    "case_number",
    "announcement",
    "bidder_notice",
    "as_is_notice",
    "contact",
    "viewing",
)


def listing_of(lot: Lot) -> JudicialListing:
    """A stored lot's judicial listing, as domain.judicial judges it."""
    return JudicialListing(
        category=Category(lot.category),
        appraisal=lot.appraisal,
        **{name: getattr(lot, name) for name in JUDICIAL_TEXT_FIELDS},
    )


def rules_of(lot: Lot) -> LotRules:
    return LotRules(
        kind=LotKind(lot.kind),
        start_price=lot.start_price,
        increment=lot.increment,
        deposit=lot.deposit,
        starts_at=lot.starts_at,
        ends_at=lot.scheduled_ends_at,
        reserve_price=lot.reserve_price,
        extension_seconds=lot.extension_seconds,
        withdrawal_allowed=lot.withdrawal_allowed,
        withdrawal_fee=lot.withdrawal_fee,
    )


def save_due(lot: Lot) -> None:
    """Keep the row's due_at (what the scheduler queries) to the domain's rule; every save calls this."""
    lot.due_at = next_step_at(LotStatus(lot.status), lot.starts_at, lot.ends_at)


def create_lot(
    uow: UnitOfWork,
    seller: User,
    draft: LotDraft,
    *,
    submit: bool = True,
    round_kind: RoundKind = RoundKind.FIRST,
    previous: Lot | None = None,
) -> Lot:
    """An approved seller lists a lot: straight to staff review, or (submit=False) kept as their draft.
    A judicial next round (services/rounds.py) names its kind and the lot of the round before."""
    if seller.seller_status != "approved":
        raise DomainError(ErrorCode.SELLER_NOT_APPROVED)
    if draft.kind is LotKind.JUDICIAL and seller.seller_kind != "court":
        raise DomainError(ErrorCode.COURT_SELLER_REQUIRED)
    court_name = draft.court_name.strip() or (seller.display_name if draft.kind is LotKind.JUDICIAL else "")
    listing = JudicialListing(
        category=draft.category,
        appraisal=draft.appraisal,
        court_name=court_name,
        case_number=draft.case_number.strip(),
        announcement=draft.announcement,
        bidder_notice=draft.bidder_notice,
        as_is_notice=draft.as_is_notice,
        contact=draft.contact,
        viewing=draft.viewing,
    )
    rules = validate_listing(draft.rules, listing, uow.now, round_kind)
    judicial = draft.kind is LotKind.JUDICIAL
    lot = Lot(
        seller_id=seller.id,
        title=draft.title,
        description=draft.description,
        category=draft.category.value,
        kind=draft.kind.value,
        status=(transition(LotStatus.DRAFT, LotAction.SUBMIT) if submit else LotStatus.DRAFT).value,
        location=draft.location,
        image_url=draft.image_url,
        return_policy=draft.return_policy,
        start_price=rules.start_price,
        increment=rules.increment,
        deposit=rules.deposit,
        reserve_price=rules.reserve_price,
        appraisal=draft.appraisal,
        starts_at=rules.starts_at,
        scheduled_ends_at=rules.ends_at,
        ends_at=rules.ends_at,
        extension_seconds=rules.effective_extension_seconds(),
        extensions=0,
        withdrawal_allowed=rules.withdrawal_allowed and rules.kind is LotKind.COMMERCIAL,
        withdrawal_fee=rules.withdrawal_fee,
        seq=0,
        last_hash="0" * 64,
        order_no=0,
        bid_count=0,
        created_at=uow.now,
        round=1 if previous is None else previous.round + 1,
        round_kind=round_kind.value,
        previous_lot_id=None if previous is None else previous.id,
        **{name: getattr(listing, name) if judicial else "" for name in JUDICIAL_TEXT_FIELDS},
    )
    save_due(lot)
    uow.session.add(lot)
    uow.session.flush()
    return lot


def get_lot(session: Session, lot_id: int, *, lock: bool = False) -> Lot:
    lot = locks.lot(session, lot_id) if lock else session.get(Lot, lot_id)
    if lot is None:
        raise DomainError(ErrorCode.LOT_NOT_FOUND, lot_id=lot_id)
    return lot


def lot_for(session: Session, lot_id: int, actor: User, *, lock: bool = True) -> Lot:
    """The lot an actor acts on (a deposit, a bid, a withdrawal, a cancel), locked for the step: LOT_NOT_FOUND
    when the actor may not read it, so a lot in review answers every stranger exactly as an unknown id."""
    readable_lot(session, lot_id, reader_of(actor))
    return get_lot(session, lot_id, lock=lock)


def start_if_open(uow: UnitOfWork, lot: Lot) -> None:
    """A scheduled lot whose start has passed is open by server time (domain.lots.phase): start it, as of
    its start, before acting on it — a bid in the second before the scheduler's tick is taken, not refused.
    Call with the lot row locked."""
    if lot.status != LotStatus.SCHEDULED.value or lot.starts_at > uow.now:
        return
    decision = start_auction(load_snapshot(uow.session, lot), lot.starts_at)
    lot.status, lot.seq = decision.status.value, decision.seq
    uow.record(lot, decision.events)
    save_due(lot)


@locks.step
def review_lot(uow: UnitOfWork, staff: User, lot_id: int, approve: bool, reason: str | None) -> Lot:
    require_staff(staff)
    if not approve:
        reason = required_reason(reason)
    lot = get_lot(uow.session, lot_id, lock=True)
    before = lot.status
    status = reviewed(LotStatus(lot.status), approve, lot.ends_at, uow.now)
    if approve and lot.kind == LotKind.JUDICIAL.value:  # approving publishes the announcement (拍卖公告) now
        require_lead_at_approval(Category(lot.category), lot.starts_at, uow.now, RoundKind(lot.round_kind))
        lot.announced_at = uow.now
    lot.status = status.value
    lot.review_note = reason
    save_due(lot)
    action = StaffAction.LOT_APPROVE if approve else StaffAction.LOT_REJECT
    details = {"from_status": before, "to_status": lot.status}
    record_action(uow, staff, action, ObjectType.LOT, lot.id, reason, uow.now, details)
    return lot


def aliases_of(session: Session, lot_id: int) -> dict[int, str]:
    rows = session.execute(select(BidderAlias.user_id, BidderAlias.alias).where(BidderAlias.lot_id == lot_id))
    return {user_id: alias for user_id, alias in rows}


def ensure_alias(session: Session, lot_id: int, user_id: int) -> str:
    """A bidder's per-lot alias (竞买号), random and unique on the lot, kept for the lot's life."""
    existing = aliases_of(session, lot_id)
    if user_id in existing:
        return existing[user_id]
    taken = set(existing.values())
    while True:
        alias = "".join(secrets.choice(ALIAS_ALPHABET) for _ in range(4))
        if alias not in taken:
            break
    session.add(BidderAlias(lot_id=lot_id, user_id=user_id, alias=alias))
    session.flush()
    return alias


def _maximum(amount: int | None, max_amount: int | None) -> int:
    value = max_amount if max_amount is not None else amount
    if value is None:
        raise InvariantError("a submission has an amount or a maximum")
    return value


def load_snapshot(session: Session, lot: Lot) -> AuctionSnapshot:
    """The lot's auction as the domain sees it. Call with the lot row locked before deciding."""
    submissions = tuple(
        Submission(order_no, bidder_id, amount, _maximum(amount, max_amount))
        for order_no, bidder_id, amount, max_amount in session.execute(
            select(Bid.order_no, Bid.bidder_id, Bid.amount, Bid.max_amount)
            .where(
                Bid.lot_id == lot.id, Bid.status == "active", Bid.kind.in_([BidKind.BID.value, BidKind.MAX_RAISE.value])
            )
            .order_by(Bid.order_no)
        )
    )
    recorded_high = {
        bidder_id: int(high or 0)
        for bidder_id, high in session.execute(
            select(Bid.bidder_id, func.max(Bid.amount))
            .where(Bid.lot_id == lot.id, Bid.status == "active", Bid.seq.is_not(None))
            .group_by(Bid.bidder_id)
        )
    }
    return AuctionSnapshot(
        lot_id=lot.id,
        status=LotStatus(lot.status),
        seller_id=lot.seller_id,
        rules=rules_of(lot),
        ends_at=lot.ends_at,
        extensions=lot.extensions,
        seq=lot.seq,
        order_no=lot.order_no,
        bid_count=lot.bid_count,
        submissions=submissions,
        recorded_high=recorded_high,
        aliases=aliases_of(session, lot.id),
        # priority buyers (RULES §7) tie ahead of others on judicial lots only
        priority=holder_ranks(session, lot.id) if lot.kind == LotKind.JUDICIAL.value else {},
    )

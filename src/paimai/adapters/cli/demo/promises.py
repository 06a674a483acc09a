"""What each scenario promises of its lot, and the workplace of its state, checked on the seeded result
through the read models.

The planner never predicts an extension or a close; whether a lot is still open, how often it was extended,
when it ends and what became of its order are read back here after the replay. So are the workplace's
applications, lots, cash-out, frozen account and the staff audit log, as the pages that show them read
them. A plan that no longer produces what its fixture promises fails the seed (and the tests), instead of
seeding something else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ....domain import ledger
from ....domain.lots import LotStatus
from ....domain.staff import ObjectType, StaffAction
from ....services import accounts, gallery_reads, journal_reads, lot_reads, lots, order_reads, selling, staff
from ....services import media as media_service
from ....services import wallet as wallet_service
from ....services.lot_reads import LotRead
from ....services.staff_audit import AuditQuery, search
from ....services.types import User
from .fixture import Workplace
from .planner import LotPlan


def _order_status(session: Session, read: LotRead, people: Mapping[int, User], now: datetime) -> str | None:
    """The status of the sold lot's order, as its buyer sees it."""
    buyer = people.get(read.lot.winner_id) if read.lot.winner_id is not None else None
    if buyer is None:
        return None
    mine = lot_reads.read_lots(session, [read.lot], buyer, now)[0]
    if mine.my_order_id is None:
        return None
    return order_reads.order_detail(session, mine.my_order_id, buyer, now).row.status


def broken_promises(
    session: Session, plans: Sequence[LotPlan], lot_ids: Sequence[int], people: Mapping[int, User], now: datetime
) -> list[str]:
    """Each way a seeded lot differs from its scenario's promise (none: every promise kept). `people` are the
    demo accounts by id; the lots are read as staff see them (those in review too)."""
    staff = next(user for user in people.values() if user.is_staff)
    reads = lot_reads.read_lots(session, [lots.get_lot(session, lot_id) for lot_id in lot_ids], staff, now)
    problems: list[str] = []
    for plan, read in zip(plans, reads, strict=True):
        promise, lot = plan.scenario, read.lot
        name = f"lot {lot.id} ({plan.name})"
        if lot.status != promise.status.value:
            problems.append(f"{name} is {lot.status}, not {promise.status.value}")
            continue
        if promise.status is LotStatus.LIVE and not read.view.bidding_open:
            problems.append(f"{name} is no longer open for bids (it ended {lot.ends_at.isoformat()})")
        if lot.extensions < promise.min_extensions:
            problems.append(f"{name} was extended {lot.extensions} time(s), not {promise.min_extensions} or more")
        if promise.ends_within_minutes and lot.ends_at - now > timedelta(minutes=promise.ends_within_minutes):
            problems.append(f"{name} ends {lot.ends_at.isoformat()}, not within {promise.ends_within_minutes} min")
        if plan.order_fate is not None:
            status = _order_status(session, read, people, now)
            if status != plan.order_fate.value:
                problems.append(f"{name}: its order is {status or 'missing'}, not {plan.order_fate.value}")
    return problems


# ---- the workplace ------------------------------------------------------------------------------------------

# The staff decisions the audit log must show, made by the demo's staff account (the lots' and sellers'
# approvals come from the lots and accounts; the rejections and the freeze from the workplace).
AUDITED = frozenset(
    {
        StaffAction.SELLER_APPROVE,
        StaffAction.SELLER_REJECT,
        StaffAction.LOT_APPROVE,
        StaffAction.LOT_REJECT,
        StaffAction.USER_FREEZE,
    }
)
AUDIT_LIMIT = 10_000


@dataclass(frozen=True)
class Decision:
    """A staff decision the workplace made: its audit entry must exist, with this reason."""

    action: StaffAction
    object_type: ObjectType
    object_id: int
    reason: str | None


@dataclass
class WorkplaceMade:
    """What the workplace's actions made, filled in as they run (the ids the promises are checked on)."""

    applications: dict[str, list[int]] = field(default_factory=dict)  # applicant → application ids, oldest first
    lots: list[tuple[int, LotStatus, int]] = field(default_factory=list)  # (seller id, promised status, lot id)
    frozen: dict[str, int] = field(default_factory=dict)  # username → user id
    cash_out: tuple[int, int, int] | None = None  # (seller id, cash-out id, amount)
    decisions: list[Decision] = field(default_factory=list)


def broken_workplace_promises(
    session: Session, place: Workplace, made: WorkplaceMade, staff_user: User, *, documents: bool, now: datetime
) -> list[str]:
    """Each way the seeded workplace differs from fixture.toml's [workplace] (none: every promise kept).
    `documents`: whether the applications' documents and the lots' photos were stored (media given)."""
    return [
        *_applications(session, place, made, staff_user, documents),
        *_frozen(session, place, made),
        *_lots(session, made, documents, now),
        *_cash_out(session, made),
        *_audit(session, made, staff_user),
    ]


def _applications(
    session: Session, place: Workplace, made: WorkplaceMade, staff_user: User, documents: bool
) -> list[str]:
    problems: list[str] = []
    every = accounts.list_applications(session, None)
    waiting = {application.id for application in accounts.list_applications(session, "pending")}
    for applicant in place.applicants:
        name = f"applicant {applicant.username}"
        ids = made.applications.get(applicant.username, [])
        rows = [row for row in every if row.id in ids]
        if len(rows) != len(applicant.applications):
            problems.append(f"{name} has {len(rows)} application(s), not {len(applicant.applications)}")
            continue
        for n, (promised, row) in enumerate(zip(applicant.applications, rows, strict=True), start=1):
            status = {None: "pending", "approve": "approved", "reject": "rejected"}[promised.decision]
            if row.status != status:
                problems.append(f"{name}'s application {n} is {row.status}, not {status}")
            elif status == "pending" and row.id not in waiting:
                problems.append(f"{name}'s application {n} is not in the staff queue")
            elif status == "rejected" and (row.reason != promised.reason or row.decided_by != staff_user.id):
                problems.append(f"{name}'s application {n} was not rejected by {staff_user.username} with its reason")
        user = staff.get_user(session, rows[0].user_id)
        if user.seller_status != rows[-1].status:
            problems.append(f"{name} shows seller status {user.seller_status}, not {rows[-1].status}")
        uploaded = media_service.documents_of(session, user.id) if documents else []
        if documents and len(uploaded) != len(applicant.applications):
            problems.append(f"{name} uploaded {len(uploaded)} document(s), not one per application")
    return problems


def _frozen(session: Session, place: Workplace, made: WorkplaceMade) -> list[str]:
    problems: list[str] = []
    for frozen in place.frozen:
        user_id = made.frozen.get(frozen.username)
        user = staff.get_user(session, user_id) if user_id is not None else None
        if user is None or user.frozen_at is None:
            problems.append(f"{frozen.username} is not frozen")
        elif user.frozen_reason != frozen.reason:
            problems.append(f"{frozen.username} is frozen with the reason {user.frozen_reason!r}, not the fixture's")
    return problems


def _lots(session: Session, made: WorkplaceMade, documents: bool, now: datetime) -> list[str]:
    """Each lot on its seller's 我的拍品 shelf and still theirs to mend (a rejected one with staff's reason);
    each with photos."""
    problems: list[str] = []
    photos = gallery_reads.galleries(session, [lot_id for _, _, lot_id in made.lots])
    for seller_id, status, lot_id in made.lots:
        shelves = selling.my_lots(session, staff.get_user(session, seller_id), now)
        mine = next((lot for lot in shelves[selling.shelf_of(status)] if lot.id == lot_id), None)
        name = f"workplace lot {lot_id}"
        if mine is None:
            problems.append(f"{name} is not on its seller's {selling.shelf_of(status)} shelf (我的拍品)")
        elif not mine.editable:
            problems.append(f"{name} ({mine.status}) cannot be edited by its seller")
        elif status is LotStatus.REJECTED and not mine.review_note:
            problems.append(f"{name} is rejected without staff's reason on 我的拍品")
        if documents and not photos.get(lot_id):
            problems.append(f"{name} has no photos")
    return problems


def _cash_out(session: Session, made: WorkplaceMade) -> list[str]:
    if made.cash_out is None:
        return ["the seller's cash-out was not made"]
    seller_id, cash_out_id, amount = made.cash_out
    done = next((row for row in wallet_service.cash_outs(session, seller_id, 50, None) if row.id == cash_out_id), None)
    if done is None or done.status != wallet_service.PAID or done.amount != amount:
        return [f"cash-out {cash_out_id} is not paid out as ¥{amount / 100:,.2f} in the seller's cash-outs"]
    entry = journal_reads.entry_postings(session, done.entry_id)
    postings = entry[1] if entry else []
    if sum(amount for _, amount in postings) != 0 or (ledger.available(seller_id).key, -amount) not in postings:
        return [f"cash-out {cash_out_id}'s journal entry {done.entry_id} does not balance out of the seller's wallet"]
    return []


def _audit(session: Session, made: WorkplaceMade, staff_user: User) -> list[str]:
    entries = search(session, AuditQuery(actor=staff_user.username), limit=AUDIT_LIMIT)
    ours = [entry for entry in entries if entry["actor_id"] == staff_user.id]
    problems = [
        f"the audit log has no {decision.action.value} of {decision.object_type.value} {decision.object_id} "
        f"by {staff_user.username} with its reason"
        for decision in made.decisions
        if not any(
            (entry["action"], entry["object_type"], entry["object_id"], entry["reason"])
            == (decision.action.value, decision.object_type.value, decision.object_id, decision.reason)
            for entry in ours
        )
    ]
    missing = sorted({action.value for action in AUDITED} - {entry["action"] for entry in ours})
    if missing:
        problems.append(f"the audit log shows no {', '.join(missing)} by {staff_user.username}")
    return problems

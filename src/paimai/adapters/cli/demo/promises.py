"""What each scenario promises of its lot, checked on the seeded result through the read models.

The planner never predicts an extension or a close; whether a lot is still open, how often it was extended,
when it ends and what became of its order are read back here after the replay. A plan that no longer
produces what its scenario promises fails the seed (and the tests), instead of seeding something else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ....domain.lots import LotStatus
from ....services import lot_reads, lots, order_reads
from ....services.lot_reads import LotRead
from ....services.types import User
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

"""`paimai demo`: realistic demo data, seeded through the same services the API uses.

- fixture.toml / fixture.py: the data (accounts, lots for sale, scenarios, order fates, texts) and its checks.
- planner.py: the scenarios as a dated history — who does what when, as of the moment of seeding.
- seeder.py: that history replayed through the services in time order, the scheduler's due work before
  each step, all in one database transaction; promises.py then checks each lot became what was promised.
- summary.py: the closing summary.

So the ledger balances, every lot's hash-chained record verifies, and every extension, close, deadline and
default is the platform's own. An interrupted seed leaves nothing behind; a second run finds either all of
it or none. Live events are not published (nobody watches a lot that does not exist yet).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ....bootstrap import Container
from ....services import demo_support, lot_reads
from ....services.types import User
from .fixture import Fixture, FixtureError, load_fixture
from .planner import DemoPlanError
from .seeder import Seeder
from .summary import summary

__all__ = ["DemoConflict", "DemoPlanError", "FixtureError", "load_fixture", "seed", "summary"]


class DemoConflict(Exception):
    """The database holds some of the demo accounts but not as the demo made them."""


def seed(container: Container, lot_count: int = 30, password: str = "paimai-demo", *, progress: bool = True) -> str:  # noqa: S107
    """Seed the demo data, or top up what is missing; return a summary.

    - An empty database (none of the demo accounts): accounts, wallets and `lot_count` lots.
    - All demo accounts present: nothing, unless fewer than the fixture's min_live_lots of the demo lots are
      still open for bids (time has passed since the first seed); then a fresh set of live lots is added.
    - Some demo accounts present but not all, or not as the demo makes them: DemoConflict, nothing written.
    """
    if lot_count < 1:
        raise ValueError("lot_count must be at least 1")
    fixture = load_fixture()
    now = container.now()
    session = container.sessions()
    stored: list[str] = []  # the photos' files: deleted again if the seed rolls back
    try:
        with session.begin():
            demo_support.lock_for_seeding(session)
            existing = demo_support.users_named(session, fixture.accounts.usernames)
            if not existing:
                added = _seed_afresh(container, fixture, session, now, lot_count, password, stored, progress=progress)
            else:
                _check_demo_accounts(fixture, existing)
                added = _top_up_live_lots(
                    container, fixture, session, now, existing, password, stored, progress=progress
                )
    except BaseException:
        for key in stored:
            container.media.delete(key)
        raise
    finally:
        session.close()
    return added + "\n" + summary(container, fixture, password)


def _seed_afresh(
    container: Container, fixture: Fixture, session: Session, now: datetime, count: int, password: str,
    stored: list[str], *, progress: bool,
) -> str:  # fmt: skip
    seeder = Seeder(fixture, container.platform, password, now, fixture.seed, media=container.media, stored=stored)
    seeder.plan_accounts()
    scenarios = fixture.plan.lots
    seeder.plan_lots(0, [scenarios[index % len(scenarios)] for index in range(count)])
    seeder.run(session, progress=progress)
    return f"demo data created / 演示数据已生成 ({count} lots)"


def _top_up_live_lots(
    container: Container, fixture: Fixture, session: Session, now: datetime, existing: dict[str, User],
    password: str, stored: list[str], *, progress: bool,
) -> str:  # fmt: skip
    """A fresh set of live lots once too few of the demo's are still open for bids (per the lot read model)."""
    seller_ids = [existing[name].id for name in fixture.sellers]
    demo_lots = demo_support.lots_of_sellers(session, seller_ids)
    live = sum(1 for read in lot_reads.read_lots(session, demo_lots, None, now) if read.view.bidding_open)
    if live >= fixture.plan.min_live_lots:
        return f"demo data already present ({live} lots live); nothing added / 演示数据已存在，未做改动"
    added = len(fixture.plan.top_up)
    seeder = Seeder(
        fixture, container.platform, password, now, fixture.seed + len(demo_lots), existing,
        media=container.media, stored=stored,
    )  # fmt: skip
    seeder.plan_lots(len(demo_lots), fixture.plan.top_up)
    seeder.run(session, progress=progress)
    return (
        f"demo data already present; only {live} lots were still live, so {added} live lots were added"
        f" / 演示数据已存在，补充了 {added} 件正在拍卖的拍品"
    )


def _check_demo_accounts(fixture: Fixture, existing: dict[str, User]) -> None:
    staff = fixture.accounts.staff.username
    missing = [name for name in fixture.accounts.usernames if name not in existing]
    problems = [f"missing {', '.join(missing)}"] if missing else []
    if staff in existing and not existing[staff].is_staff:
        problems.append(f"'{staff}' is not staff")
    problems += [
        f"'{name}' is not an approved seller"
        for name in fixture.sellers
        if name in existing and existing[name].seller_status != "approved"
    ]
    if problems:
        raise DemoConflict(
            "this database has some of the demo accounts but not as `paimai demo` makes them ("
            + "; ".join(problems)
            + "); use an empty database / 数据库中已有部分同名账号，请使用空数据库"
        )

"""`paimai demo`: realistic demo data, seeded through the same services the API uses.

- fixture.toml / fixture.py: the data (accounts, lots for sale, scenarios, order fates, texts) and its checks.
- planner.py: the scenarios as a dated history — who does what when, as of the moment of seeding.
- seeder.py: that history replayed through the services in time order, the scheduler's due work before
  each step, all in one database transaction; promises.py then checks each lot became what was promised.
- workplace.py: the sellers' and staff's workplace (applications, drafts, reviews, a cash-out, a frozen
  account), planned onto the same seeder and checked the same way.
- summary.py: the closing summary.

So the ledger balances, every lot's hash-chained record verifies, and every extension, close, deadline and
default is the platform's own. An interrupted seed leaves nothing behind; a second run finds either all of
it or none. Live events are not published (nobody watches a lot that does not exist yet).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ....bootstrap import Container
from ....domain.rules import Category
from ....services import demo_support, lot_reads
from ....services.types import User
from .fixture import Fixture, FixtureError, load_fixture
from .judicial import plan_judicial
from .planner import DemoPlanError
from .seeder import Seeder
from .summary import summary
from .workplace import plan_workplace

__all__ = ["DemoConflict", "DemoPlanError", "FixtureError", "load_fixture", "seed", "summary"]


class DemoConflict(Exception):
    """The database holds some of the demo accounts but not as the demo made them."""


def seed(container: Container, lot_count: int = 30, password: str = "paimai-demo", *, progress: bool = True) -> str:  # noqa: S107
    """Seed the demo data, or top up what is missing; return a summary.

    - An empty database (none of the demo accounts): accounts, wallets, `lot_count` lots and the workplace.
    - All demo accounts present: nothing, unless fewer than the fixture's min_live_lots of the demo lots are
      still open for bids (time has passed since the first seed); then a fresh set of live lots is added.
      The workplace, if none of its accounts exist yet (demo data from before it), is added then too.
    - Some demo accounts present but not all, or not as the demo makes them: DemoConflict, nothing written.

    At least seven lots: the first seven show every status and category, and sell the cash-out's seller
    what they cash out.
    """
    if lot_count < len(Category):
        raise ValueError(f"lot_count must be at least {len(Category)}")
    fixture = load_fixture()
    now = container.now()
    session = container.sessions()
    stored: list[str] = []  # the photos' files: deleted again if the seed rolls back
    try:
        with session.begin():
            demo_support.lock_for_seeding(session)
            existing = demo_support.users_named(session, fixture.accounts.usernames)
            workplace = demo_support.users_named(session, fixture.workplace.usernames)
            if not existing and not workplace:
                added = _seed_afresh(container, fixture, session, now, lot_count, password, stored, progress=progress)
            else:
                _check_demo_accounts(fixture, existing, workplace)
                added = _top_up(
                    container, fixture, session, now, existing, password, stored,
                    workplace=not workplace, progress=progress,
                )  # fmt: skip
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
    plan_workplace(seeder, fixture, upload_max_bytes=container.settings.upload_max_bytes)
    plan_judicial(seeder, fixture)
    seeder.run(session, progress=progress)
    return f"demo data created / 演示数据已生成 ({count} lots, and the sellers' and staff's workplace)"


def _top_up(
    container: Container, fixture: Fixture, session: Session, now: datetime, existing: dict[str, User],
    password: str, stored: list[str], *, workplace: bool, progress: bool,
) -> str:  # fmt: skip
    """A fresh set of live lots once too few of the demo's are still open for bids (per the lot read model);
    the workplace if `workplace` (demo data from before it)."""
    seller_ids = [existing[name].id for name in fixture.sellers]
    demo_lots = demo_support.lots_of_sellers(session, seller_ids)
    live = sum(1 for read in lot_reads.read_lots(session, demo_lots, None, now) if read.view.bidding_open)
    lots_needed = live < fixture.plan.min_live_lots
    if not lots_needed and not workplace:
        return f"demo data already present ({live} lots live); nothing added / 演示数据已存在，未做改动"
    seeder = Seeder(
        fixture, container.platform, password, now, fixture.seed + len(demo_lots), existing,
        media=container.media, stored=stored,
    )  # fmt: skip
    said = []
    if lots_needed:
        added = len(fixture.plan.top_up)
        seeder.plan_lots(len(demo_lots), fixture.plan.top_up)
        said.append(
            f"demo data already present; only {live} lots were still live, so {added} live lots were added"
            f" / 演示数据已存在，补充了 {added} 件正在拍卖的拍品"
        )
    if workplace:
        plan_workplace(seeder, fixture, upload_max_bytes=container.settings.upload_max_bytes)
        said.append("demo data already present; the sellers' and staff's workplace was added / 补充了卖家与运营工作台")
    seeder.run(session, progress=progress)
    return "\n".join(said)


def _check_demo_accounts(fixture: Fixture, existing: dict[str, User], workplace: dict[str, User]) -> None:
    staff = fixture.accounts.staff.username
    missing = [name for name in fixture.accounts.usernames if name not in existing]
    if workplace:  # the workplace's accounts: all of them or (demo data from before it) none
        missing += [name for name in fixture.workplace.usernames if name not in workplace]
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

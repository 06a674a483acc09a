"""`paimai demo` (SQLite and PostgreSQL) and `paimai ledger check` on its data, through Typer's CliRunner.

Each test runs on a database of its own. The demo is seeded once per worker into a SQLite template
(a few seconds) and copied for each test that needs it.
"""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_support import ENV_KEYS, EngineFor, engine_for_fixture, media_dir, ok, paimai, sqlite_url  # noqa: F401 (a fixture)
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from conftest import fresh_postgres_database
from paimai.adapters.cli import demo
from paimai.adapters.cli.demo import DemoPlanError, FixtureError, load_fixture, seed
from paimai.adapters.cli.demo.fixture import Fixture
from paimai.bootstrap import Container
from paimai.config import Settings
from paimai.domain import ledger
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.orders import OrderStatus
from paimai.persistence.migrate import upgrade
from paimai.persistence.models import (
    Bid,
    CashOut,
    Deposit,
    JournalEntryRow,
    LedgerAccount,
    Lot,
    Order,
    PostingRow,
    SellerApplication,
    SellerDocument,
    StaffActionRow,
    User,
    Withdrawal,
)
from paimai.services import accounts, record
from paimai.services import ledger as ledger_service
from paimai.services import media as media_service
from paimai.services import staff as staff_service
from paimai.services import wallet as wallet_service

# The tests on a copy of the seeded demo share one worker, so the demo is seeded once.
same_seed = pytest.mark.xdist_group("cli-demo")

FIXTURE = load_fixture()
BIDDERS, SELLERS = FIXTURE.bidders, FIXTURE.sellers
WORKPLACE = FIXTURE.workplace
DEMO_USERS = (*FIXTURE.accounts.usernames, *WORKPLACE.usernames)
LIVE_SCENARIOS = FIXTURE.plan.top_up

# `paimai demo` with its default 30 lots (see [plan] lots in adapters/cli/demo/fixture.toml), the three
# of the workplace ([workplace] lots: a draft, one in review, one rejected) and the court's four judicial lots
# (demo/judicial.py: one announced, in `other`; one live, in `real_estate`; one sold, in `vehicles`; one
# unsold, in `other`)
EXPECTED_STATUSES = {
    "live": 9 + 1,
    "suspended": 1,
    "sold": 7 + 1,
    "scheduled": 4 + 1,
    "unsold": 4 + 1,
    "cancelled": 2,
    "pending_review": 2 + 1,
    "rejected": 1 + 1,
    "draft": 1,
}
EXPECTED_ORDERS = {"completed": 2, "shipped": 1, "paid": 1, "awaiting_payment": 1 + 1, "closed": 1, "defaulted": 1}
EXPECTED_CATEGORIES = {
    "art": 5 + 1,
    "collectibles": 5 + 1,
    "luxury": 4,
    "jewellery": 4 + 1,
    "real_estate": 4 + 1,
    "vehicles": 4 + 1,
    "other": 4 + 1 + 1,
}
# the staff decisions the audit log shows after a demo, all by the demo's staff account
EXPECTED_AUDIT = {
    "seller_application.approve",
    "seller_application.reject",
    "lot.approve",
    "lot.reject",
    "lot.suspend",
    "lot.cancel",
    "user.freeze",
}


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: int(conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
            for table in ("users", "lots", "bids", "deposits", "journal_entries", "postings", "lot_events")
        }


# ---- the ledger and the record after a demo ---------------------------------------------------------


def check_books(engine: Engine) -> None:
    """Every journal entry sums to zero; every balance is the sum of its postings; no user account is
    negative; each wallet's frozen part is exactly its frozen deposits; every lot's record verifies."""
    with engine.connect() as conn:
        unbalanced = conn.execute(
            select(PostingRow.entry_id, func.sum(PostingRow.amount))
            .group_by(PostingRow.entry_id)
            .having(func.sum(PostingRow.amount) != 0)
        ).all()
        assert unbalanced == []
        lonely = conn.scalar(
            select(func.count())
            .select_from(JournalEntryRow)
            .where(~select(PostingRow.id).where(PostingRow.entry_id == JournalEntryRow.id).exists())
        )
        assert lonely == 0
    with Session(engine) as session:
        sums = ledger_service.sum_of_postings(session)
        balances = dict(session.execute(select(LedgerAccount.key, LedgerAccount.balance)).all())
        assert {key: balance for key, balance in balances.items() if balance or key in sums} == sums
        assert all(balance >= 0 for key, balance in balances.items() if key.startswith("user:"))
        frozen_deposits = Counter[int]()
        for user_id, amount in session.execute(
            select(Deposit.user_id, Deposit.amount).where(Deposit.status == "frozen")
        ):
            frozen_deposits[user_id] += amount
        for user_id in session.scalars(select(User.id)):
            assert ledger_service.wallet(session, user_id)["frozen"] == frozen_deposits[user_id]
        for lot_id in session.scalars(select(Lot.id)):
            chain = record.entries(session, lot_id)
            assert record.verify(chain), f"lot {lot_id}: the record does not verify"


def check_demo(engine: Engine, *, seeded_by: datetime) -> None:
    """What `paimai demo` promises, on a database it has just seeded at `seeded_by` (or a little before)."""
    with Session(engine) as session:
        statuses = Counter(dict(session.execute(select(Lot.status, func.count()).group_by(Lot.status)).all()))
        categories = Counter(dict(session.execute(select(Lot.category, func.count()).group_by(Lot.category)).all()))
        assert dict(statuses) == EXPECTED_STATUSES
        assert dict(categories) == EXPECTED_CATEGORIES
        users = {user.username: user for user in session.scalars(select(User))}
        assert set(users) == set(DEMO_USERS)
        assert accounts.roles(users["staff"]) == ["staff"]  # staff are not bidders
        assert all(users[name].seller_status == "approved" for name in SELLERS)
        assert all(users[name].seller_status == "none" and not users[name].is_staff for name in BIDDERS)
        check_workplace(session, users)
        for name in BIDDERS:
            wallet = ledger_service.wallet(session, users[name].id)
            assert wallet["available"] > 0, name
        # sellers never bid; the seller of a lot never holds a deposit on it
        seller_ids = {users[name].id for name in SELLERS}
        assert session.scalar(select(func.count()).select_from(Bid).where(Bid.bidder_id.in_(seller_ids))) == 0

        lots = list(session.scalars(select(Lot)))
        live = [lot for lot in lots if lot.status == "live"]
        assert all(lot.ends_at > seeded_by for lot in live), "a live lot has already ended"
        assert len(live) >= FIXTURE.plan.min_live_lots
        assert sum(1 for lot in live if lot.bid_count > 0) >= 5
        assert any(lot.ends_at - seeded_by < timedelta(minutes=5) for lot in live), "no lot closes soon"
        assert any(lot.extensions >= 2 for lot in lots), "no lot was extended twice"
        assert any(lot.extensions > 0 for lot in live), "no live lot shows an extension"
        proxies = session.scalar(select(func.count()).select_from(Bid).where(Bid.kind == "proxy"))
        assert proxies and proxies >= 10
        raises = session.scalar(select(func.count()).select_from(Bid).where(Bid.kind == "max_raise"))
        assert raises and raises >= 1

        for lot in lots:
            frozen = list(
                session.scalars(select(Deposit.user_id).where(Deposit.lot_id == lot.id, Deposit.status == "frozen"))
            )
            if lot.status == "sold":
                assert lot.winner_id is not None and lot.final_price is not None
                order_status = session.scalar(select(Order.status).where(Order.lot_id == lot.id))
                expected = [lot.winner_id] if order_status == "awaiting_payment" else []
                assert frozen == expected, f"sold lot {lot.id} ({order_status}): deposits still frozen {frozen}"
                if lot.reserve_price is not None:
                    assert lot.final_price >= lot.reserve_price
            elif lot.status in ("unsold", "cancelled"):
                assert frozen == [], f"{lot.status} lot {lot.id} still holds deposits"
                assert lot.winner_id is None
            if lot.status == "cancelled":
                assert session.scalar(select(func.count()).select_from(Deposit).where(Deposit.lot_id == lot.id))
                assert lot.review_note
            if lot.status in ("draft", "pending_review", "rejected"):
                assert lot.bid_count == 0
            if lot.status == "rejected":
                assert lot.review_note
        orders = Counter(dict(session.execute(select(Order.status, func.count()).group_by(Order.status)).all()))
        judicial = Counter({"awaiting_payment": 1})  # the court's sold lot (demo/judicial.py), not in the plan
        assert dict(orders) == EXPECTED_ORDERS == dict(Counter(promised_orders(FIXTURE.plan.lots)) + judicial)
        for order in session.scalars(select(Order)):
            sold = session.get(Lot, order.lot_id)
            assert sold is not None and sold.status == "sold"
            assert (order.buyer_id, order.price) == (sold.winner_id, sold.final_price)
        defaulter = session.scalar(
            select(User).join(Order, Order.buyer_id == User.id).where(Order.status == "defaulted")
        )
        assert defaulter is not None and defaulter.default_count == 1
        kinds = set(session.scalars(select(Withdrawal.kind)))
        assert kinds == {"bid", "auction"}, "the demo shows both 撤回出价 and 撤回竞拍"
        assert session.scalar(select(func.count()).select_from(Bid).where(Bid.status == "withdrawn"))
        fees = session.scalar(
            select(func.count()).select_from(JournalEntryRow).where(JournalEntryRow.kind == "withdrawal_fee")
        )
        assert fees == 2
        unsold_reserve = [lot for lot in lots if lot.status == "unsold" and lot.bid_count > 0]
        assert unsold_reserve and all(lot.reserve_price is not None for lot in unsold_reserve)
    check_books(engine)


def check_workplace(session: Session, users: dict[str, User]) -> None:
    """The sellers' and staff's workplace, read straight from the tables (apart from the seed's own promises):
    the applications and their documents, the frozen account, the workplace lots, the cash-out, the audit log."""
    staff = users["staff"]
    applications = list(session.scalars(select(SellerApplication).order_by(SellerApplication.id)))
    for applicant in WORKPLACE.applicants:
        user = users[applicant.username]
        mine = [a for a in applications if a.user_id == user.id]
        assert [a.status for a in mine] == [
            {None: "pending", "approve": "approved", "reject": "rejected"}[a.decision] for a in applicant.applications
        ]
        for application, promised in zip(mine, applicant.applications, strict=True):
            if promised.decision == "reject":
                assert (application.reason, application.decided_by) == (promised.reason, staff.id)
        documents = list(session.scalars(select(SellerDocument).where(SellerDocument.user_id == user.id)))
        assert len(documents) == len(applicant.applications)
        assert all(document.content_type == "image/jpeg" and document.size > 0 for document in documents)
    assert sum(1 for a in applications if a.status == "pending") == 2, "two applications wait in the staff queue"
    for frozen in WORKPLACE.frozen:
        user = users[frozen.username]
        assert user.frozen_at is not None and user.frozen_reason == frozen.reason
        assert frozen.username not in FIXTURE.accounts.usernames, "a frozen account is not one to sign in with"
    titles = {lot.title: lot for lot in session.scalars(select(Lot))}
    for listed in WORKPLACE.lots:
        lot = titles[listed.title]
        assert (lot.status, lot.seller_id) == (listed.state, users[listed.seller].id)
        assert lot.review_note == listed.reason
    paid = list(session.scalars(select(CashOut)))
    seller = users[WORKPLACE.cash_out.seller]
    assert [(c.user_id, c.status) for c in paid] == [(seller.id, "paid")] and paid[0].amount > 0
    postings = dict(session.execute(select(PostingRow.account_key, PostingRow.amount).where(
        PostingRow.entry_id == paid[0].entry_id)).all())  # fmt: skip
    assert postings[ledger.available(seller.id).key] == -paid[0].amount and sum(postings.values()) == 0
    actions = Counter(session.scalars(select(StaffActionRow.action).where(StaffActionRow.actor_id == staff.id)))
    assert set(actions) == EXPECTED_AUDIT
    assert actions["user.freeze"] == len(WORKPLACE.frozen)
    assert actions["lot.reject"] == EXPECTED_STATUSES["rejected"]
    assert actions["seller_application.reject"] == 1


def promised_orders(scenarios: Sequence[str]) -> dict[str, int]:
    """The order states the fixture's scenarios promise, by occurrence, for these lots."""
    seen: Counter[str] = Counter()
    fates: Counter[str] = Counter()
    for name in scenarios:
        promised = FIXTURE.scenarios[name].order_fates
        if promised:
            fates[promised[seen[name] % len(promised)].value] += 1
        seen[name] += 1
    return dict(fates)


# ---- a demo seeded once per worker --------------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    path: Path
    output: str
    finished: datetime


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """`paimai demo` on a fresh SQLite file with the simulated clock (so tests can move time on copies)."""
    path = tmp_path_factory.mktemp("cli-demo") / "demo.db"
    output = ok(paimai("demo", url=sqlite_url(path), clock="simulated"))
    return Seeded(path, output, datetime.now().astimezone())


@pytest.fixture
def seeded(seeded_template: Seeded, tmp_path: Path) -> str:
    path = tmp_path / "demo.db"
    shutil.copy(seeded_template.path, path)
    return sqlite_url(path)


# ---- demo on SQLite -----------------------------------------------------------------------------------


def test_every_demo_lot_has_drawn_photos_served_from_storage(seeded_template: Seeded, seeded: str) -> None:
    """Two photos per lot, stored through the media storage (random keys, files present), cover first; and
    every application's document."""
    from paimai.persistence.models import LotImage
    from paimai.services.storage import LocalDirectoryStorage, valid_key

    engine = Container(Settings(database_url=seeded, run_scheduler=False)).engine
    with Session(engine) as session:
        lot_ids = set(session.scalars(select(Lot.id)))
        images = session.scalars(select(LotImage)).all()
        documents = session.scalars(select(SellerDocument)).all()
    engine.dispose()
    assert {image.lot_id for image in images} == lot_ids and len(images) == 2 * len(lot_ids)
    storage = LocalDirectoryStorage(media_dir(sqlite_url(seeded_template.path)))
    for image in images[:4]:
        assert valid_key(image.key) and valid_key(image.thumb_key)
        assert storage.get(image.key).startswith(b"\xff\xd8\xff") and storage.get(image.thumb_key)
    assert len(documents) == sum(len(applicant.applications) for applicant in WORKPLACE.applicants)
    for document in documents:  # uploaded as PNG, kept as the upload re-encodes an image
        assert valid_key(document.key) and storage.get(document.key).startswith(b"\xff\xd8\xff")


@same_seed
def test_demo_seeds_every_state_and_category_and_the_books_balance(
    seeded_template: Seeded, seeded: str, engine_for: EngineFor
) -> None:
    assert "demo data created" in seeded_template.output
    assert "live 10" in seeded_template.output and "suspended 1" in seeded_template.output
    assert "paimai-demo" in seeded_template.output
    check_demo(engine_for(seeded), seeded_by=seeded_template.finished)


@same_seed
def test_demo_accounts_log_in_with_the_demo_password(seeded: str, engine_for: EngineFor) -> None:
    container = Container(Settings(database_url=seeded, run_scheduler=False))
    try:
        for username in ("staff", "seller1", "bidder5"):
            with container.transaction() as uow:
                logged_in = accounts.login(uow, username, "paimai-demo", ttl_hours=1, address="127.0.0.1")
                assert isinstance(logged_in, accounts.LoggedIn)
                assert logged_in.user.username == username and logged_in.token
        for frozen in WORKPLACE.frozen:  # the frozen customer has the demo password, and is refused
            with container.transaction() as uow:
                refused = accounts.login(uow, frozen.username, "paimai-demo", ttl_hours=1, address="127.0.0.1")
                assert isinstance(refused, DomainError) and refused.code is ErrorCode.ACCOUNT_FROZEN
    finally:
        container.dispose()


@same_seed
def test_a_second_demo_run_changes_nothing(seeded: str, engine_for: EngineFor) -> None:
    before = counts(engine_for(seeded))
    output = ok(paimai("demo", url=seeded, clock="simulated"))
    assert "already present" in output and "nothing added" in output
    assert counts(engine_for(seeded)) == before


@same_seed
def test_live_lots_close_through_the_scheduler_and_a_later_demo_adds_live_lots(
    seeded: str, engine_for: EngineFor
) -> None:
    engine = engine_for(seeded)
    with engine.connect() as conn:
        live = set(conn.scalars(select(Lot.id).where(Lot.status == "live")))
    output = ok(paimai("clock", "advance", str(6 * 24 * 3600), url=seeded, clock="simulated"))
    assert "lot(s) started or closed" in output
    with engine.connect() as conn:
        after = dict(conn.execute(select(Lot.id, Lot.status).where(Lot.id.in_(live))).all())
        assert set(after.values()) <= {"sold", "unsold"}, after
        assert conn.scalar(select(func.count()).select_from(Lot).where(Lot.status == "scheduled")) == 0
    check_books(engine)

    before = counts(engine)
    output = ok(paimai("demo", url=seeded, clock="simulated"))
    assert f"{len(LIVE_SCENARIOS)} live lots were added" in output
    with engine.connect() as conn:
        assert counts(engine)["lots"] == before["lots"] + len(LIVE_SCENARIOS)
        assert counts(engine)["users"] == before["users"]
        fresh = list(conn.execute(select(Lot.status, Lot.title).where(Lot.id > max(live)).order_by(Lot.id.desc())))
        titles = list(conn.scalars(select(Lot.title)))
    assert [status for status, _ in fresh[: len(LIVE_SCENARIOS)]] == ["live"] * len(LIVE_SCENARIOS)
    assert len(titles) == len(set(titles)), "a lot title repeats"
    check_books(engine)
    again = ok(paimai("demo", url=seeded, clock="simulated"))
    assert "nothing added" in again


def test_demo_refuses_a_database_with_a_stranger_named_like_a_demo_account(
    tmp_path: Path, engine_for: EngineFor
) -> None:
    url = sqlite_url(tmp_path / "p.db")
    ok(paimai("user", "create", "--username", "seller1", "--password", "not-a-demo-pw", url=url))
    result = paimai("demo", url=url)
    assert result.exit_code == 1
    assert "DEMO_CONFLICT" in result.output and "seller1" in result.output
    assert counts(engine_for(url))["lots"] == 0
    assert counts(engine_for(url))["users"] == 1


def test_demo_refuses_a_database_with_a_stranger_named_like_a_workplace_account(
    tmp_path: Path, engine_for: EngineFor
) -> None:
    url = sqlite_url(tmp_path / "w.db")
    ok(paimai("user", "create", "--username", "applicant1", "--password", "not-a-demo-pw", url=url))
    result = paimai("demo", url=url)
    assert result.exit_code == 1
    assert "DEMO_CONFLICT" in result.output and "applicant2" in result.output
    assert counts(engine_for(url))["users"] == 1


def test_demo_with_fewer_lots_still_covers_every_state_and_category(tmp_path: Path, engine_for: EngineFor) -> None:
    url = sqlite_url(tmp_path / "small.db")
    ok(paimai("demo", "--lots", "7", url=url))
    with engine_for(url).connect() as conn:
        statuses = set(conn.scalars(select(Lot.status)))
        categories = set(conn.scalars(select(Lot.category)))
    assert statuses == set(EXPECTED_STATUSES)
    assert categories == set(EXPECTED_CATEGORIES)
    check_books(engine_for(url))


def seed_with(fixture: Fixture, url: str, monkeypatch: pytest.MonkeyPatch, lot_count: int = 7) -> str:
    """`seed` on the database at `url` with `fixture` in place of the shipped one."""
    upgrade(url)
    monkeypatch.setattr(demo, "load_fixture", lambda: fixture)
    container = Container(Settings(database_url=url, run_scheduler=False, media_dir=media_dir(url)))
    try:
        return seed(container, lot_count=lot_count, progress=False)
    finally:
        container.dispose()


def test_a_lot_that_does_not_become_what_its_scenario_promises_fails_the_seed_and_leaves_nothing(
    tmp_path: Path, engine_for: EngineFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closing lot is extended twice by its two last-minute bids; a promise of five cannot be kept."""
    closing = FIXTURE.scenarios["live_closing"].model_copy(update={"min_extensions": 5})
    fixture = FIXTURE.model_copy(update={"scenarios": {**FIXTURE.scenarios, "live_closing": closing}})
    url = sqlite_url(tmp_path / "promise.db")
    with pytest.raises(DemoPlanError, match=r"live_closing\) was extended 2 time\(s\), not 5 or more"):
        seed_with(fixture, url, monkeypatch)
    assert counts(engine_for(url)) == dict.fromkeys(counts(engine_for(url)), 0), "a failed seed left data"
    assert not [p for p in media_dir(url).rglob("*") if p.is_file()], "a failed seed left photo files"


def test_a_planned_step_the_services_refuse_fails_the_seed_and_leaves_nothing(
    tmp_path: Path, engine_for: EngineFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paying an order twice is refused by the order service; the seed says which step, and rolls back."""
    paid_twice = FIXTURE.fates[OrderStatus.COMPLETED].model_copy(update={"steps": ("pay", "pay")})
    fixture = FIXTURE.model_copy(update={"fates": {**FIXTURE.fates, OrderStatus.COMPLETED: paid_twice}})
    url = sqlite_url(tmp_path / "refused.db")
    with pytest.raises(DemoPlanError, match=r"拍品 2 订单 pay at .* was refused: ORDER_"):
        seed_with(fixture, url, monkeypatch)
    assert counts(engine_for(url))["users"] == 0


def _nothing(*args: object, **kwargs: object) -> None:
    """A service step that does nothing: what a seeder bug (a step left out) would look like."""


@pytest.mark.parametrize(
    ("module", "step", "replacement", "expected"),
    [
        (staff_service, "freeze", _nothing, r"frozen1 is not frozen"),
        (media_service, "add_lot_image", _nothing, r"workplace lot \d+ has no photos"),
        (staff_service, "record_action", _nothing, r"the audit log has no user\.freeze of user \d+ by staff"),
        (wallet_service, "cash_outs", lambda *args, **kwargs: [], r"cash-out \d+ is not paid out"),
    ],
)
def test_a_workplace_promise_not_kept_fails_the_seed_and_leaves_nothing(
    module: object, step: str, replacement: object, expected: str, tmp_path: Path, engine_for: EngineFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Leave one of the workplace's steps out (the freeze, the photos, the freeze's audit entry), or lose the
    cash-out from the seller's list: the promises checked after seeding catch it, and the seed rolls back."""
    monkeypatch.setattr(module, step, replacement)
    url = sqlite_url(tmp_path / "workplace.db")
    with pytest.raises(DemoPlanError, match=expected):
        seed_with(FIXTURE, url, monkeypatch)
    assert counts(engine_for(url))["users"] == 0
    assert not [p for p in media_dir(url).rglob("*") if p.is_file()], "a failed seed left files"


def test_demo_data_from_before_the_workplace_gets_it_added_once(
    tmp_path: Path, engine_for: EngineFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database seeded by a demo without the workplace: the next run adds it (checked as promised), and the
    run after that adds nothing."""
    url = sqlite_url(tmp_path / "older.db")
    with monkeypatch.context() as older:
        older.setattr(demo, "plan_workplace", lambda *args, **kwargs: None)
        first = seed_with(FIXTURE, url, older)
    assert "workplace 工作台" not in first
    before = counts(engine_for(url))
    output = seed_with(FIXTURE, url, monkeypatch)
    assert "the sellers' and staff's workplace was added" in output and "workplace 工作台" in output
    assert counts(engine_for(url))["users"] == before["users"] + len(WORKPLACE.usernames)
    assert "nothing added" in seed_with(FIXTURE, url, monkeypatch)
    check_books(engine_for(url))


def test_a_bad_fixture_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Fixture:
        raise FixtureError("fixture.toml has 1 problem(s):\n  scenarios.sold.bids: low 9 is above high 3")

    monkeypatch.setattr(demo, "load_fixture", broken)
    result = paimai("demo", url=sqlite_url(tmp_path / "bad.db"))
    assert result.exit_code == 2
    assert "DEMO_FIXTURE_INVALID" in result.output and "scenarios.sold.bids" in result.output
    assert "Traceback" not in result.output


# ---- demo on PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def cli_postgres_url() -> Iterator[str]:
    """A database of this test's own (not the shared test databases), created empty."""
    with fresh_postgres_database("cli_") as url:
        yield url


@pytest.mark.postgres
def test_demo_on_postgresql(cli_postgres_url: str, engine_for: EngineFor) -> None:
    """Two `paimai demo` at once on an empty PostgreSQL database: one seeds, the other waits and finds it."""
    ok(paimai("migrate", url=cli_postgres_url))
    outputs: list[str] = []
    failures: list[BaseException] = []

    def run_demo() -> None:
        settings = Settings(database_url=cli_postgres_url, run_scheduler=False, media_dir=media_dir(cli_postgres_url))
        container = Container(settings)
        try:
            outputs.append(seed(container, progress=False))
        except BaseException as error:
            failures.append(error)
        finally:
            container.dispose()

    threads = [threading.Thread(target=run_demo) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    finished = datetime.now().astimezone()
    assert failures == []
    assert sorted(output.split(" ", 3)[2] for output in outputs) == ["already", "created"], outputs

    engine = engine_for(cli_postgres_url)
    check_demo(engine, seeded_by=finished)
    before = counts(engine)
    again = ok(paimai("demo", url=cli_postgres_url))
    assert "nothing added" in again
    assert counts(engine) == before
    with engine.connect() as conn:  # the ids the demo used are the sequences' own (no clashes later)
        users = conn.scalar(select(func.max(User.id)))
    result = ok(paimai("user", "create", "--username", "latecomer", "--password", "long-enough", url=cli_postgres_url))
    assert f"created user {int(users or 0) + 1} latecomer" in result


# ---- ledger check ------------------------------------------------------------------------------------------


@same_seed
def test_ledger_check_passes_on_the_demo_and_catches_tampering(seeded: str, engine_for: EngineFor) -> None:
    output = ok(paimai("ledger", "check", url=seeded))
    assert "ledger OK" in output and "journal entries" in output
    with engine_for(seeded).begin() as conn:
        posting_id, account = conn.execute(select(PostingRow.id, PostingRow.account_key).limit(1)).one()
        conn.execute(text("UPDATE postings SET amount = amount + 1 WHERE id = :id"), {"id": posting_id})
    result = paimai("ledger", "check", url=seeded)
    assert result.exit_code == 1
    assert "LEDGER_UNBALANCED" in result.output and f"account {account}" in result.output
    assert "sums to 1, not 0" in result.output


def test_ledger_check_without_a_database(tmp_path: Path) -> None:
    result = paimai("ledger", "check", url=sqlite_url(tmp_path / "none.db"))
    assert result.exit_code == 2 and "no database" in result.output
    assert not (tmp_path / "none.db").exists()

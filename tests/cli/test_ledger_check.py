"""`paimai ledger check` on a small database made through the API, clean and then tampered, on both databases.

The command checks the books and every lot's hash-chained record (services/audit.py); a problem exits 1
and names the account or the lot, so an operator restoring a backup knows where to look.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select, update
from typer.testing import CliRunner, Result

from conftest import Api
from paimai.adapters.cli.main import app
from paimai.persistence.models import LedgerAccount, LotEventRow, PostingRow
from paimai.services import audit

ENV_KEYS = ("PAIMAI_DATABASE_URL", "PAIMAI_CLOCK", "PAIMAI_ENV", "PAIMAI_REDIS_URL", "PAIMAI_DATA_DIR")


def ledger_check(api: Api) -> Result:
    env: dict[str, str | None] = dict.fromkeys(ENV_KEYS)
    env.update({"PAIMAI_DATABASE_URL": api.container.settings.database_url, "PAIMAI_CLOCK": "system"})
    return CliRunner().invoke(app, ["ledger", "check"], env=env)


def two_sold_lots(api: Api) -> tuple[int, int]:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot_ids = []
    for _ in range(2):
        lot_id = int(api.live_lot(seller, staff)["id"])
        for bidder in (alice, bob):
            assert api.deposit(bidder, lot_id).status_code == 201
        assert api.bid(alice, lot_id, 100_000, max_amount=200_000).status_code == 201
        assert api.bid(bob, lot_id, 120_000).status_code == 201
        lot_ids.append(lot_id)
    assert api.advance(3601).status_code == 200
    return lot_ids[0], lot_ids[1]


def test_a_clean_database_passes(api: Api) -> None:
    two_sold_lots(api)
    result = ledger_check(api)
    assert result.exit_code == 0, result.output
    assert "ledger OK" in result.output and "records OK" in result.output
    assert "2 lot records, 10 record entries" in result.output
    with api.container.reading() as session:
        report = audit.check(session)
    assert report.ok and report.problems == ()
    assert (report.lots, report.record_entries) == (2, 10)
    assert report.journal_entries > 0 and report.postings == 2 * report.journal_entries


def test_a_tampered_record_fails_and_names_its_lot(api: Api) -> None:
    first, second = two_sold_lots(api)
    with api.container.transaction() as uow:
        bid = uow.session.scalar(select(LotEventRow).where(LotEventRow.lot_id == second, LotEventRow.seq == 2))
        assert bid is not None
        body = json.loads(bid.payload)
        body["amount"] = 90_000
        bid.payload = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    result = ledger_check(api)
    assert result.exit_code == 1, result.output
    assert "RECORD_BROKEN" in result.output and "LEDGER_UNBALANCED" not in result.output
    assert f"lot {second}: the record breaks at entry 2 (hash)" in result.output
    assert f"lot {first}:" not in result.output
    with api.container.reading() as session:
        report = audit.check(session)
    assert [(p.kind, p.subject) for p in report.problems] == [(audit.ProblemKind.RECORD_BROKEN, f"lot {second}")]


def test_a_record_cut_short_fails_on_its_head(api: Api) -> None:
    first, _second = two_sold_lots(api)
    with api.container.transaction() as uow:
        uow.session.execute(delete(LotEventRow).where(LotEventRow.lot_id == first, LotEventRow.seq == 5))
    result = ledger_check(api)
    assert result.exit_code == 1, result.output
    assert f"lot {first}: the record breaks at entry 4 (its last entry is not the head" in result.output


def test_a_journal_entry_that_lost_a_posting_fails(api: Api) -> None:
    """A posting deleted with its account's balance put right: the one thing wrong is the entry itself."""
    two_sold_lots(api)
    with api.container.transaction() as uow:
        posting = uow.session.scalars(select(PostingRow).order_by(PostingRow.id)).first()
        assert posting is not None
        entry_id, key, amount = posting.entry_id, posting.account_key, posting.amount
        uow.session.delete(posting)
        uow.session.execute(
            update(LedgerAccount).where(LedgerAccount.key == key).values(balance=LedgerAccount.balance - amount)
        )
    result = ledger_check(api)
    assert result.exit_code == 1, result.output
    assert "LEDGER_UNBALANCED" in result.output and "RECORD_BROKEN" not in result.output
    assert f"journal entry {entry_id} sums to {-amount}, not 0" in result.output
    assert f"journal entry {entry_id} has 1 posting(s)" in result.output
    assert "balance" not in result.output.split("problem(s):")[1]

"""The public record (GET /lots/{id}/record → verified) catches every way of rewriting it, on both databases.

Each test builds a closed lot with a few entries through the API, rewrites the stored record the way an
insider with database access might, and asks the API again. The hashes a forger would compute are made
here with hashlib, not with the code under test, so a change to the chaining cannot also change the forgery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from conftest import Api
from paimai.persistence.models import Lot, LotEventRow


def sha256(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def closed_lot(api: Api) -> int:
    """A sold lot whose record has five entries: started, three bids (one a proxy answer), closed."""
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot_id = int(api.live_lot(seller, staff)["id"])
    for bidder in (alice, bob):
        assert api.deposit(bidder, lot_id).status_code == 201
    assert api.bid(alice, lot_id, 100_000, max_amount=200_000).status_code == 201
    assert api.bid(bob, lot_id, 120_000).status_code == 201
    assert api.advance(3601).status_code == 200
    body = record_of(api, lot_id)
    assert [json.loads(e["payload"])["type"] for e in body["entries"]] == [
        "LotStarted",
        "BidPlaced",
        "BidPlaced",
        "BidPlaced",
        "LotClosed",
    ]
    assert body["verified"] is True
    return lot_id


def record_of(api: Api, lot_id: int) -> dict[str, Any]:
    response = api.client.get(f"/api/v1/lots/{lot_id}/record")
    assert response.status_code == 200, response.text
    return dict(response.json())


def row(session: Session, lot_id: int, seq: int) -> LotEventRow:
    found = session.scalar(select(LotEventRow).where(LotEventRow.lot_id == lot_id, LotEventRow.seq == seq))
    assert found is not None
    return found


def raise_amount(payload: str, by: int = 10_000) -> str:
    """The payload of a bid with its amount changed, canonically encoded as the platform writes it."""
    body = json.loads(payload)
    body["amount"] += by
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def change_payload(session: Session, lot_id: int) -> None:
    """The bid's amount is raised; its stored hash is left alone."""
    bid = row(session, lot_id, 2)
    bid.payload = raise_amount(bid.payload)


def drop_middle_entry(session: Session, lot_id: int) -> None:
    session.delete(row(session, lot_id, 3))


def drop_first_entry(session: Session, lot_id: int) -> None:
    session.delete(row(session, lot_id, 1))


def drop_last_entry(session: Session, lot_id: int) -> None:
    """The closing entry is cut off: what is left is a shorter chain that links perfectly."""
    session.delete(row(session, lot_id, 5))


def swap_two_entries(session: Session, lot_id: int) -> None:
    """Entries 2 and 3 trade places (their seq numbers), everything else kept."""
    second, third = row(session, lot_id, 2), row(session, lot_id, 3)
    second.seq = -1
    session.flush()
    third.seq = 2
    session.flush()
    second.seq = 3


def alter_prev_hash(session: Session, lot_id: int) -> None:
    row(session, lot_id, 3).prev_hash = "f" * 64


def recompute_one_hash(session: Session, lot_id: int) -> None:
    """The payload is changed and its own hash recomputed: the next entry no longer links to it."""
    bid = row(session, lot_id, 2)
    bid.payload = raise_amount(bid.payload)
    bid.hash = sha256(bid.prev_hash, bid.payload)


def recompute_and_relink(session: Session, lot_id: int) -> None:
    """As above, and the next entry's prev_hash pointed at the new hash (its own hash left as it was).

    Caught only because each hash commits to the previous hash as well as to the payload.
    """
    recompute_one_hash(session, lot_id)
    row(session, lot_id, 3).prev_hash = row(session, lot_id, 2).hash


def rewrite_last_entry(session: Session, lot_id: int) -> None:
    """The closing entry's payload is changed and its hash recomputed correctly onto its predecessor.

    Every link holds; only the lot row's head hash (what the record ended on when it was written) differs.
    """
    last = row(session, lot_id, 5)
    body = json.loads(last.payload)
    body["final_price"] = 100_000
    last.payload = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    last.hash = sha256(last.prev_hash, last.payload)


def reorder_payloads(session: Session, lot_id: int) -> None:
    """Two payloads trade places and every hash and link is recomputed from there on: a perfect chain
    whose head no longer matches the lot's."""
    second, third = row(session, lot_id, 2), row(session, lot_id, 3)
    second.payload, third.payload = third.payload, second.payload
    prev = second.prev_hash
    for seq in range(2, 6):
        entry = row(session, lot_id, seq)
        entry.prev_hash = prev
        entry.hash = sha256(prev, entry.payload)
        prev = entry.hash


TAMPERINGS: dict[str, Callable[[Session, int], None]] = {
    "payload changed": change_payload,
    "middle entry dropped": drop_middle_entry,
    "first entry dropped": drop_first_entry,
    "last entry dropped": drop_last_entry,
    "two entries swapped": swap_two_entries,
    "prev_hash altered": alter_prev_hash,
    "one hash recomputed": recompute_one_hash,
    "hash recomputed and next entry relinked": recompute_and_relink,
    "last entry rewritten with a correct hash": rewrite_last_entry,
    "payloads reordered and the whole tail rehashed": reorder_payloads,
}


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_tampered_record_does_not_verify(api: Api, tamper: Callable[[Session, int], None]) -> None:
    lot_id = closed_lot(api)
    with api.container.transaction() as uow:
        tamper(uow.session, lot_id)
    assert record_of(api, lot_id)["verified"] is False


def test_a_record_rebuilt_by_hand_with_the_same_hashes_verifies(api: Api) -> None:
    """The control: recomputing every hash with hashlib over the stored payloads gives the stored hashes,
    so the chain is sha256(prev_hash + payload) from 64 zeros, as the API documentation says."""
    lot_id = closed_lot(api)
    entries = record_of(api, lot_id)["entries"]
    prev = "0" * 64
    for entry in entries:
        assert entry["prev_hash"] == prev
        assert entry["hash"] == sha256(prev, entry["payload"])
        prev = entry["hash"]
    with api.container.reading() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None and lot.last_hash == prev


def test_a_record_rewritten_consistently_including_the_head_verifies(api: Api) -> None:
    """The chain's limit, said plainly: an insider who rewrites the tail *and* the lot row's head is caught
    only by comparing with a copy of the record kept outside the database (a downloaded record's hashes).
    This pins the boundary so nobody mistakes the chain for more than it is."""
    lot_id = closed_lot(api)
    with api.container.transaction() as uow:
        reorder_payloads(uow.session, lot_id)
        uow.session.execute(update(Lot).where(Lot.id == lot_id).values(last_hash=row(uow.session, lot_id, 5).hash))
    assert record_of(api, lot_id)["verified"] is True

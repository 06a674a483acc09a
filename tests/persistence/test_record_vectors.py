"""Known-answer vectors for the record's encoding and hash chain.

The bodies and hashes below were computed once outside Python, with printf and sha256sum:

    G=0000000000000000000000000000000000000000000000000000000000000000
    printf '%s%s' "$G" "$BODY_1" | sha256sum      # → HASH_1
    printf '%s%s' "$HASH_1" "$BODY_2" | sha256sum # → HASH_2, and so on

so a change to the canonical JSON (key order, separators, escaping of Chinese text, times) or to the
chaining (what is hashed, in which order) breaks these tests, and every record already published with
the old rule would stop verifying. Changing them needs a migration of the stored records, not an edit here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from paimai.domain.events import BidPlaced, LotCancelled, LotStarted
from paimai.services import record
from paimai.services.uow import GENESIS_HASH, canonical_json, event_hash

T = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)

EVENTS = (
    LotStarted(lot_id=7, seq=1, at=T, ends_at=T.replace(hour=3)),
    BidPlaced(
        lot_id=7,
        seq=2,
        at=T.replace(minute=10),
        alias="A3F9",
        amount=100_000,
        is_proxy=False,
        current_price=100_000,
        leader_alias="A3F9",
        ends_at=T.replace(hour=3),
        bid_count=1,
    ),
    LotCancelled(lot_id=7, seq=3, at=T.replace(minute=20), reason="卖家撤拍 seller withdrew"),
)

BODIES = (
    '{"at":"2025-03-01T02:00:00+00:00","ends_at":"2025-03-01T03:00:00+00:00","lot_id":7,"seq":1,"type":"LotStarted"}',
    '{"alias":"A3F9","amount":100000,"at":"2025-03-01T02:10:00+00:00","bid_count":1,"current_price":100000,'
    '"ends_at":"2025-03-01T03:00:00+00:00","is_proxy":false,"leader_alias":"A3F9","lot_id":7,"seq":2,'
    '"type":"BidPlaced"}',
    '{"at":"2025-03-01T02:20:00+00:00","lot_id":7,"reason":"卖家撤拍 seller withdrew","seq":3,"type":"LotCancelled"}',
)

HASHES = (
    "04f7199ea052be5d15e967ba7177a6570aaceeff06ebfc9d4b8bc3d7a6d0ee04",
    "b85f139e586a5bec343b604dc2725590016b9ce5b020ca91c796e2b0b817a74b",
    "19a619a801ff89e50e9758b653c643caee3e3dcc14257c53d1f28110c6a1c9ce",
)


def chain() -> list[dict[str, object]]:
    prevs = (GENESIS_HASH, *HASHES[:-1])
    return [
        {"seq": seq, "type": event.type, "payload": body, "prev_hash": prev, "hash": digest}
        for seq, event, body, prev, digest in zip((1, 2, 3), EVENTS, BODIES, prevs, HASHES, strict=True)
    ]


def test_the_genesis_hash_is_64_zeros() -> None:
    assert GENESIS_HASH == "0" * 64


@pytest.mark.parametrize("index", range(3))
def test_an_event_encodes_to_its_known_body(index: int) -> None:
    assert canonical_json(EVENTS[index].payload()) == BODIES[index]


def test_each_hash_chains_onto_the_previous_one() -> None:
    assert event_hash(GENESIS_HASH, BODIES[0]) == HASHES[0]
    assert event_hash(HASHES[0], BODIES[1]) == HASHES[1]
    assert event_hash(HASHES[1], BODIES[2]) == HASHES[2]


def test_the_hash_is_not_of_the_payload_alone() -> None:
    """sha256(BODY_2) alone, from sha256sum: a chain that forgot the previous hash would produce this."""
    assert event_hash(HASHES[0], BODIES[1]) != "856b8a95655266a51529babba903901ccb1c85e5349400efa17eef470e124463"


def test_the_known_chain_verifies_and_ends_on_its_head() -> None:
    assert record.verify(chain()) is True
    assert record.verify(chain(), head=HASHES[2]) is True
    assert record.first_break(chain(), head=HASHES[2]) is None


def test_a_known_chain_cut_short_fails_only_against_its_head() -> None:
    cut = chain()[:2]
    assert record.verify(cut) is True  # a prefix links perfectly: hence the head
    assert record.first_break(cut, head=HASHES[2]) == record.Break(2, "head")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("payload", BODIES[1].replace("100000", "110000", 1), "hash"),
        ("hash", HASHES[1][:-1] + "0", "hash"),
        ("prev_hash", GENESIS_HASH, "prev_hash"),
        ("seq", 3, "seq"),
    ],
)
def test_one_changed_field_breaks_the_known_chain_where_it_was_changed(field: str, value: object, reason: str) -> None:
    tampered = chain()
    tampered[1] = {**tampered[1], field: value}
    assert record.first_break(tampered, head=HASHES[2]) == record.Break(2, reason)
    assert record.verify(tampered) is False


def test_an_empty_record_is_the_genesis_hash() -> None:
    assert record.verify([], head=GENESIS_HASH) is True
    assert record.first_break([], head=HASHES[0]) == record.Break(0, "head")

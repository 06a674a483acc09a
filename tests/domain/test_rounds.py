from datetime import UTC, datetime, timedelta

import pytest

from paimai.domain.rounds import (
    NextRound,
    Outcome,
    PreviousRound,
    RoundKind,
    RoundRefusal,
    RoundRefused,
    SalePhase,
    commitment_valid,
    next_round,
    sale_next_step_at,
    sale_phase,
    validate_next_round,
)

END = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def prev(
    kind: RoundKind = RoundKind.FIRST,
    outcome: Outcome = Outcome.UNSOLD,
    has_next: bool = False,
    start: int = 100_000_00,
    rnd: int = 1,
) -> PreviousRound:
    return PreviousRound(kind, rnd, outcome, END, start, has_next)


@pytest.mark.parametrize(
    ("p", "now", "expected"),
    [
        (prev(), END + timedelta(days=1), NextRound(RoundKind.SECOND, 2)),
        (prev(), END + timedelta(days=30), NextRound(RoundKind.SECOND, 2)),
        (prev(RoundKind.SECOND, rnd=2), END + timedelta(days=90), NextRound(RoundKind.SALE, 3)),
        (prev(outcome=Outcome.DEFAULTED), END + timedelta(days=90), NextRound(RoundKind.REAUCTION, 2)),
        (prev(RoundKind.SECOND, Outcome.RESCINDED, rnd=2), END, NextRound(RoundKind.REAUCTION, 3)),
    ],
)
def test_next_round_allowed(p: PreviousRound, now: datetime, expected: NextRound) -> None:
    assert next_round(p, now) == expected


@pytest.mark.parametrize(
    ("p", "now", "refusal"),
    [
        (prev(), END + timedelta(days=30, seconds=1), RoundRefusal.SECOND_ROUND_TOO_LATE),
        (prev(has_next=True), END, RoundRefusal.NEXT_ROUND_EXISTS),
        (prev(outcome=Outcome.SOLD), END, RoundRefusal.ROUND_SOLD),
        (prev(outcome=Outcome.OPEN), END, RoundRefusal.ROUND_NOT_FINISHED),
        (prev(RoundKind.SALE, rnd=3), END, RoundRefusal.JUDICIAL_SALE_ENDED),
    ],
)
def test_next_round_refused(p: PreviousRound, now: datetime, refusal: RoundRefusal) -> None:
    with pytest.raises(RoundRefused) as e:
        next_round(p, now)
    assert e.value.refusal is refusal


NOW = END + timedelta(days=2)


@pytest.mark.parametrize(
    ("p", "start", "lead_days", "real_estate", "refusal"),
    [
        (prev(), 80_000_00, 7, False, None),
        (prev(), 79_999_99, 7, False, RoundRefusal.SECOND_ROUND_START_TOO_LOW),
        (prev(), 90_000_00, 6, False, RoundRefusal.ROUND_LEAD_TOO_SHORT),
        (prev(), 90_000_00, 14, True, RoundRefusal.ROUND_LEAD_TOO_SHORT),
        (prev(), 90_000_00, 15, True, None),
        (prev(RoundKind.SECOND, rnd=2, start=80_000_00), 80_000_00, 0, False, None),
        (prev(RoundKind.SECOND, rnd=2, start=80_000_00), 70_000_00, 0, False, RoundRefusal.SALE_PRICE_FIXED),
        (prev(outcome=Outcome.DEFAULTED), 10_000_00, 7, False, None),
    ],
)
def test_validate_next_round(
    p: PreviousRound, start: int, lead_days: int, real_estate: bool, refusal: RoundRefusal | None
) -> None:
    starts_at = NOW + timedelta(days=lead_days)
    if refusal is None:
        validate_next_round(p, NOW, start_price=start, starts_at=starts_at, real_estate=real_estate)
    else:
        with pytest.raises(RoundRefused) as e:
            validate_next_round(p, NOW, start_price=start, starts_at=starts_at, real_estate=real_estate)
        assert e.value.refusal is refusal


def test_sale_phases() -> None:
    listed = END
    assert sale_phase(listed, None, listed + timedelta(days=59)) is SalePhase.WAITING
    assert sale_phase(listed, None, listed + timedelta(days=60)) is SalePhase.UNSOLD
    committed = listed + timedelta(days=3)
    assert sale_phase(listed, committed, listed + timedelta(days=70)) is SalePhase.BIDDING
    assert sale_next_step_at(listed, None) == listed + timedelta(days=60)
    assert sale_next_step_at(listed, committed) == committed + timedelta(hours=24)


@pytest.mark.parametrize(("amount", "paid", "ok"), [(100, True, True), (101, True, False), (100, False, False)])
def test_commitment(amount: int, paid: bool, ok: bool) -> None:
    assert commitment_valid(100, amount, paid) is ok

from datetime import UTC, date, datetime, timedelta

import pytest

from paimai.domain.confirmation import build_confirmation, confirmation_number, has_confirmation, mask_id_number
from paimai.domain.identity import verify_identity


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("11010519491231002X", "110*************2X"),
        ("110*************2X", "110*************2X"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_id_number(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


def test_mask_matches_real_name_verification() -> None:
    verified = verify_identity("张三", "11010519491231002X", date(2026, 1, 1))
    assert mask_id_number("11010519491231002X") == verified.masked_id


@pytest.mark.parametrize(
    ("judicial", "lot_status", "order_status", "expected"),
    [
        (True, "sold", "awaiting_payment", True),
        (True, "sold", "paid", True),
        (True, "sold", "closed", False),
        (True, "sold", "refunded", False),
        (True, "sold", "seller_refused", False),
        (True, "sold", "defaulted", False),
        (True, "sold", None, False),
        (True, "unsold", None, False),
        (False, "sold", "awaiting_payment", False),
    ],
)
def test_who_has_one(judicial: bool, lot_status: str, order_status: str | None, expected: bool) -> None:
    assert has_confirmation(judicial=judicial, lot_status=lot_status, order_status=order_status) is expected


def test_content() -> None:
    sold = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    c = build_confirmation(
        lot_id=42,
        lot_title="住宅",
        court_name="杭州市西湖区人民法院",
        case_number="（2026）浙0106执1234号",
        buyer_name="张三",
        buyer_id="11010519491231002X",
        price_fen=123_456_00,
        sold_at=sold,
        pay_by=sold + timedelta(days=10),
    )
    assert c.number == confirmation_number(42) == "CJ00000042"
    assert c.buyer_masked_id == "110*************2X"
    assert "11010519491231002X" not in repr(c)
    assert c.commission_fen == 0
    assert c.pay_by == sold + timedelta(days=10)

"""The seller application's details by kind (domain.sellers) and a seller's sums (domain.sales)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from order_builders import fresh

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.orders import OrderStatus
from paimai.domain.sales import sales_totals
from paimai.domain.sellers import seller_details


@pytest.mark.parametrize(
    "phone",
    ["13912345678", "+8613912345678", "+86 139 1234 5678", "010-65000000", "0755-8888888", "１３９１２３４５６７８"],
)
def test_a_mobile_or_a_landline_is_a_phone(phone: str) -> None:
    details = seller_details("individual", licence_number="", court_name="", contact_phone=phone)
    assert details.contact_phone.replace("-", "").isdigit()


@pytest.mark.parametrize("phone", ["12912345678", "1391234567", "139123456789", "65000000", "abc", "139-1234-5678"])
def test_anything_else_is_not(phone: str) -> None:
    with pytest.raises(DomainError) as refused:
        seller_details("individual", licence_number="", court_name="", contact_phone=phone)
    assert refused.value.code is ErrorCode.SELLER_PHONE_INVALID


@pytest.mark.parametrize(
    ("kind", "licence", "court", "code", "field"),
    [
        ("business", "", "", ErrorCode.SELLER_DETAILS_REQUIRED, "licence_number"),
        ("business", "9131000MA1FL0000X", "", ErrorCode.SELLER_LICENCE_INVALID, "licence_number"),
        ("business", "91310000MA1FL0000I", "", ErrorCode.SELLER_LICENCE_INVALID, "licence_number"),
        ("court", "", " ", ErrorCode.SELLER_DETAILS_REQUIRED, "court_name"),
    ],
)
def test_each_kind_needs_its_details(kind: str, licence: str, court: str, code: ErrorCode, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        seller_details(kind, licence_number=licence, court_name=court, contact_phone="13912345678")
    assert (refused.value.code, refused.value.details["field"]) == (code, field)


def test_a_detail_of_another_kind_is_dropped() -> None:
    business = seller_details(
        "business", licence_number="91310000ma1fl0000x", court_name="某法院", contact_phone="021-62880000"
    )
    assert (business.licence_number, business.court_name) == ("91310000MA1FL0000X", "")
    court = seller_details(
        "court", licence_number="91310000MA1FL0000X", court_name="北京市第一中级人民法院", contact_phone="01065000000"
    )
    assert (court.licence_number, court.court_name) == ("", "北京市第一中级人民法院")


def test_sales_totals_count_standing_deals_escrow_and_payouts() -> None:
    base = fresh(price=100_000, deposit=20_000)
    orders = [
        replace(base, status=OrderStatus.AWAITING_PAYMENT),
        replace(base, status=OrderStatus.PAID),
        replace(base, status=OrderStatus.DISPUTED),
        replace(base, status=OrderStatus.COMPLETED, commission=5_000),
        replace(base, status=OrderStatus.DEFAULTED, penalty=20_000),
        replace(base, status=OrderStatus.REFUNDED),
        replace(base, status=OrderStatus.CLOSED),
        replace(base, status=OrderStatus.SELLER_REFUSED),
    ]
    totals = sales_totals(orders)
    assert (totals.sold_count, totals.turnover) == (4, 400_000)
    assert totals.in_escrow == 200_000
    assert totals.paid_out == 95_000 + 20_000
    assert sales_totals([]) == replace(totals, sold_count=0, turnover=0, in_escrow=0, paid_out=0)

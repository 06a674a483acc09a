"""A seller application's details by kind (RULES §1, 严格的卖家审核): what each kind must give, and its format.

An individual gives a contact phone; a business its licence number (统一社会信用代码) and a contact phone; a
court its full name and a contact phone. A phone is a mainland mobile (1 + 10 digits) or a landline with its
area code (0 + 9 to 11 digits, a dash allowed after the area code), an optional +86 in front.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import DomainError, ErrorCode

SELLER_KINDS = ("individual", "business", "court")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")
# 统一社会信用代码 (GB 32100-2015): 18 characters of digits and capitals without I, O, S, V, Z
_LICENCE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


@dataclass(frozen=True)
class SellerDetails:
    kind: str
    licence_number: str
    court_name: str
    contact_phone: str


def normal_phone(phone: str) -> str:
    """The phone as stored: full-width digits made ASCII, spaces dropped, +86 / 86- in front dropped."""
    value = unicodedata.normalize("NFKC", phone).replace(" ", "").strip()
    for prefix in ("+86-", "+86", "0086"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def valid_phone(phone: str) -> bool:
    return bool(_MOBILE.match(phone) or _LANDLINE.match(phone))


def seller_details(kind: str, *, licence_number: str, court_name: str, contact_phone: str) -> SellerDetails:
    """The application's details checked for its kind: SELLER_DETAILS_REQUIRED (field) when one is missing,
    SELLER_PHONE_INVALID / SELLER_LICENCE_INVALID when its format is wrong. A detail of another kind is
    dropped (a court's application keeps no licence number)."""
    if kind not in SELLER_KINDS:
        raise DomainError(ErrorCode.VALIDATION_FAILED, field="kind")
    phone = normal_phone(contact_phone)
    licence = unicodedata.normalize("NFKC", licence_number).strip().upper()
    court = court_name.strip()
    if not phone:
        raise DomainError(ErrorCode.SELLER_DETAILS_REQUIRED, field="contact_phone")
    if not valid_phone(phone):
        raise DomainError(ErrorCode.SELLER_PHONE_INVALID, field="contact_phone")
    if kind == "business":
        if not licence:
            raise DomainError(ErrorCode.SELLER_DETAILS_REQUIRED, field="licence_number")
        if not _LICENCE.match(licence):
            raise DomainError(ErrorCode.SELLER_LICENCE_INVALID, field="licence_number")
    if kind == "court" and len(court) < 2:
        raise DomainError(ErrorCode.SELLER_DETAILS_REQUIRED, field="court_name")
    return SellerDetails(
        kind=kind,
        licence_number=licence if kind == "business" else "",
        court_name=court if kind == "court" else "",
        contact_phone=phone,
    )

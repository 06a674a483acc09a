"""The upload rules: the type is what the bytes say, the size is capped, the gallery changes only before
publication and only by the seller, a new order names every photo once."""

from __future__ import annotations

import pytest

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.lots import LotStatus
from paimai.domain.media import (
    DOCUMENT_TYPES,
    EDITABLE_STATUSES,
    IMAGE_TYPES,
    MAX_IMAGES_PER_LOT,
    MediaType,
    check_gallery_change,
    check_order,
    check_room,
    check_upload,
    sniff,
)

PDF = b"%PDF-1.7\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 16
WEBP = b"RIFF\x10\0\0\0WEBPVP8 "


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PNG, MediaType.PNG), (JPEG, MediaType.JPEG), (WEBP, MediaType.WEBP), (PDF, MediaType.PDF),
     (b"GIF89a", None), (b"<svg xmlns=", None), (b"", None), (b"RIFF\0\0\0\0WAVE", None)],
)  # fmt: skip
def test_the_type_is_the_bytes_signature(data: bytes, kind: MediaType | None) -> None:
    assert sniff(data) is kind


def test_a_pdf_is_a_document_never_a_lot_photo() -> None:
    assert check_upload(PDF, max_bytes=100, allowed=DOCUMENT_TYPES) is MediaType.PDF
    with pytest.raises(DomainError) as error:
        check_upload(PDF, max_bytes=100, allowed=IMAGE_TYPES)
    assert error.value.code is ErrorCode.UPLOAD_TYPE_NOT_ALLOWED
    assert error.value.details["allowed"] == ["image/jpeg", "image/png", "image/webp"]


def test_the_size_cap_is_inclusive() -> None:
    assert check_upload(PNG, max_bytes=len(PNG), allowed=IMAGE_TYPES) is MediaType.PNG
    with pytest.raises(DomainError) as error:
        check_upload(PNG, max_bytes=len(PNG) - 1, allowed=IMAGE_TYPES)
    assert error.value.code is ErrorCode.UPLOAD_TOO_LARGE


@pytest.mark.parametrize("status", list(LotStatus))
def test_photos_change_only_before_publication_and_only_by_the_seller(status: LotStatus) -> None:
    if status in EDITABLE_STATUSES:
        check_gallery_change(status=status, actor_id=1, seller_id=1)
    else:
        with pytest.raises(DomainError) as locked:
            check_gallery_change(status=status, actor_id=1, seller_id=1)
        assert locked.value.code is ErrorCode.LOT_IMAGES_LOCKED
    with pytest.raises(DomainError) as other:
        check_gallery_change(status=status, actor_id=2, seller_id=1)
    assert other.value.code is ErrorCode.NOT_LOT_SELLER
    assert {LotStatus.DRAFT, LotStatus.PENDING_REVIEW, LotStatus.REJECTED} == EDITABLE_STATUSES


def test_room_and_order() -> None:
    check_room(MAX_IMAGES_PER_LOT - 1)
    with pytest.raises(DomainError, match="LOT_IMAGE_LIMIT"):
        check_room(MAX_IMAGES_PER_LOT)
    assert check_order([1, 2, 3], [3, 1, 2]) == [3, 1, 2]
    for wrong in ([1, 2], [1, 2, 3, 3], [1, 2, 4], [1, 1, 2]):
        with pytest.raises(DomainError, match="IMAGE_ORDER_INVALID"):
            check_order([1, 2, 3], wrong)

"""Uploads and the lot photo gallery: what a file is (sniffed from its bytes, never its name), how large it
may be, when a lot's photos may change, and what a new order of them must be. Plain rules, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from .errors import DomainError, ErrorCode
from .lots import LotStatus

MAX_IMAGES_PER_LOT = 20
THUMB_WIDTH = 480  # the gallery's and the list's thumbnails
DISPLAY_MAX = 1600  # the zoomed photo: its longer side at most this
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded

# Only while the lot is not yet public: a lot buyers have seen keeps the photos they saw.
EDITABLE_STATUSES = frozenset({LotStatus.DRAFT, LotStatus.PENDING_REVIEW, LotStatus.REJECTED})


class MediaType(Enum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"
    PDF = "application/pdf"


IMAGE_TYPES = frozenset({MediaType.JPEG, MediaType.PNG, MediaType.WEBP})
DOCUMENT_TYPES = IMAGE_TYPES | {MediaType.PDF}


def sniff(data: bytes) -> MediaType | None:
    """The type the bytes themselves declare by their signature (magic number), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return MediaType.WEBP
    if data.startswith(b"%PDF-"):
        return MediaType.PDF
    return None


def check_upload(data: bytes, *, max_bytes: int, allowed: frozenset[MediaType]) -> MediaType:
    """The upload's type, or the refusal: too large (UPLOAD_TOO_LARGE) or not an allowed type by its bytes
    (UPLOAD_TYPE_NOT_ALLOWED; an empty file too). The file's name and declared type are not consulted."""
    if len(data) > max_bytes:
        raise DomainError(ErrorCode.UPLOAD_TOO_LARGE, max_bytes=max_bytes, size=len(data))
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise DomainError(ErrorCode.UPLOAD_TYPE_NOT_ALLOWED, allowed=sorted(t.value for t in allowed))
    return kind


def check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise DomainError(ErrorCode.UPLOAD_TYPE_NOT_ALLOWED, allowed=sorted(t.value for t in IMAGE_TYPES))


def check_gallery_change(*, status: LotStatus, actor_id: int, seller_id: int) -> None:
    """Only the lot's seller changes its photos, and only before the lot is published."""
    if actor_id != seller_id:
        raise DomainError(ErrorCode.NOT_LOT_SELLER)
    if status not in EDITABLE_STATUSES:
        raise DomainError(ErrorCode.LOT_IMAGES_LOCKED, status=status.value)


def check_room(count: int) -> None:
    if count >= MAX_IMAGES_PER_LOT:
        raise DomainError(ErrorCode.LOT_IMAGE_LIMIT, max_images=MAX_IMAGES_PER_LOT)


def check_order(current: Sequence[int], wanted: Sequence[int]) -> list[int]:
    """A new order must name each of the lot's photos exactly once; the first becomes the cover."""
    if len(wanted) != len(current) or set(wanted) != set(current):
        raise DomainError(ErrorCode.IMAGE_ORDER_INVALID)
    return list(wanted)

"""Uploads: lot photos (re-encoded, EXIF stripped, with a thumbnail) and seller-application documents.

The bytes go to media storage (services/storage.py) before the transaction that records them; the adapter
deletes them again if that transaction is refused, and deletes a removed photo's files after commit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import media as rules
from ..domain.errors import DomainError, ErrorCode
from ..domain.lots import LotStatus
from ..persistence.models import Lot, LotImage, SellerApplication, SellerDocument, User
from . import locks
from .lots import lot_for
from .storage import MediaStorage, valid_key
from .uow import UnitOfWork
from .visibility import PUBLIC_VALUES, readable_lot, reader_of

JPEG = rules.MediaType.JPEG.value
Image.MAX_IMAGE_PIXELS = rules.MAX_PIXELS  # Pillow's own bomb guard, at the rule's limit


@dataclass(frozen=True)
class Picture:
    """An uploaded image made safe: re-encoded as JPEG with no metadata, at display size and as a thumbnail."""

    display: bytes
    thumb: bytes
    width: int
    height: int


@dataclass(frozen=True)
class StoredImage:
    key: str
    thumb_key: str
    width: int
    height: int


def _refused() -> DomainError:
    return DomainError(ErrorCode.UPLOAD_TYPE_NOT_ALLOWED, allowed=sorted(t.value for t in rules.IMAGE_TYPES))


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: no metadata is written
    return out.getvalue()


def picture(image: Image.Image) -> Picture:
    """Re-encode a decoded image: EXIF orientation applied first, then every metadata block dropped."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    display = image.copy()
    display.thumbnail((rules.DISPLAY_MAX, rules.DISPLAY_MAX), Image.Resampling.LANCZOS)
    thumb = image.copy()
    if thumb.width > rules.THUMB_WIDTH:
        height = max(1, round(thumb.height * rules.THUMB_WIDTH / thumb.width))
        thumb = thumb.resize((rules.THUMB_WIDTH, height), Image.Resampling.LANCZOS)
    return Picture(_jpeg(display), _jpeg(thumb), display.width, display.height)


def decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        rules.check_pixels(image.width, image.height)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise _refused() from None
    return image


def prepare_image(data: bytes, max_bytes: int) -> Picture:
    """An uploaded lot photo: checked by its bytes (JPEG, PNG or WebP) and size, then re-encoded."""
    rules.check_upload(data, max_bytes=max_bytes, allowed=rules.IMAGE_TYPES)
    return picture(decode(data))


def prepare_document(data: bytes, max_bytes: int) -> tuple[bytes, str]:
    """An applicant's document: an image (re-encoded like a photo) or a PDF (kept as sent); its bytes, type."""
    kind = rules.check_upload(data, max_bytes=max_bytes, allowed=rules.DOCUMENT_TYPES)
    if kind is rules.MediaType.PDF:
        return data, kind.value
    return picture(decode(data)).display, JPEG


def store_picture(storage: MediaStorage, pic: Picture) -> StoredImage:
    key = storage.put(pic.display, JPEG)
    try:
        thumb_key = storage.put(pic.thumb, JPEG)
    except Exception:
        storage.delete(key)
        raise
    return StoredImage(key, thumb_key, pic.width, pic.height)


def _editable_lot(uow: UnitOfWork, actor: User, lot_id: int) -> Lot:
    lot = lot_for(uow.session, lot_id, actor)  # LOT_NOT_FOUND to whoever may not read it
    rules.check_gallery_change(status=LotStatus(lot.status), actor_id=actor.id, seller_id=lot.seller_id)
    return lot


def _images(session: Session, lot_id: int) -> list[LotImage]:
    return list(session.scalars(select(LotImage).where(LotImage.lot_id == lot_id).order_by(LotImage.position)))


@locks.step
def add_lot_image(uow: UnitOfWork, actor: User, lot_id: int, stored: StoredImage) -> LotImage:
    """Append a stored photo to the lot's gallery (the first becomes the cover)."""
    lot = _editable_lot(uow, actor, lot_id)
    count = int(uow.session.scalar(select(func.count(LotImage.id)).where(LotImage.lot_id == lot.id)) or 0)
    rules.check_room(count)
    row = LotImage(
        lot_id=lot.id,
        position=count,
        key=stored.key,
        thumb_key=stored.thumb_key,
        width=stored.width,
        height=stored.height,
        created_at=uow.now,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


@locks.step
def remove_lot_image(uow: UnitOfWork, actor: User, lot_id: int, image_id: int) -> list[str]:
    """Remove a photo; the rest close up (the next becomes the cover). Returns the storage keys to delete
    once the transaction has committed."""
    lot = _editable_lot(uow, actor, lot_id)
    images = _images(uow.session, lot.id)
    target = next((image for image in images if image.id == image_id), None)
    if target is None:
        raise DomainError(ErrorCode.IMAGE_NOT_FOUND, image_id=image_id)
    uow.session.delete(target)
    for position, image in enumerate(i for i in images if i is not target):
        image.position = position
    return [target.key, target.thumb_key]


@locks.step
def reorder_lot_images(uow: UnitOfWork, actor: User, lot_id: int, image_ids: list[int]) -> list[LotImage]:
    """Put the photos in this order; the first is the cover."""
    lot = _editable_lot(uow, actor, lot_id)
    images = {image.id: image for image in _images(uow.session, lot.id)}
    order = rules.check_order(list(images), image_ids)
    for position, image_id in enumerate(order):
        images[image_id].position = position
    return [images[image_id] for image_id in order]


@dataclass(frozen=True)
class Served:
    content_type: str
    public: bool  # a published lot's photo: any cache may keep it


def lot_media(session: Session, user: User | None, key: str) -> Served:
    """Who may fetch a photo by key: anyone for a published lot, the seller and staff for a hidden one;
    to anyone else (and for a key that is no photo's) NOT_FOUND."""
    if not valid_key(key):
        raise DomainError(ErrorCode.NOT_FOUND)
    image = session.scalar(select(LotImage).where((LotImage.key == key) | (LotImage.thumb_key == key)))
    if image is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    try:
        lot = readable_lot(session, image.lot_id, reader_of(user))
    except DomainError:
        raise DomainError(ErrorCode.NOT_FOUND) from None
    return Served(JPEG, lot.status in PUBLIC_VALUES)


@locks.step
def add_document(uow: UnitOfWork, user: User, stored_key: str, content_type: str, size: int) -> SellerDocument:
    """Record an uploaded document for the user's seller application (before or after applying)."""
    row = SellerDocument(user_id=user.id, key=stored_key, content_type=content_type, size=size, created_at=uow.now)
    uow.session.add(row)
    uow.session.flush()
    return row


def readable_document(session: Session, user: User, document_id: int) -> SellerDocument:
    """The document, to its applicant and staff; NOT_FOUND to anyone else, as for an unknown id."""
    row = session.get(SellerDocument, document_id)
    if row is None or (row.user_id != user.id and not user.is_staff):
        raise DomainError(ErrorCode.NOT_FOUND)
    return row


def documents_of(session: Session, user_id: int) -> list[SellerDocument]:
    return list(
        session.scalars(select(SellerDocument).where(SellerDocument.user_id == user_id).order_by(SellerDocument.id))
    )


def application_documents(session: Session, staff: User, application_id: int) -> list[SellerDocument]:
    """Staff reviewing an application: the documents its applicant uploaded."""
    if not staff.is_staff:
        raise DomainError(ErrorCode.STAFF_ONLY)
    application = session.get(SellerApplication, application_id)
    if application is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return documents_of(session, application.user_id)

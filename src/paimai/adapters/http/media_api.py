"""Uploads: a lot's photo gallery, seller-application documents, and the bytes of both.

A photo's file is stored before the transaction that records it and deleted again if that transaction is
refused; a removed photo's files are deleted after the removal has committed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, File, Path, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ...bootstrap import Container
from ...services import media
from ...services.gallery_reads import ImageRead, galleries
from .deps import ContainerDep, OptionalUserDep, UserDep
from .schemas import Id
from .views import image_json

router = APIRouter(tags=["media"])
T = TypeVar("T")

PUBLIC_CACHE = "public, max-age=31536000, immutable"  # a key's bytes never change; a published lot stays public
PRIVATE_CACHE = "private, max-age=86400"
MediaKey = Annotated[str, Path(max_length=64)]
Upload = Annotated[UploadFile, File(description="The file; its type is read from its bytes, not its name.")]


class ImageOrderIn(BaseModel):
    image_ids: list[int] = Field(
        max_length=100, description="Every photo of the lot, once each; the first is the cover."
    )


def _read(container: Container, upload: UploadFile) -> bytes:
    """At most one byte past the cap: enough for the service to refuse it, never the whole of a huge file."""
    return upload.file.read(container.settings.upload_max_bytes + 1)


def _stored_then(container: Container, keys: list[str], record: Callable[[], T]) -> T:
    """Run the recording transaction; if it is refused, the files just stored go again."""
    try:
        return record()
    except Exception:
        for key in keys:
            container.media.delete(key)
        raise


def _gallery(container: Container, lot_id: int) -> dict[str, Any]:
    with container.reading() as session:
        images = galleries(session, [lot_id]).get(lot_id, ())
    return {"lot_id": lot_id, "images": [image_json(image) for image in images]}


@router.post("/api/v1/lots/{lot_id}/images", status_code=201)
def upload_lot_image(lot_id: Id, file: Upload, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Add a photo (JPEG, PNG or WebP) to your lot's gallery while it is a draft, in review or rejected.
    It is re-encoded without its metadata (EXIF, GPS), at most 1600 px, with a 480 px wide thumbnail."""
    picture = media.prepare_image(_read(container, file), container.settings.upload_max_bytes)
    stored = media.store_picture(container.media, picture)

    def record() -> dict[str, Any]:
        with container.transaction() as uow:
            row = media.add_lot_image(uow, user, lot_id, stored)
            return image_json(ImageRead(row.id, row.key, row.thumb_key, row.width, row.height))

    return {**_stored_then(container, [stored.key, stored.thumb_key], record), **_gallery(container, lot_id)}


@router.delete("/api/v1/lots/{lot_id}/images/{image_id}")
def delete_lot_image(lot_id: Id, image_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Remove a photo from your lot's gallery (before the lot is published); the next one becomes the cover."""
    with container.transaction() as uow:
        keys = media.remove_lot_image(uow, user, lot_id, image_id)
    for key in keys:  # after commit: a refused removal leaves the files in place
        container.media.delete(key)
    return _gallery(container, lot_id)


@router.post("/api/v1/lots/{lot_id}/images/order")
def reorder_lot_images(lot_id: Id, body: ImageOrderIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Put your lot's photos in a new order, naming each once; the first is the cover."""
    with container.transaction() as uow:
        media.reorder_lot_images(uow, user, lot_id, body.image_ids)
    return _gallery(container, lot_id)


@router.get("/media/{key}", response_class=Response, responses={200: {"content": {"image/jpeg": {}}}})
def media_file(key: MediaKey, viewer: OptionalUserDep, container: ContainerDep) -> Response:
    """A lot photo's bytes: anyone's for a published lot, the seller's and staff's for a hidden one (404 to
    anyone else, as for a key that does not exist)."""
    with container.reading() as session:
        served = media.lot_media(session, viewer, key)
    data = container.media.get(key)
    cache = PUBLIC_CACHE if served.public else PRIVATE_CACHE
    return Response(data, media_type=served.content_type, headers={"Cache-Control": cache})


@router.post("/api/v1/me/seller-application/documents", status_code=201, tags=["me"])
def upload_document(file: Upload, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Add a document to your application to sell (an image or a PDF): read only by you and staff."""
    data, content_type = media.prepare_document(_read(container, file), container.settings.upload_max_bytes)
    key = container.media.put(data, content_type)

    def record() -> dict[str, Any]:
        with container.transaction() as uow:
            row = media.add_document(uow, user, key, content_type, len(data))
            return _document_json(row.id, row.content_type, row.size)

    return _stored_then(container, [key], record)


def _document_json(document_id: int, content_type: str, size: int) -> dict[str, Any]:
    return {
        "id": document_id,
        "content_type": content_type,
        "size": size,
        "url": f"/api/v1/seller-documents/{document_id}",
    }


@router.get("/api/v1/me/seller-application/documents", tags=["me"])
def my_documents(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    with container.reading() as session:
        rows = media.documents_of(session, user.id)
        return {"items": [_document_json(row.id, row.content_type, row.size) for row in rows], "next_cursor": None}


@router.get("/api/v1/staff/seller-applications/{application_id}/documents", tags=["staff"])
def application_documents(application_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """The documents the applicant uploaded, for the staff member reviewing the application."""
    with container.reading() as session:
        rows = media.application_documents(session, user, application_id)
        return {"items": [_document_json(row.id, row.content_type, row.size) for row in rows], "next_cursor": None}


@router.get("/api/v1/seller-documents/{document_id}", response_class=Response)
def document_file(document_id: Id, user: UserDep, container: ContainerDep) -> Response:
    """A seller-application document's bytes, to its applicant and staff (404 to anyone else)."""
    with container.reading() as session:
        row = media.readable_document(session, user, document_id)
        key, content_type = row.key, row.content_type
    extension = "pdf" if content_type == "application/pdf" else "jpg"
    headers = {
        "Cache-Control": "private, no-store",
        "Content-Disposition": f'attachment; filename="document-{document_id}.{extension}"',
    }
    return Response(container.media.get(key), media_type=content_type, headers=headers)

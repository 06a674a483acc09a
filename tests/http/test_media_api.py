"""Uploads and the lot photo gallery through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from conftest import Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container
from paimai.domain.media import MAX_IMAGES_PER_LOT
from paimai.services.storage import LocalDirectoryStorage, valid_key

ORIENTATION = 0x0112
MAKE = 0x010F


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def api(db_url: str, media_dir: Path) -> Iterator[Api]:
    container = Container(make_settings(db_url, media_dir=media_dir, upload_max_bytes=200_000))
    with TestClient(create_app(container=container)) as client:
        yield Api(client, container)
    container.dispose()


def picture(fmt: str = "PNG", size: tuple[int, int] = (800, 600), exif: bool = False, colour: str = "teal") -> bytes:
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[MAKE] = "SecretCam GPS-1"
        data[ORIENTATION] = 6  # rotated: the stored picture must come out upright (600 × 800)
        image.save(out, fmt, exif=data.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def draft(api: Api, seller: dict[str, str]) -> dict[str, Any]:
    now = api.now()
    body = {
        "title": "清代青花瓷瓶 Qing vase",
        "category": "art",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": now.isoformat(),
        "ends_at": now.replace(year=now.year + 1).isoformat(),
    }
    created = api.client.post("/api/v1/lots", headers=seller, json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


def upload(
    api: Api, headers: dict[str, str], lot_id: int, data: bytes, name: str = "photo.png", kind: str = "image/png"
) -> Any:
    return api.client.post(f"/api/v1/lots/{lot_id}/images", headers=headers, files={"file": (name, data, kind)})


def code(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_an_uploaded_photo_is_in_the_lot_view_and_served(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    staff = api.user("staff", staff=True)
    lot = draft(api, seller)
    assert lot["images"] == [] and lot["cover_url"] is None
    png = upload(api, seller, lot["id"], picture("PNG", (2400, 1200)))
    assert png.status_code == 201, png.text
    jpeg = upload(api, seller, lot["id"], picture("JPEG"), name="b.jpg", kind="image/jpeg")
    assert jpeg.status_code == 201, jpeg.text
    view = api.client.get(f"/api/v1/lots/{lot['id']}", headers=seller).json()
    images = view["images"]
    assert [image["id"] for image in images] == [png.json()["id"], jpeg.json()["id"]]
    assert (images[0]["width"], images[0]["height"]) == (1600, 800)  # display size: the longer side 1600
    assert view["cover_url"] == images[0]["url"]
    served = api.client.get(images[0]["url"], headers=seller)
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).size == (1600, 800)
    thumb = api.client.get(images[0]["thumb_url"], headers=seller)
    assert Image.open(io.BytesIO(thumb.content)).size == (480, 240)
    assert "private" in served.headers["cache-control"]  # the lot is not published yet

    assert view["status"] == "pending_review"
    approved = api.client.post(f"/api/v1/staff/lots/{lot['id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    api.client.cookies.clear()
    public = api.client.get(images[0]["url"])
    assert public.status_code == 200 and public.content == served.content
    assert public.headers["cache-control"] == "public, max-age=31536000, immutable"
    listed = api.client.get("/api/v1/lots").json()["items"]
    assert next(item for item in listed if item["id"] == lot["id"])["cover_thumb_url"] == images[0]["thumb_url"]


def test_the_type_is_read_from_the_bytes_and_the_size_is_capped(api: Api, media_dir: Path) -> None:
    seller = api.user("seller", seller="individual")
    lot = draft(api, seller)
    fake = upload(api, seller, lot["id"], b"<html><script>alert(1)</script></html>", "cat.jpg", "image/jpeg")
    assert code(fake) == (422, "UPLOAD_TYPE_NOT_ALLOWED")
    assert fake.json()["error"]["message_zh"] and fake.json()["error"]["message"]
    truncated = upload(api, seller, lot["id"], picture("PNG")[:40], "cut.png")  # a PNG signature, no picture
    assert code(truncated) == (422, "UPLOAD_TYPE_NOT_ALLOWED")
    pdf = upload(api, seller, lot["id"], b"%PDF-1.4\n%%EOF\n", "doc.png", "image/png")
    assert code(pdf) == (422, "UPLOAD_TYPE_NOT_ALLOWED")  # a PDF is a document, not a lot photo
    big = upload(api, seller, lot["id"], b"\x89PNG\r\n\x1a\n" + b"\0" * 200_001, "big.png")
    assert code(big) == (422, "UPLOAD_TOO_LARGE")
    assert big.json()["error"]["max_bytes"] == 200_000
    assert api.client.get(f"/api/v1/lots/{lot['id']}", headers=seller).json()["images"] == []
    assert not media_dir.exists() or not any(p.is_file() for p in media_dir.rglob("*"))  # nothing stored


def test_exif_is_stripped_and_its_orientation_applied(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    lot = draft(api, seller)
    sent = picture("JPEG", (800, 600), exif=True)
    assert b"SecretCam" in sent and Image.open(io.BytesIO(sent)).getexif()[MAKE] == "SecretCam GPS-1"
    stored = upload(api, seller, lot["id"], sent, "me.jpg", "image/jpeg")
    assert stored.status_code == 201, stored.text
    assert (stored.json()["width"], stored.json()["height"]) == (600, 800)  # turned upright first
    for url in (stored.json()["url"], stored.json()["thumb_url"]):
        served = api.client.get(url, headers=seller).content
        assert b"SecretCam" not in served and b"Exif" not in served
        assert dict(Image.open(io.BytesIO(served)).getexif()) == {}


def test_only_the_seller_and_only_before_publication(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    other = api.user("other", seller="individual")
    staff = api.user("staff", staff=True)
    hidden = draft(api, seller)
    assert code(upload(api, other, hidden["id"], picture())) == (404, "LOT_NOT_FOUND")  # as GET /lots/{id} says
    assert code(api.client.get(f"/api/v1/lots/{hidden['id']}", headers=other)) == (404, "LOT_NOT_FOUND")
    assert code(upload(api, staff, hidden["id"], picture())) == (403, "NOT_LOT_SELLER")
    live = api.live_lot(seller, staff)
    assert code(upload(api, other, live["id"], picture())) == (403, "NOT_LOT_SELLER")
    assert code(upload(api, seller, live["id"], picture())) == (409, "LOT_IMAGES_LOCKED")
    api.client.cookies.clear()
    assert code(upload(api, {}, hidden["id"], picture())) == (401, "NOT_AUTHENTICATED")


def test_a_hidden_lots_photos_are_404_to_others(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    other = api.user("other")
    staff = api.user("staff", staff=True)
    lot = draft(api, seller)
    image = upload(api, seller, lot["id"], picture()).json()
    assert api.client.get(image["url"], headers=staff).status_code == 200
    api.client.cookies.clear()
    assert code(api.client.get(image["url"], headers=other)) == (404, "NOT_FOUND")
    assert code(api.client.get(image["thumb_url"])) == (404, "NOT_FOUND")


def test_reorder_chooses_the_cover_and_delete_closes_up(api: Api, media_dir: Path) -> None:
    seller = api.user("seller", seller="individual")
    other = api.user("other", seller="individual")
    lot = draft(api, seller)
    ids = [upload(api, seller, lot["id"], picture(colour=c)).json()["id"] for c in ("red", "green", "blue")]
    order = api.client.post(f"/api/v1/lots/{lot['id']}/images/order", headers=seller, json={"image_ids": ids[::-1]})
    assert order.status_code == 200, order.text
    view = api.client.get(f"/api/v1/lots/{lot['id']}", headers=seller).json()
    assert [image["id"] for image in view["images"]] == ids[::-1]
    assert view["cover_url"] == view["images"][0]["url"]
    for wrong in ([ids[0], ids[1]], [*ids, ids[0]], [ids[0], ids[1], 999]):
        refused = api.client.post(f"/api/v1/lots/{lot['id']}/images/order", headers=seller, json={"image_ids": wrong})
        assert code(refused) == (422, "IMAGE_ORDER_INVALID")
    foreign = api.client.post(f"/api/v1/lots/{lot['id']}/images/order", headers=other, json={"image_ids": ids})
    assert code(foreign) == (404, "LOT_NOT_FOUND")

    cover = view["images"][0]
    removed = api.client.delete(f"/api/v1/lots/{lot['id']}/images/{cover['id']}", headers=seller)
    assert removed.status_code == 200, removed.text
    assert [image["id"] for image in removed.json()["images"]] == [ids[1], ids[0]]
    assert api.client.get(cover["url"], headers=seller).status_code == 404
    key = cover["url"].rsplit("/", 1)[1]
    assert not (media_dir / key[:2] / key).exists()  # the file is gone, not just the row
    missing = api.client.delete(f"/api/v1/lots/{lot['id']}/images/{cover['id']}", headers=seller)
    assert code(missing) == (404, "IMAGE_NOT_FOUND")


def test_at_most_so_many_photos(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    lot = draft(api, seller)
    small = picture(size=(40, 30))
    for _ in range(MAX_IMAGES_PER_LOT):
        assert upload(api, seller, lot["id"], small).status_code == 201
    assert code(upload(api, seller, lot["id"], small)) == (409, "LOT_IMAGE_LIMIT")


def test_keys_are_random_and_paths_refused(api: Api, media_dir: Path, tmp_path: Path) -> None:
    seller = api.user("seller", seller="individual")
    lot = draft(api, seller)
    first = upload(api, seller, lot["id"], picture(), "vase.png").json()
    second = upload(api, seller, lot["id"], picture(), "vase.png").json()
    keys = [url.rsplit("/", 1)[1] for url in (first["url"], first["thumb_url"], second["url"], second["thumb_url"])]
    assert len(set(keys)) == 4 and all(valid_key(key) and "vase" not in key for key in keys)
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    for attempt in (
        "..%2Fsecret.txt",
        "%2E%2E%2F%2E%2E%2Fsecret.txt",
        "..%5Csecret.txt",
        keys[0][:-1] + "%2F",
        "a" * 32,
    ):
        answer = api.client.get(f"/media/{attempt}", headers=seller)
        assert answer.status_code == 404 and b"top secret" not in answer.content
    storage = LocalDirectoryStorage(media_dir)
    for bad in ("../secret.txt", "../../etc/passwd", "/etc/passwd", "a/b", ""):
        with pytest.raises(Exception, match="NOT_FOUND"):
            storage.get(bad)


def test_seller_application_documents(api: Api) -> None:
    applicant = api.user("applicant")
    other = api.user("other")
    staff = api.user("staff", staff=True)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    sent = api.client.post(
        "/api/v1/me/seller-application/documents", headers=applicant, files={"file": ("licence.png", pdf, "image/png")}
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["content_type"] == "application/pdf"
    photo = api.client.post(
        "/api/v1/me/seller-application/documents",
        headers=applicant,
        files={"file": ("id.jpg", picture("JPEG", exif=True), "image/jpeg")},
    )
    assert photo.status_code == 201 and photo.json()["content_type"] == "image/jpeg"
    text = api.client.post(
        "/api/v1/me/seller-application/documents",
        headers=applicant,
        files={"file": ("a.pdf", b"hello", "application/pdf")},
    )
    assert code(text) == (422, "UPLOAD_TYPE_NOT_ALLOWED")
    url = sent.json()["url"]
    mine = api.client.get(url, headers=applicant)
    assert mine.status_code == 200 and mine.content == pdf and mine.headers["content-type"] == "application/pdf"
    assert "attachment" in mine.headers["content-disposition"]
    assert api.client.get(url, headers=staff).content == pdf
    api.client.cookies.clear()
    assert code(api.client.get(url, headers=other)) == (404, "NOT_FOUND")
    assert api.client.get(url).status_code == 401
    scan = api.client.get(photo.json()["url"], headers=applicant).content
    assert b"SecretCam" not in scan
    listed = api.client.get("/api/v1/me/seller-application/documents", headers=applicant).json()["items"]
    assert [item["id"] for item in listed] == [sent.json()["id"], photo.json()["id"]]
    application = api.client.post(
        "/api/v1/me/seller-application",
        headers=applicant,
        json={
            "kind": "business",
            "name": "古玩店",
            "licence_number": "91310000MA1FL0000X",
            "contact_phone": "13800000000",
        },
    ).json()
    for_staff = api.client.get(f"/api/v1/staff/seller-applications/{application['id']}/documents", headers=staff)
    assert [item["id"] for item in for_staff.json()["items"]] == [sent.json()["id"], photo.json()["id"]]
    refused = api.client.get(f"/api/v1/staff/seller-applications/{application['id']}/documents", headers=other)
    assert code(refused) == (403, "STAFF_ONLY")


def test_the_lot_page_shows_the_gallery_and_the_list_the_cover(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    staff = api.user("staff", staff=True)
    plain = api.live_lot(seller, staff, title="无图拍品 No photo")
    lot = draft(api, seller)
    first = upload(api, seller, lot["id"], picture(colour="red")).json()
    second = upload(api, seller, lot["id"], picture(colour="blue")).json()
    api.client.post(f"/api/v1/staff/lots/{lot['id']}/approve", headers=staff)
    api.client.cookies.clear()
    page = api.client.get(f"/lots/{lot['id']}?lang=en").text
    assert "data-gallery" in page and f'href="{first["url"]}"' in page
    assert f'src="{first["thumb_url"]}"' in page and f'data-url="{second["url"]}"' in page
    assert "gallery.js" in page and "Photo 2" in page
    assert "第 2 张图片" in api.client.get(f"/lots/{lot['id']}?lang=zh").text
    assert "data-gallery" not in api.client.get(f"/lots/{plain['id']}").text  # no photos: the placeholder
    listing = api.client.get("/?lang=en").text
    assert f'class="thumb-img" src="{first["thumb_url"]}"' in listing
    assert api.client.get("/static/gallery.js").status_code == 200

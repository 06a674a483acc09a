"""The lot form's photos (issue 14): the edit form renders the lot's photos in their order with the cover
marked, the uploader only while the lot's photos may change, and /sell offers documents to an applicant.
Page rendering does not depend on the database engine, so these run on SQLite only."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image
from web_support import HTML, sign_in, sqlite_only

from conftest import Api

db_url = sqlite_only


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def draft(api: Api, seller: dict[str, str]) -> dict[str, object]:
    now = api.now()
    body = {
        "title": "清代花瓶",
        "category": "art",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=25)).isoformat(),
        "submit": False,
    }
    created = api.client.post("/api/v1/lots", headers=seller, json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


def photos_section(html: str) -> str:
    found = re.search(r'<section id="lot-photos".*?</section>', html, re.S)
    assert found is not None
    return found.group(0)


def test_the_edit_form_renders_the_photos_in_order_with_the_cover_first(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    lot = draft(api, seller)
    ids = []
    for colour in ("red", "green", "blue"):
        up = api.client.post(
            f"/api/v1/lots/{lot['id']}/images", headers=seller, files={"file": (f"{colour}.png", png(colour))}
        )
        assert up.status_code == 201, up.text
        ids.append(up.json()["id"])
    wanted = [ids[2], ids[0], ids[1]]
    ordered = api.client.post(f"/api/v1/lots/{lot['id']}/images/order", headers=seller, json={"image_ids": wanted})
    assert ordered.status_code == 200, ordered.text
    thumbs = {image["id"]: image["thumb_url"] for image in ordered.json()["images"]}

    sign_in(api, "seller")
    html = api.client.get(f"/sell/lots/{lot['id']}/edit", headers=HTML).text
    section = photos_section(html)
    shown = [int(found) for found in re.findall(r'data-image-id="(\d+)"', section)]
    assert shown == wanted
    assert [src for src in re.findall(r'<img src="([^"]+)"', section)] == [thumbs[i] for i in wanted]
    first = re.search(r'<li class="photo" data-image-id="(\d+)">(.*?)</li>', section, re.S)
    assert first is not None and int(first.group(1)) == wanted[0] and "data-cover" in first.group(2)
    assert section.count("data-cover") == 1 and "封面" in section
    assert 'type="file"' in section and "multiple" in section and 'data-editable="true"' in section
    assert "/static/sell-photos.js?v=" in html and "/static/sell-upload.js?v=" in html
    assert "Make cover" in api.client.get(f"/sell/lots/{lot['id']}/edit?lang=en", headers=HTML).text


def test_a_new_lot_asks_to_save_first_and_an_applicant_may_upload_documents(api: Api) -> None:
    api.user("seller", seller="individual")
    api.user("applicant")
    sign_in(api, "seller")
    section = photos_section(api.client.get("/sell/lots/new", headers=HTML).text)
    assert "data-photos-after-save" in section and 'type="file"' not in section
    sign_in(api, "applicant")
    home = api.client.get("/sell", headers=HTML).text
    assert 'id="seller-documents"' in home and "application/pdf" in home and "/static/sell-docs.js?v=" in home
    assert "Upload documents" in api.client.get("/sell?lang=en", headers=HTML).text

"""The seller's whole journey in a real browser (Debian's Chromium), issue 14: an applicant uploads a
document and applies in /sell; staff approve in /staff/applications; the seller lists a lot in
/sell/lots/new with two photos (uploaded, reordered, the cover changed), submits; staff approve it in
/staff/lots; it is live on the list with its cover's thumbnail, which loads. Screenshots at 1366 and 390 px
of every page on the way (artifacts/screenshots/journey-*.png); no page scrolls sideways on a phone."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image

from browsing import DESKTOP, PHONE, api_login, chromium, open_as, seeded_database, shoot
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

pytest.importorskip("playwright.sync_api")
BEIJING = ZoneInfo("Asia/Shanghai")
TITLE = "清代 青花缠枝莲纹梅瓶"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Any, Path]]:
    folder = Path(tmp_path_factory.mktemp("journey-browser"))
    url, now = seeded_database(folder)
    env = {"PAIMAI_DATABASE_URL": url, "PAIMAI_MEDIA_DIR": str(folder / "media")}
    with running_server(env) as base, chromium() as browser:
        yield base, browser, now, folder


def image_file(folder: Path, name: str, fmt: str, colour: str, size: tuple[int, int]) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    path = folder / name
    path.write_bytes(out.getvalue())
    return str(path)


def both_widths(page: Any, name: str) -> None:
    """A screenshot at 1366 px and at 390 px (where nothing may scroll sideways); back to 1366 after."""
    page.set_viewport_size(DESKTOP)
    shoot(page, f"journey-{name}-1366")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    shoot(page, f"journey-{name}-390")
    page.set_viewport_size(DESKTOP)


def first_is(page: Any, image_id: int) -> None:
    page.locator(f"#lot-photos [data-image-id]:first-child[data-image-id='{image_id}']").wait_for()


def loads(img: Any) -> None:
    for _ in range(50):
        if img.evaluate("i => i.complete && i.naturalWidth > 0"):
            return
        img.page.wait_for_timeout(100)
    raise AssertionError(f"{img.get_attribute('src')} did not load")


def photo_ids(page: Any) -> list[int]:
    found = page.eval_on_selector_all("#lot-photos [data-image-id]", "els => els.map(e => e.dataset.imageId)")
    return [int(x) for x in found]


def test_an_applicant_becomes_a_seller_and_lists_a_lot_with_photos(site: tuple[str, Any, Any, Path]) -> None:
    base, browser, now, folder = site
    licence = image_file(folder, "营业执照.png", "PNG", "white", (300, 200))
    notes = folder / "notes.txt"
    notes.write_text("not a document")
    first = image_file(folder, "front.png", "PNG", "teal", (800, 600))
    second = image_file(folder, "side.jpg", "JPEG", "orange", (600, 800))

    applicant, page, errors = open_as(browser, base, "bob", "/sell")
    staff, desk, staff_errors = open_as(browser, base, "staff", "/staff")
    try:
        # 1. documents, a refused one shown in Chinese, then the application
        docs = page.locator("#seller-documents")
        docs.locator("[data-doc-input]").set_input_files(str(notes))
        docs.locator("[data-docs-message].error").wait_for()
        assert "notes.txt" in docs.locator("[data-docs-message]").inner_text()
        assert "不接受此文件类型" in docs.locator("[data-docs-message]").inner_text()
        docs.locator("[data-doc-input]").set_input_files(licence)
        docs.locator("[data-document-id]", has_text="营业执照.png").wait_for()
        assert docs.locator("[data-docs-message].success").is_visible()
        page.check("input[name=kind][value=business]")
        both_widths(page, "sell-apply")
        page.fill("input[name=name]", "鲍勃古玩行")
        page.fill("input[name=licence_number]", "91310000MA1FL0000X")
        page.fill("input[name=contact_phone]", "13800000000")
        page.click("#apply-form button[type=submit]")
        page.locator("#application-state").wait_for()
        assert "审核中" in page.locator("#application-state").inner_text()
        page.locator("#seller-documents [data-document-id]").first.wait_for()  # still listed while pending
        both_widths(page, "sell-applicant")
        staff_headers = api_login(base, "staff")
        pending = httpx.get(f"{base}/api/v1/staff/seller-applications?status=pending", headers=staff_headers).json()
        application = next(a for a in pending["items"] if a["name"] == "鲍勃古玩行")
        documents = httpx.get(
            f"{base}/api/v1/staff/seller-applications/{application['id']}/documents", headers=staff_headers
        ).json()["items"]
        assert len(documents) == 1  # re-encoded on the way in; the applicant and staff read it

        # 2. staff approve the application
        desk.reload()  # the counts now include the application
        both_widths(desk, "staff")
        desk.goto(f"{base}/staff/applications")
        both_widths(desk, "staff-applications")
        item = desk.locator("[data-staff-item]", has_text="鲍勃古玩行")
        link = item.locator("[data-documents] a").first  # staff open the applicant's document before deciding
        assert link.get_attribute("href") == documents[0]["url"]
        assert httpx.get(f"{base}{documents[0]['url']}", headers=staff_headers).status_code == 200
        with desk.expect_navigation():
            item.locator("button[value=approve]").click()
        assert desk.locator("[data-staff-item]", has_text="鲍勃古玩行").count() == 0

        page.goto(f"{base}/sell")
        page.locator("#seller-home").wait_for()
        both_widths(page, "sell-approved")

        # 3. a new lot: the photos wait for the first save; then two photos, reordered, the cover changed
        page.goto(f"{base}/sell/lots/new")
        assert page.locator("#lot-photos [data-photos-after-save]").is_visible()
        start = (now - timedelta(minutes=1)).astimezone(BEIJING)
        page.fill("input[name=title]", TITLE)
        page.select_option("select[name=category]", "art")
        page.fill("input[name=start_price]", "1000")
        page.fill("input[name=increment]", "100")
        page.fill("input[name=deposit]", "200")
        page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=ends_at]", (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
        page.click("button[data-action=save]")
        page.wait_for_url(f"{base}/sell/lots/*/edit")
        lot_id = int(page.url.rsplit("/", 2)[1])

        photos = page.locator("#lot-photos")
        photos.locator("[data-photo-input]").set_input_files(str(notes))
        photos.locator("[data-photos-message].error").wait_for()
        assert "notes.txt" in photos.locator("[data-photos-message]").inner_text()
        assert "不接受此文件类型" in photos.locator("[data-photos-message]").inner_text()
        photos.locator("[data-photo-input]").set_input_files([first, second])
        photos.locator("[data-photos-message].success").wait_for()
        assert photos.locator("[data-image-id]").count() == 2
        uploaded = photo_ids(page)
        assert photos.locator("[data-image-id]").first.locator("[data-cover]").count() == 1
        photos.locator("[data-image-id]").nth(1).locator("[data-make-cover]").click()
        first_is(page, uploaded[1])
        assert photo_ids(page) == [uploaded[1], uploaded[0]]
        assert photos.locator("[data-image-id]").first.locator("[data-cover]").count() == 1
        page.reload()  # the server renders the same order
        assert photo_ids(page) == [uploaded[1], uploaded[0]]
        photos.locator("[data-image-id]").first.locator("button[aria-label='右移']").click()
        first_is(page, uploaded[0])
        photos.locator("[data-image-id]").first.locator("[data-make-cover]").wait_for(state="detached")
        photos.locator("[data-image-id]").nth(1).locator("[data-make-cover]").click()
        first_is(page, uploaded[1])
        loaded = page.eval_on_selector_all("#lot-photos img", "els => els.map(e => e.complete && e.naturalWidth)")
        assert all(loaded), loaded
        photos.scroll_into_view_if_needed()
        both_widths(page, "lot-form-photos")
        page.goto(f"{base}/sell/lots/{lot_id}/edit?lang=en")  # the same in English, refusals included
        photos.locator("[data-photo-input]").set_input_files(str(notes))
        photos.locator("[data-photos-message].error").wait_for()
        assert "This file type is not accepted" in photos.locator("[data-photos-message]").inner_text()
        assert photos.locator("[data-make-cover]").inner_text() == "Make cover"
        assert photos.locator("[data-cover]").inner_text() == "Cover"
        photos.scroll_into_view_if_needed()
        both_widths(page, "lot-form-photos-en")
        page.goto(f"{base}/sell/lots/{lot_id}/edit?lang=zh")
        seller = api_login(base, "bob")
        lot = httpx.get(f"{base}/api/v1/lots/{lot_id}", headers=seller).json()
        assert [image["id"] for image in lot["images"]] == [uploaded[1], uploaded[0]]
        cover_thumb = lot["cover_thumb_url"]

        page.click("button[data-action=submit]")
        page.wait_for_url(f"{base}/sell/lots")

        # 4. staff approve the lot; its photos are locked now
        desk.goto(f"{base}/staff/lots")
        both_widths(desk, "staff-lots")
        row = desk.locator("[data-staff-item]", has_text=TITLE)
        with desk.expect_navigation():
            row.locator("button[value=approve]").click()
        locked = httpx.post(f"{base}/api/v1/lots/{lot_id}/images/order", headers=seller,
                            json={"image_ids": [uploaded[0], uploaded[1]]})  # fmt: skip
        assert locked.status_code == 409 and locked.json()["error"]["code"] == "LOT_IMAGES_LOCKED"
        assert httpx.get(f"{base}/api/v1/lots/{lot_id}").json()["status"] == "live"

        # 5. the lot page's gallery and the list with the cover
        page.goto(f"{base}/lots/{lot_id}")
        page.locator("[data-gallery]").wait_for()
        assert page.locator("[data-gallery-thumb]").count() == 2
        both_widths(page, "lot-gallery")
        page.goto(f"{base}/")
        cover = page.locator(f"img.thumb-img[alt='{TITLE}']").first
        cover.scroll_into_view_if_needed()
        assert cover.get_attribute("src") == cover_thumb
        loads(cover)
        both_widths(page, "list-covers")
        assert errors == [] and staff_errors == []
    finally:
        applicant.close()
        staff.close()

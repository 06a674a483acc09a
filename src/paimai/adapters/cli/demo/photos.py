"""The demo lots' photos, drawn with Pillow at seeding time: the category's colours, a simple picture of the
thing (a vase, a watch, a jade bangle, a house, a car…) and the lot's title, one or two views per lot.
They are stored through the media storage and recorded through the same service an upload uses. Also the
documents of the demo's applications to sell (a licence, an ID), as PNG files an applicant would upload,
each marked as a sample."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ....domain.rules import Category

SIZE = (1200, 900)
COLOURS = {  # the list's placeholder gradients (app.css .cat-*)
    Category.ART: ("#f7b267", "#d9480f"),
    Category.COLLECTIBLES: ("#c9a66b", "#8c5a2b"),
    Category.LUXURY: ("#6d5dfc", "#2d1e8f"),
    Category.JEWELLERY: ("#5fd3a1", "#1b7f5a"),
    Category.REAL_ESTATE: ("#6aa8ff", "#1f5bb8"),
    Category.VEHICLES: ("#8e9aaf", "#3d4a5c"),
    Category.OTHER: ("#ffb07a", "#f08c00"),
}
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
Box = tuple[int, int, int, int]
Painter = Callable[[ImageDraw.ImageDraw, Box, random.Random], None]


def _rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _gradient(top: str, bottom: str) -> Image.Image:
    (r1, g1, b1), (r2, g2, b2) = _rgb(top), _rgb(bottom)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        f = y / SIZE[1]
        draw.line(
            [(0, y), (SIZE[0], y)],
            fill=(round(r1 + (r2 - r1) * f), round(g1 + (g2 - g1) * f), round(b1 + (b2 - b1) * f)),
        )
    return image


def _vase(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, top, bottom = (b[0] + b[2]) // 2, b[1], b[3]
    d.ellipse([cx - 190, top + 180, cx + 190, bottom - 60], fill="#f4f1ea", outline="#1d3f8f", width=8)
    d.rectangle([cx - 60, top + 40, cx + 60, top + 220], fill="#f4f1ea", outline="#1d3f8f", width=8)
    d.ellipse([cx - 90, top + 10, cx + 90, top + 70], fill="#f4f1ea", outline="#1d3f8f", width=8)
    for n in range(5):  # blue-and-white scrolls
        x = cx - 140 + n * 70
        d.arc([x - 30, top + 330, x + 30, top + 400], 0, 300, fill="#1d3f8f", width=7)
    d.rectangle([cx - 110, bottom - 80, cx + 110, bottom - 40], fill="#1d3f8f")


def _watch(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, cy = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2
    d.rectangle([cx - 70, b[1], cx + 70, b[3]], fill="#3b3b3b")
    d.ellipse([cx - 180, cy - 180, cx + 180, cy + 180], fill="#d9b45a", outline="#8a6d1f", width=10)
    d.ellipse([cx - 150, cy - 150, cx + 150, cy + 150], fill="#fbfbf7")
    for n in range(12):
        a = math.radians(n * 30)
        d.line(
            [(cx + 120 * math.sin(a), cy - 120 * math.cos(a)), (cx + 140 * math.sin(a), cy - 140 * math.cos(a))],
            fill="#222",
            width=6,
        )
    d.line([(cx, cy), (cx + 70, cy - 60)], fill="#222", width=9)
    d.line([(cx, cy), (cx - 20, cy - 120)], fill="#222", width=6)
    d.rectangle([cx + 178, cy - 18, cx + 210, cy + 18], fill="#d9b45a")


def _bangle(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, cy = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2
    d.ellipse([cx - 230, cy - 200, cx + 230, cy + 200], outline="#2e8b57", width=70)
    d.arc([cx - 200, cy - 175, cx + 200, cy + 175], 200, 300, fill="#b9f3cf", width=14)


def _gem(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, cy = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2 + 60
    d.ellipse([cx - 150, cy - 40, cx + 150, cy + 260], outline="#e0c068", width=28)
    d.polygon([(cx - 130, cy - 120), (cx + 130, cy - 120), (cx, cy + 60)], fill="#c2185b", outline="#fff")
    d.polygon(
        [(cx - 130, cy - 120), (cx - 70, cy - 200), (cx + 70, cy - 200), (cx + 130, cy - 120)],
        fill="#e91e63",
        outline="#fff",
    )


def _bag(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, bottom = (b[0] + b[2]) // 2, b[3]
    d.arc([cx - 120, b[1] + 20, cx + 120, b[1] + 260], 180, 360, fill="#5a3a1a", width=26)
    d.rounded_rectangle(
        [cx - 260, b[1] + 140, cx + 260, bottom - 20], radius=40, fill="#b5651d", outline="#5a3a1a", width=8
    )
    d.rectangle([cx - 40, b[1] + 220, cx + 40, b[1] + 270], fill="#e8c547")


def _painting(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    d.rectangle(b, fill="#6b4423")
    inner = (b[0] + 30, b[1] + 30, b[2] - 30, b[3] - 30)
    d.rectangle(inner, fill="#f3ecd9")
    base = inner[3] - 40
    for n in range(3):  # ink mountains
        x = inner[0] + 60 + n * (inner[2] - inner[0] - 120) // 3 + rng.randint(-20, 20)
        d.polygon(
            [(x - 140, base), (x + 10, inner[1] + 80 + rng.randint(0, 80)), (x + 160, base)],
            fill=("#2f3e46", "#52796f", "#84a98c")[n],
        )
    d.ellipse([inner[2] - 110, inner[1] + 30, inner[2] - 50, inner[1] + 90], fill="#d62828")


def _house(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, bottom = (b[0] + b[2]) // 2, b[3]
    d.rectangle([cx - 230, b[1] + 200, cx + 230, bottom], fill="#f1faee", outline="#1d3557", width=8)
    d.polygon([(cx - 280, b[1] + 210), (cx, b[1]), (cx + 280, b[1] + 210)], fill="#e63946", outline="#1d3557")
    for x in (cx - 170, cx + 70):
        d.rectangle([x, b[1] + 260, x + 100, b[1] + 360], fill="#a8dadc", outline="#1d3557", width=6)
    d.rectangle([cx - 50, bottom - 170, cx + 50, bottom], fill="#457b9d")


def _car(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, cy = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2 + 40
    body = rng.choice(["#c1121f", "#f8f9fa", "#212529", "#0077b6"])
    d.rounded_rectangle([cx - 320, cy - 60, cx + 320, cy + 90], radius=50, fill=body, outline="#111", width=6)
    d.polygon(
        [(cx - 190, cy - 60), (cx - 110, cy - 170), (cx + 130, cy - 170), (cx + 210, cy - 60)],
        fill=body,
        outline="#111",
    )
    d.polygon([(cx - 160, cy - 70), (cx - 100, cy - 150), (cx + 5, cy - 150), (cx + 5, cy - 70)], fill="#bde0fe")
    d.polygon([(cx + 25, cy - 70), (cx + 25, cy - 150), (cx + 120, cy - 150), (cx + 180, cy - 70)], fill="#bde0fe")
    for x in (cx - 190, cx + 190):
        d.ellipse([x - 75, cy + 20, x + 75, cy + 170], fill="#222")
        d.ellipse([x - 35, cy + 60, x + 35, cy + 130], fill="#adb5bd")


def _stamp(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, cy = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2
    d.rectangle([cx - 200, cy - 240, cx + 200, cy + 240], fill="#fffdf5")
    for n in range(-200, 201, 40):  # perforations
        for x, y in ((cx + n, cy - 240), (cx + n, cy + 240), (cx - 200, cy + n * 1.2), (cx + 200, cy + n * 1.2)):
            d.ellipse([x - 10, y - 10, x + 10, y + 10], fill="#c9a66b")
    d.rectangle([cx - 160, cy - 200, cx + 160, cy + 200], fill="#c1121f")
    d.ellipse([cx - 90, cy - 110, cx + 90, cy + 70], fill="#ffb703")


def _box(d: ImageDraw.ImageDraw, b: Box, rng: random.Random) -> None:
    cx, cy = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2
    d.polygon([(cx - 220, cy - 80), (cx, cy - 180), (cx + 220, cy - 80), (cx, cy + 20)], fill="#f8edeb")
    d.polygon([(cx - 220, cy - 80), (cx, cy + 20), (cx, cy + 260), (cx - 220, cy + 160)], fill="#e5989b")
    d.polygon([(cx + 220, cy - 80), (cx, cy + 20), (cx, cy + 260), (cx + 220, cy + 160)], fill="#b5838d")


KEYWORDS: tuple[tuple[tuple[str, ...], Painter], ...] = (
    (("瓶", "壶", "瓷"), _vase),
    (("表", "迪通拿", "Calatrava"), _watch),
    (("手镯", "翡翠", "玉"), _bangle),
    (("钻石", "宝石", "戒指", "项链"), _gem),
    (("包", "箱", "Birkin"), _bag),
    (("票", "人民币", "纸币"), _stamp),
)
BY_CATEGORY: dict[Category, Painter] = {
    Category.ART: _painting,
    Category.COLLECTIBLES: _vase,
    Category.LUXURY: _bag,
    Category.JEWELLERY: _gem,
    Category.REAL_ESTATE: _house,
    Category.VEHICLES: _car,
    Category.OTHER: _box,
}


def painter_for(category: Category, title: str) -> Painter:
    for words, painter in KEYWORDS:
        if any(word in title for word in words):
            return painter
    return BY_CATEGORY[category]


def lot_photos(category: Category, title: str, seed: int) -> list[Image.Image]:
    """Two views of the lot: the object on its category's colours with the title, and a closer one."""
    rng = random.Random(seed)
    top, bottom = COLOURS[category]
    painter = painter_for(category, title)
    photos = []
    for view in range(2):
        image = _gradient(top, bottom) if view == 0 else _gradient(bottom, top)
        draw = ImageDraw.Draw(image)
        box: Box = (300, 110, 900, 720) if view == 0 else (200, 60, 1000, 860)
        painter(draw, box, rng)
        if view == 0:
            draw.rectangle([0, 770, SIZE[0], SIZE[1]], fill=(0, 0, 0))
            draw.text((40, 790), title[:28], fill="white", font=_font(52))
        photos.append(image)
    return photos


DOCUMENT_SIZE = (1000, 700)
SAMPLE = "样本 SAMPLE · 仅供演示"


def document_png(kind: str, holder: str, lines: list[tuple[str, str]], seed: int) -> bytes:
    """A drawn document as the PNG an applicant uploads: "licence" (营业执照) or "id_card" (身份证明) with
    `lines` (label, value), a seal and a sample mark across it; "id_card_blurred" is the ID too blurred to read."""
    rng = random.Random(seed)
    licence = kind == "licence"
    image = Image.new("RGB", DOCUMENT_SIZE, "#fbf6e9" if licence else "#e8f1f8")
    draw = ImageDraw.Draw(image)
    width, height = DOCUMENT_SIZE
    edge = "#b5282e" if licence else "#2b6cb0"
    draw.rectangle([18, 18, width - 18, height - 18], outline=edge, width=10)
    title = "营业执照" if licence else "居民身份证明"
    draw.text((width // 2, 80), title, fill=edge, font=_font(64), anchor="mm")
    y = 170
    for label, value in [("名称" if licence else "姓名", holder), *lines]:
        draw.text((70, y), f"{label}：{value}", fill="#222", font=_font(34))
        y += 62
    cx, cy = width - 190, height - 190  # the seal, or the photo box
    if licence:
        draw.ellipse([cx - 110, cy - 110, cx + 110, cy + 110], outline="#d62828", width=8)
        draw.regular_polygon((cx, cy, 34), 5, rotation=rng.randint(0, 10), fill="#d62828")
    else:
        draw.rectangle([cx - 100, cy - 130, cx + 100, cy + 110], fill="#cbd5e1", outline="#64748b", width=4)
        draw.ellipse([cx - 45, cy - 95, cx + 45, cy - 5], fill="#94a3b8")
        draw.pieslice([cx - 80, cy, cx + 80, cy + 160], 180, 360, fill="#94a3b8")
    mark = Image.new("RGBA", DOCUMENT_SIZE, (0, 0, 0, 0))
    ImageDraw.Draw(mark).text((width // 2, height // 2), SAMPLE, fill=(200, 0, 0, 90), font=_font(84), anchor="mm")
    image.paste(mark.rotate(18), (0, 0), mark.rotate(18))
    if kind == "id_card_blurred":
        image = image.filter(ImageFilter.GaussianBlur(9))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()

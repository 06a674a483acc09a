"""The 成交确认书 as a PDF (reportlab; the built-in CID font STSong-Light needs no font file, and its text
extracts, so the Chinese on the confirmation can be searched and read back)."""

from __future__ import annotations

from io import BytesIO
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from paimai.domain.confirmation import SaleConfirmation

from .formatting import yuan

_FONT = "STSong-Light"
_SHANGHAI = ZoneInfo("Asia/Shanghai")
pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def confirmation_lines(c: SaleConfirmation) -> list[str]:
    sold = c.sold_at.astimezone(_SHANGHAI).strftime("%Y-%m-%d %H:%M")
    pay_by = c.pay_by.astimezone(_SHANGHAI).strftime("%Y-%m-%d %H:%M") if c.pay_by else "—"
    return [
        f"编号：{c.number}",
        f"法院：{c.court_name}",
        f"案号：{c.case_number}",
        f"标的物：{c.lot_title}（拍品 {c.lot_id}）",
        f"买受人：{c.buyer_name}",
        f"身份证号：{c.buyer_masked_id}",
        f"成交价：{yuan(c.price_fen, symbol=False)} 元",
        f"成交时间：{sold}",
        f"付款期限：{pay_by}",
        "佣金：无（司法拍卖不收取佣金及平台服务费）",
    ]


def render_confirmation_pdf(c: SaleConfirmation) -> bytes:
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"成交确认书 {c.number}")
    width, height = A4
    pdf.setFont(_FONT, 20)
    pdf.drawCentredString(width / 2, height - 80, "网络竞价成交确认书")
    pdf.setFont(_FONT, 12)
    y = height - 130
    for line in confirmation_lines(c):
        pdf.drawString(72, y, line)
        y -= 24
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()

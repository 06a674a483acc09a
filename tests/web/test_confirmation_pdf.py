from datetime import UTC, datetime, timedelta
from io import BytesIO

from pypdf import PdfReader

from paimai.adapters.web.confirmation_pdf import render_confirmation_pdf
from paimai.domain.confirmation import build_confirmation


def test_pdf_text_reads_back_in_chinese() -> None:
    sold = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    c = build_confirmation(
        lot_id=7,
        lot_title="杭州市西湖区某住宅",
        court_name="杭州市西湖区人民法院",
        case_number="（2026）浙0106执1234号",
        buyer_name="张三",
        buyer_id="11010519491231002X",
        price_fen=123_456_00,
        sold_at=sold,
        pay_by=sold + timedelta(days=10),
    )
    text = PdfReader(BytesIO(render_confirmation_pdf(c))).pages[0].extract_text()
    for expected in (
        "成交确认书",
        "张三",
        "（2026）浙0106执1234号",
        "123,456.00 元",
        "110*************2X",
        "CJ00000007",
    ):
        assert expected in text
    assert "11010519491231002X" not in text
    assert "2026-12-13 16:00" in text  # pay by, shown in Asia/Shanghai

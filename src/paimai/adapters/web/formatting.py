"""Display formats: integer fen as ¥1,234.56 and aware times in Beijing time (Asia/Shanghai).

Money stays an integer to the last step (divmod, never a float), so a page can never show a price the
ledger does not hold.
"""

from __future__ import annotations

import re
from datetime import datetime

from markupsafe import Markup, escape

from ...domain.calendar import BEIJING


def yuan(fen: int | None, symbol: bool = True) -> str:
    """150000 -> '¥1,500.00'; None -> '—'."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{'¥' if symbol else ''}{whole:,}.{cents:02d}"


def yuan_plain(fen: int | None) -> str:
    """150000 -> '1500.00', the value put in an editable amount field."""
    if fen is None:
        return ""
    whole, cents = divmod(int(fen), 100)
    return f"{whole}.{cents:02d}"


def as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def beijing(value: datetime | str | None, style: str = "full") -> str:
    """A time in Beijing time: full 'YYYY-MM-DD HH:MM:SS', short 'MM-DD HH:MM:SS', clock 'HH:MM:SS',
    day 'MM-DD' or date 'YYYY-MM-DD'."""
    moment = as_datetime(value)
    if moment is None:
        return "—"
    try:
        local = moment.astimezone(BEIJING)
    except OverflowError:  # a stored time at the very edge of the calendar: show it in UTC rather than fail
        local = moment
    if style == "day":
        return local.strftime("%m-%d")
    if style == "date":
        return local.strftime("%Y-%m-%d")
    if style == "short":
        return local.strftime("%m-%d %H:%M:%S")
    if style == "clock":
        return local.strftime("%H:%M:%S")
    return local.strftime("%Y-%m-%d %H:%M:%S")


def iso(value: datetime | str | None) -> str:
    """ISO 8601 with offset, what the scripts parse."""
    moment = as_datetime(value)
    return moment.isoformat() if moment is not None else ""


def countdown(seconds: float, days_word: str) -> str:
    """'1天 02:03:04' / '02:03:04'; the scripts keep it ticking from server time."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}{days_word} {clock}" if days else clock


def paragraphs(text: str | None) -> Markup:
    """A court's text as HTML: escaped first (no markup of its own ever reaches the page), then blank lines
    make paragraphs and single line breaks <br>. The announcement and notices are typed as plain text."""
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))]
    html = "".join("<p>" + str(escape(block)).replace("\n", "<br>") + "</p>" for block in blocks if block.strip())
    return Markup(html)  # noqa: S704 - every piece of text in it was escaped above

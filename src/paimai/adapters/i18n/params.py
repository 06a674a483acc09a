"""How a message's parameters are shown: one table says which names are money (integer fen, shown as
¥1,234.56) and which are times (UTC, shown in Beijing time); every other name is shown as it is.

The table covers every placeholder the catalogue uses (the catalogue test checks), so a new `{name}` is
classified once, here, and never formatted by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

from ...domain.calendar import BEIJING
from ..web.formatting import as_datetime, yuan

MONEY: Final = frozenset(
    {
        "next_valid",
        "increment",
        "deposit",
        "deposit_frozen",
        "fee",
        "amount",
        "amount_due",
        "price",
        "leader_max",
        "current_price",
        "needed",
        "available",
        "minimum",
        "maximum",
        "max",
    }
)
TIMES: Final = frozenset(
    {
        "resets_at",
        "starts_at",
        "ends_at",
        "pay_deadline",
        "ship_deadline",
        "expires_at",
        "now",
        "latest",
        "earliest_start",
        "deadline",
    }
)
LISTS: Final = frozenset({"problems"})  # problem codes with their own parameters, each worded and joined
PLAIN: Final = frozenset(
    {
        "lot_title",
        "limit",
        "used",
        "status",
        "action",
        "hours",
        "seconds",
        "max_seconds",
        "retry_after",
        "min_length",
        "max_bytes",
        "where",
        "n",
        "w",
        "h",
        "t",
        "days",
        "alias",  # a bidder's alias on a lot, as the record shows it
        "leader",
        "winner",
        "rank",
        "percent",
        "min_percent",
        "max_percent",
    }
)
KNOWN: Final = MONEY | TIMES | LISTS | PLAIN


def show_money(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return yuan(value)
    return value  # already words (a page passes a formatted amount)


def show_time(value: object) -> object:
    if isinstance(value, datetime | str):
        try:
            moment = as_datetime(value)
        except ValueError:
            return value
        if moment is not None and moment.tzinfo is not None:
            return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return value


class Shown(dict[str, Any]):
    """The parameters as a message shows them; a parameter the message names but the caller lacks is blank."""

    def __init__(self, params: Mapping[str, Any], word_list: Callable[[object], str]) -> None:
        super().__init__()
        for name, value in params.items():
            if name in MONEY:
                self[name] = show_money(value)
            elif name in TIMES:
                self[name] = show_time(value)
            elif name in LISTS:
                self[name] = word_list(value)
            else:
                self[name] = value

    def __missing__(self, key: str) -> str:
        return ""

"""Beijing time, the platform's one calendar: the zone every "today", quota day and shown time is in.

China keeps UTC+8 all year (no daylight saving time since 1991), so a fixed offset is exact for every moment
the platform deals with and needs no time-zone database on the machine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def beijing_date(moment: datetime) -> date:
    """The Beijing calendar day an aware moment falls on."""
    return moment.astimezone(BEIJING).date()


def beijing_day(moment: datetime) -> tuple[datetime, datetime]:
    """The Beijing calendar day containing ``moment``, as [start, end) in ``moment``'s own zone."""
    start = datetime.combine(beijing_date(moment), time(0), tzinfo=BEIJING)
    return start.astimezone(moment.tzinfo), (start + timedelta(days=1)).astimezone(moment.tzinfo)


def beijing_hour(moment: datetime, days: int, hour: int) -> datetime:
    """Day ``days`` after (before, if negative) ``moment``'s Beijing day, at ``hour``:00 Beijing time, in UTC."""
    day = beijing_date(moment) + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=BEIJING).astimezone(UTC)

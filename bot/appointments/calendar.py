"""Time zones and dates as the person reads them: an appointment is kept in UTC with the person's zone
(Europe/Copenhagen for Denmark, Europe/Berlin for Germany), and shown in their language's calendar format (Babel)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

ZONES = {"DK": "Europe/Copenhagen", "DE": "Europe/Berlin"}


def zone_of(country: str) -> str:
    return ZONES[country]


def to_utc(day: dt.date, hour: int, minute: int, zone: str) -> dt.datetime:
    """A local wall-clock time in `zone` as UTC (a time that does not exist, in the spring DST gap, is read as the
    time one hour later, as clocks show it)."""
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
    utc = local.astimezone(dt.timezone.utc)
    if utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != local.replace(tzinfo=None):  # in the gap
        utc = (local + dt.timedelta(hours=1)).astimezone(dt.timezone.utc)
    return utc


def local(at: dt.datetime, zone: str) -> dt.datetime:
    """A stored time (UTC; naive from SQLite) in the person's zone."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(ZoneInfo(zone))


def when(lang: str, at: dt.datetime, zone: str) -> str:
    """"Tuesday, December 8, 2026, 10:30 AM" / "الثلاثاء، 8 ديسمبر 2026، 10:30 ص": the person's calendar format."""
    moment = local(at, zone)
    try:
        date = babel_dates.format_date(moment.date(), "full", locale=lang)
        time = babel_dates.format_time(moment.time(), "short", locale=lang)
        pattern = str(babel_dates.get_datetime_format("long", locale=lang))
    except (ValueError, LookupError):  # a locale Babel lacks: unambiguous
        return moment.strftime("%Y-%m-%d %H:%M")
    return pattern.replace("'", "").replace("{1}", date).replace("{0}", time)


def day_label(lang: str, day: dt.date) -> str:
    """A short day for a button: "Tue, Dec 8" / "Di., 8. Dez."."""
    try:
        return babel_dates.format_skeleton("MMMEd", day, locale=lang)
    except (ValueError, LookupError):
        return day.isoformat()

"""The program's mentor hours (MENTOR_HOURS), so a person waiting outside them hears when mentors are back.

Format: `"mon-fri 09:00-17:00; sat 10:00-14:00"` in MENTOR_TIMEZONE. Empty means no fixed hours (mentors come
on duty when they can). Day names and dates are shown in the person's language with Babel (CLDR data).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import List, Tuple
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, get_day_names

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_PART = re.compile(r"^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Window:
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time


class OpeningHours:
    def __init__(self, windows: List[Window], timezone: str) -> None:
        self.windows = windows
        self.zone = ZoneInfo(timezone)

    @classmethod
    def parse(cls, spec: str, timezone: str = "Europe/Copenhagen") -> OpeningHours:
        """Parse MENTOR_HOURS; a mistake stops the start-up with a message that says which part is wrong."""
        windows: List[Window] = []
        for part in filter(str.strip, spec.lower().split(";")):
            match = _PART.match(part)
            if not match or match.group(1) not in DAYS or (match.group(2) and match.group(2) not in DAYS):
                raise ValueError(f"MENTOR_HOURS: cannot read {part.strip()!r}; write e.g. 'mon-fri 09:00-17:00'")
            first = DAYS.index(match.group(1))
            last = DAYS.index(match.group(2)) if match.group(2) else first
            start = dt.time(int(match.group(3)), int(match.group(4)))
            end = dt.time(int(match.group(5)), int(match.group(6)))
            if end <= start:
                raise ValueError(f"MENTOR_HOURS: {part.strip()!r} ends before it starts")
            for day in range(first, last + 1):
                windows.append(Window(day, start, end))
        return cls(windows, timezone)

    @property
    def always(self) -> bool:
        return not self.windows

    def is_open(self, now: dt.datetime) -> bool:
        if self.always:
            return True
        local = now.astimezone(self.zone)
        return any(w.weekday == local.weekday() and w.start <= local.time() < w.end for w in self.windows)

    def open_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """How much of [start, end] falls within the hours (all of it without fixed hours): the time a reply
        waits counts only while mentors are on duty. Windows are taken in MENTOR_TIMEZONE, day by day, so a
        change to or from summer time counts the hours the clock really showed."""
        if end <= start:
            return dt.timedelta(0)
        if self.always:
            return end - start
        total = dt.timedelta(0)
        day, last = start.astimezone(self.zone).date(), end.astimezone(self.zone).date()
        while day <= last:
            for window in self.windows:
                if window.weekday != day.weekday():
                    continue
                opens = dt.datetime.combine(day, window.start, tzinfo=self.zone)
                closes = dt.datetime.combine(day, window.end, tzinfo=self.zone)
                overlap = min(closes, end) - max(opens, start)
                total += max(overlap, dt.timedelta(0))
            day += dt.timedelta(days=1)
        return total

    def next_opening(self, now: dt.datetime) -> dt.datetime | None:
        """The next start of a window after `now` (None without fixed hours)."""
        if self.always:
            return None
        local = now.astimezone(self.zone)
        for offset in range(0, 8):
            day = local.date() + dt.timedelta(days=offset)
            starts = sorted(w.start for w in self.windows if w.weekday == day.weekday())
            for start in starts:
                candidate = dt.datetime.combine(day, start, tzinfo=self.zone)
                if candidate > local:
                    return candidate
        return None

    def describe(self, lang: str) -> str:
        """The hours in the person's language, e.g. "ma–fr 09:00–17:00"."""
        names = get_day_names("abbreviated", locale=_locale(lang))
        groups: List[Tuple[int, int, dt.time, dt.time]] = []
        for window in sorted(self.windows, key=lambda w: (w.weekday, w.start)):
            if groups and groups[-1][1] == window.weekday - 1 and groups[-1][2:] == (window.start, window.end):
                groups[-1] = (groups[-1][0], window.weekday, window.start, window.end)
            else:
                groups.append((window.weekday, window.weekday, window.start, window.end))
        parts = []
        for first, last, start, end in groups:
            days = names[first] if first == last else f"{names[first]}–{names[last]}"
            parts.append(f"{days} {start:%H:%M}–{end:%H:%M}")
        return "; ".join(parts)

    def format_opening(self, when: dt.datetime, lang: str) -> str:
        return format_datetime(when, "EEEE d MMMM, HH:mm", tzinfo=self.zone, locale=_locale(lang)) + f" ({self.zone.key})"


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except Exception:  # noqa: BLE001 - a language CLDR does not know: English day names
        return Locale.parse("en")

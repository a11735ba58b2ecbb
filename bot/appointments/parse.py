"""A day and time in the person's own words ("remind me, dentist Tuesday 10:30", "موعدي عند الدكتور الخميس الساعة ٩").

The time is read here (digits of any script, "10:30", "10.30", "kl. 9", "um 9 Uhr", "الساعة ٩", "saat 9", "9 pm"):
dateparser mistakes a bare hour after "at" for a day or ignores it in most of our languages. The day is read by
dateparser (`search_dates`, in the person's language, preferring the future) from the rest of the text, and
"next <weekday>" words, which it misses in several languages, are dropped first (the coming weekday is meant).
A bare hour from 1 to 6 without "am" is read as the afternoon (clinics are closed at 3 at night). The kind of
appointment is guessed from a few words per language; without one the person picks it with buttons.
Measured per language in tests/appointments/test_parse.py; docs/appointments.md says where it is not reliable.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

from bot.appointments import calendar

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# words right before an hour ("at 9")
AT_WORDS: Dict[str, Sequence[str]] = {
    "en": ["at"], "da": ["kl", "klokken"], "de": ["um"], "uk": ["о", "об", "на"], "ru": ["в", "во", "на"],
    "tr": ["saat"], "ar": ["الساعة", "الساعه", "ساعة"], "fa": ["ساعت"], "so": ["saacadda", "saaca", "sacaadda"],
    "ti": ["ሰዓት", "ሰዓተ"],
}
PM_WORDS = ["pm", "p.m.", "مساء", "مساءً", "بعدازظهر", "بعد از ظهر", "عصر", "nachmittags", "abends", "om eftermiddagen",
            "вечера", "дня", "вечора", "öğleden sonra", "akşam", "galabnimo", "ድሕሪ ቀትሪ"]
AM_WORDS = ["am", "a.m.", "صباحا", "صباحاً", "صبح", "morgens", "om morgenen", "утра", "ранку", "sabah", "subaxnimo", "ንግሆ"]
# "next" before a weekday, which dateparser does not read in every language (the coming weekday is meant)
NEXT_WORDS = ["next", "næste", "nächsten", "nächste", "kommenden", "наступного", "наступної", "наступний", "наступну",
              "следующий", "следующую", "следующее", "gelecek", "önümüzdeki", "القادم", "القادمة", "الجاي", "آینده",
              "بعدی", "soo socda", "dambe", "ዝመጽእ"]
# words before a date that dateparser reads as a date of their own ("يوم 15 ديسمبر": "day" 15 December)
FILLER_WORDS = ["يوم", "في", "بتاريخ", "روز", "تاریخ", "maalinta", "ዕለት"]
KIND_WORDS: Tuple[Tuple[str, Sequence[str]], ...] = (  # the first kind whose word appears (specific before general)
    ("dentist", ["dentist", "tandlæge", "zahnarzt", "zahnärzt", "أسنان", "اسنان", "دندان", "стоматолог", "зубн", "dişçi",
                 "diş ", "ilkaha", "ilko", "ስኒ"]),
    ("specialist", ["specialist", "speciallæge", "facharzt", "fachärzt", "أخصائي", "اخصائي", "اختصاصي", "متخصص",
                    "спеціаліст", "специалист", "uzman", "takhasus", "ስፔሻሊስት"]),
    ("hospital", ["hospital", "sygehus", "krankenhaus", "klinikum", "مستشفى", "المستشفى", "بیمارستان", "лікарн",
                  "больниц", "hastane", "isbitaal", "ሆስፒታል"]),
    ("interpreter", ["interpreter", "tolk", "dolmetsch", "مترجم", "перекладач", "переводчик", "tercüman", "turjubaan",
                     "ተርጓሚ"]),
    ("jobcenter", ["jobcenter", "job center", "kommune", "sozialamt", "مركز العمل", "جاب سنتر", "джобцентр", "джоб-центр"]),
    ("gp", ["doctor", "gp", "læge", "arzt", "ärztin", "طبيب", "دكتور", "الدكتور", "دکتر", "پزشک", "лікар", "врач",
            "доктор", "doktor", "hekim", "dhakhtar", "ሓኪም", "ዶክተር"]),
)
# Persian weekdays are written with a space or a zero-width non-joiner; dateparser knows the joined forms
PERSIAN_DAYS = (("سه شنبه", "سه‌شنبه"), ("یک شنبه", "یکشنبه"), ("دو شنبه", "دوشنبه"), ("چهار شنبه", "چهارشنبه"),
                ("پنج شنبه", "پنجشنبه"))
CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])\s?[:.]\s?([0-5]\d)(?!\d)")


@dataclass(frozen=True)
class Parsed:
    local: dt.datetime  # the wall-clock time in the person's zone (naive)
    kind: str | None


def _words(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _time(text: str, language: str) -> Tuple[int, int, str] | None:
    """The hour, the minutes, and the text without the time expression."""
    lowered = text.lower()
    marker = re.compile(rf"(?:^|\s)({_words(PM_WORDS)}|{_words(AM_WORDS)})(?=\s|$|[.,!?])")
    found = marker.search(lowered)
    pm = bool(found and found.group(1) in PM_WORDS)
    am = bool(found and found.group(1) in AM_WORDS)
    if found:
        lowered = lowered[:found.start()] + " " + lowered[found.end():]
    clock = CLOCK.search(lowered)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        rest = lowered[:clock.start()] + " " + lowered[clock.end():]
    else:
        at_words = _words([*AT_WORDS.get(language, ()), "kl"])
        bare = re.search(rf"(?:(?<=\s)|^)(?:{at_words})\.?\s*(\d{{1,2}})(?!\d)(?:\s*(?:uhr|h|o'clock)\b)?", lowered)
        bare = bare or re.search(r"(?<!\d)(\d{1,2})\s*(?:uhr|h|o'clock|am|pm)\b", lowered)
        if not bare or int(bare.group(1)) > 23:
            return None
        hour, minute = int(bare.group(1)), 0
        rest = lowered[:bare.start()] + " " + lowered[bare.end():]
        rest = re.sub(rf"(?:(?<=\s)|^)(?:{at_words})\.?(?=\s|$)", " ", rest)
    if pm and hour < 12:
        hour += 12
    elif not am and 1 <= hour <= 6:
        hour += 12  # "at 3" for an appointment is the afternoon
    return hour, minute, rest


def kind_of(text: str) -> str | None:
    lowered = f" {text.lower()} "
    for kind, words in KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return None


def _day(text: str, language: str, today: dt.datetime) -> dt.date | None:
    from dateparser.search import search_dates  # imported on first use: it loads its language data (~1 s)

    cleaned = re.sub(rf"(?:(?<=\s)|^)(?:{_words(NEXT_WORDS + FILLER_WORDS)})(?=\s|$)", " ", text)
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": today, "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        found = search_dates(cleaned, languages=[language], settings=settings) or []
    except Exception:  # noqa: BLE001 - dateparser raises on odd input (a text only of symbols): not a date
        return None
    for _, value in found:
        if value.date() >= today.date():
            return value.date()
    return None


def parse_appointment(text: str, language: str, now: dt.datetime, tz: str) -> Parsed | None:
    """The appointment's local day and time (and kind, when named) in `text`, written in `language`, relative to
    `now` in zone `tz`; None when no day and time can be read (the person then uses the buttons)."""
    normalised = " ".join(text.translate(DIGITS).split())
    for spaced, joined in PERSIAN_DAYS:
        normalised = normalised.replace(spaced, joined)
    timed = _time(normalised, language)
    if timed is None:
        return None
    hour, minute, rest = timed
    today = calendar.local(now, tz).replace(tzinfo=None, second=0, microsecond=0)
    day = _day(rest, language, today)
    if day is None:
        return None
    moment = dt.datetime.combine(day, dt.time(hour, minute))
    if moment <= today:  # "today at 9" said at 10: not a time to be reminded of
        return None
    return Parsed(moment, kind_of(normalised))

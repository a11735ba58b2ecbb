"""A day and time in people's own words, per language (bot.appointments.parse), with a controlled clock: Monday
7 December 2026, 12:00 in Copenhagen and Berlin. Arabic-Indic and Persian digits, relative days ("tomorrow at 9"),
weekdays, "next Tuesday" and dates with month names. Where a form is not read, the test says so (it returns None
and the person uses the buttons): docs/appointments.md lists these per language."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.appointments.parse import Parsed, parse_appointment

NOW = dt.datetime(2026, 12, 7, 11, 0, tzinfo=dt.timezone.utc)  # Monday, 12:00 local
TUE, THU, FRI = dt.date(2026, 12, 8), dt.date(2026, 12, 10), dt.date(2026, 12, 11)
TOMORROW, DEC15 = TUE, dt.date(2026, 12, 15)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


READ = [
    ("en", "remind me, dentist Tuesday 10:30", at(TUE, 10, 30), "dentist"),
    ("en", "doctor tomorrow at 9", at(TOMORROW, 9), "gp"),
    ("en", "next Tuesday 14:00", at(TUE, 14), None),
    ("en", "hospital on 15 December at 10:30", at(DEC15, 10, 30), "hospital"),
    ("en", "GP Friday at 2 pm", at(FRI, 14), "gp"),
    ("en", "dentist on 15 December 2027 at 10:30", at(dt.date(2027, 12, 15), 10, 30), "dentist"),
    ("ar", "موعدي عند الدكتور الخميس الساعة ٩", at(THU, 9), "gp"),
    ("ar", "غدا الساعة 10:30", at(TOMORROW, 10, 30), None),
    ("ar", "طبيب الأسنان الثلاثاء القادم الساعة ١٤:٠٠", at(TUE, 14), "dentist"),
    ("ar", "المستشفى ١٥ ديسمبر الساعة ١٠:٣٠", at(DEC15, 10, 30), "hospital"),
    ("ar", "موعدي عند طبيب الأسنان يوم ١٥ ديسمبر ٢٠٢٧ الساعة ١٠:٣٠", at(dt.date(2027, 12, 15), 10, 30), "dentist"),
    ("fa", "دکتر فردا ساعت ۹", at(TOMORROW, 9), "gp"),
    ("fa", "دندانپزشک سه‌شنبه ساعت ۱۰:۳۰", at(TUE, 10, 30), "dentist"),
    ("fa", "دندانپزشک سه شنبه ساعت ۱۰:۳۰", at(TUE, 10, 30), "dentist"),
    ("fa", "بیمارستان ۱۵ دسامبر ساعت ۱۰:۳۰", at(DEC15, 10, 30), "hospital"),
    ("fa", "روز پنجشنبه ساعت ۹ دکتر دارم", at(THU, 9), "gp"),
    ("uk", "лікар завтра о 9", at(TOMORROW, 9), "gp"),
    ("uk", "стоматолог у вівторок о 10:30", at(TUE, 10, 30), "dentist"),
    ("uk", "лікарня 15 грудня о 10:30", at(DEC15, 10, 30), "hospital"),
    ("uk", "у наступний вівторок о 14:00", at(TUE, 14), None),
    ("ru", "врач завтра в 9", at(TOMORROW, 9), "gp"),
    ("ru", "зубной во вторник в 10:30", at(TUE, 10, 30), "dentist"),
    ("ru", "в следующий вторник в 14:00", at(TUE, 14), None),
    ("ru", "больница 15 декабря в 10:30", at(DEC15, 10, 30), "hospital"),
    ("tr", "doktor yarın saat 9", at(TOMORROW, 9), "gp"),
    ("tr", "dişçi salı 10:30", at(TUE, 10, 30), "dentist"),
    ("tr", "gelecek salı saat 14:00", at(TUE, 14), None),
    ("tr", "hastane 15 aralık saat 10:30", at(DEC15, 10, 30), "hospital"),
    ("da", "læge i morgen kl. 9", at(TOMORROW, 9), "gp"),
    ("da", "tandlæge tirsdag kl. 10.30", at(TUE, 10, 30), "dentist"),
    ("da", "næste tirsdag kl. 14", at(TUE, 14), None),
    ("da", "hospital den 15. december kl. 10.30", at(DEC15, 10, 30), "hospital"),
    ("de", "Arzt morgen um 9 Uhr", at(TOMORROW, 9), "gp"),
    ("de", "Zahnarzt Dienstag 10:30", at(TUE, 10, 30), "dentist"),
    ("de", "nächsten Dienstag um 14 Uhr", at(TUE, 14), None),
    ("de", "Krankenhaus am 15. Dezember um 10:30", at(DEC15, 10, 30), "hospital"),
    ("so", "dhakhtar berri saacadda 9", at(TOMORROW, 9), "gp"),
    ("so", "dhakhtarka ilkaha talaado 10:30", at(TUE, 10, 30), "dentist"),
    ("so", "isbitaal 15 Diseembar 10:30", at(DEC15, 10, 30), "hospital"),
    ("so", "khamiis 14:00", at(THU, 14), None),
    ("ti", "ሓኪም ጽባሕ ሰዓት 9", at(TOMORROW, 9), "gp"),
    ("ti", "ሰሉስ 10:30", at(TUE, 10, 30), None),
    ("ti", "ሆስፒታል ሓሙስ ሰዓት 14:00", at(THU, 14), "hospital"),
    ("ti", "ሰሉስ ዝመጽእ 10:30", at(TUE, 10, 30), None),
]


@pytest.mark.parametrize("lang, text, expected, kind", READ)
@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Europe/Berlin"])
def test_a_day_and_time_in_the_persons_words(lang, text, expected, kind, zone):
    assert parse_appointment(text, lang, NOW, zone) == Parsed(expected, kind)


NOT_READ = [
    ("uk", "наступного вівторка о 14:00"),  # "next" + the genitive weekday: dateparser knows only the nominative
    ("so", "khamiista soo socda 14:00"),  # the weekday with its article (-ta): not in dateparser's Somali data
    ("so", "talaadada 10:30"),  # the same (-da)
    ("en", "dentist on Tuesday"),  # no time: asked with buttons
    ("de", "um 10:30"),  # no day
    ("en", "today at 9"),  # 9 this morning has passed at 12:00
    ("ar", "🙂🙂"),
]


@pytest.mark.parametrize("lang, text", NOT_READ)
def test_what_is_not_read_goes_to_the_buttons(lang, text):
    assert parse_appointment(text, lang, NOW, "Europe/Berlin") is None

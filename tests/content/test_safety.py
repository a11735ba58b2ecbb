"""Crisis and 'cannot wait' replies carry the numbers of content/countries.yml in every language, and no
user-visible string writes a number out (issues #13, #18): the numbers come only from countries.yml."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from common import content, places, safety

ROOT = Path(__file__).resolve().parents[2]
LANGS = sorted(content.languages())
DK, DE = content.numbers("DK"), content.numbers("DE")
STRINGS = sorted((ROOT / "common" / "strings").glob("*.py"))


def _msgids(path: Path) -> list[tuple[int, str]]:
    """The msgids Babel extracts from a strings module (what translators see), with their line numbers."""
    found = []
    for lineno, message, _comments, _context in extract_from_file("python", str(path)):
        for text in (message if isinstance(message, tuple) else (message,)):
            if text:
                found.append((lineno, text))
    return found


def _written_out(number: str) -> re.Pattern[str]:
    """A number as a text could write it: its digits in order, with or without spaces or dashes between them,
    not part of a longer number ("70 201 201", "70201201", "0800-111-0-111")."""
    return re.compile(r"(?<!\d)" + r"[ \u00a0\-]?".join(re.escape(d) for d in re.sub(r"\D", "", number)) + r"(?!\d)")


@pytest.mark.parametrize("lang", LANGS)
def test_crisis_reply_without_a_country_has_both_countries_numbers(lang):
    text = safety.crisis_reply(lang, None)
    for number in (DK["emergency"], DK["lifeline"], DE["crisis_line_1"], DE["crisis_line_2"]):
        assert number in text, f"{lang}: {number!r} missing in {text!r}"
    assert "%(" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_line_without_a_country_has_both_countries_numbers(lang):
    text = safety.numbers_line(lang, None)
    for number in (DK["emergency"], DK["lifeline"], DE["crisis_line_1"]):
        assert number in text, f"{lang}: {number!r} missing in {text!r}"
    assert "%(" not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "country, crisis_lines, numbers_lines",
    [
        # Danish out-of-hours lines differ per region: only with the region known (test below, issue #15)
        ("DK", ["emergency", "lifeline", "violence_line"], ["emergency", "lifeline"]),
        ("DE", ["emergency", "police", "crisis_line_1", "crisis_line_2", "crisis_line_3", "violence_line"],
         ["emergency", "on_call_doctor", "crisis_line_1", "crisis_line_2"]),
    ],
)
def test_replies_for_a_country_have_that_countrys_lines(lang, country, crisis_lines, numbers_lines):
    numbers = content.numbers(country)
    for text, names in ((safety.crisis_reply(lang, country), crisis_lines), (safety.numbers_line(lang, country), numbers_lines)):
        for name in names:
            assert numbers[name] in text, f"{lang}/{country}: {name} ({numbers[name]!r}) missing in {text!r}"
        assert "%(" not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("area", sorted(a.code for a in places.region_areas("DK")))
def test_danish_replies_give_only_the_persons_regions_out_of_hours_line(lang, area):
    """Issue #15: a person in Aarhus gets Central Denmark's line, not a list of five regions."""
    mine = places.area("DK", area)
    others = {a.out_of_hours for a in places.region_areas("DK") if a.out_of_hours != mine.out_of_hours}
    for text in (safety.crisis_reply(lang, "DK", area), safety.numbers_line(lang, "DK", area)):
        assert mine.out_of_hours in text, f"{lang}/{area}: {mine.out_of_hours} missing in {text!r}"
        assert not [n for n in others if n in text], text
        assert "%(" not in text
    for text in (safety.crisis_reply(lang, "DK"), safety.numbers_line(lang, "DK")):
        assert not [a.out_of_hours for a in places.region_areas("DK") if a.out_of_hours in text], text


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_reply_has_112_and_no_placeholder_left(lang):
    text = safety.emergency_reply(lang)
    assert DK["emergency"] == DE["emergency"] == safety.EMERGENCY and safety.EMERGENCY in text
    assert "%(" not in text


def test_no_msgid_writes_out_a_phone_number_of_the_countries():
    """Every number of content/countries.yml (8+ digit lines and short codes) reaches a text only through its
    placeholder. 112 is the one exception: it is the same everywhere and some texts name it where no values are
    passed ("In an emergency call 112.")."""
    numbers = {
        (country, name): number
        for country in content.COUNTRIES
        for name, number in content.numbers(country).items()
        if name != "emergency"
    } | {(a.country, f"out_of_hours {a.code}"): a.out_of_hours for a in places.areas().values() if a.out_of_hours}
    assert ("DK", "lifeline") in numbers and ("DE", "on_call_doctor") in numbers  # the file we think we read
    assert STRINGS, "no strings modules found"
    found = []
    for path in STRINGS:
        for lineno, msgid in _msgids(path):
            text = content.PLACEHOLDER.sub("", msgid)
            for (country, name), number in numbers.items():
                if _written_out(number).search(text):
                    found.append(f"{path.relative_to(ROOT)}:{lineno}: {country} {name} {number!r} in {msgid[:70]!r}")
    assert not found, "numbers written out instead of placeholders:\n" + "\n".join(found)


def test_the_check_for_written_out_numbers_sees_them():
    assert _written_out("70 201 201").search("Livslinien 70 201 201.")
    assert _written_out("70 201 201").search("Livslinien 70201201")
    assert _written_out("0800 111 0 111").search("TelefonSeelsorge 0800-111-0-111 oder")
    assert _written_out("116117").search("call 116 117")
    assert _written_out("1813").search("(Capital Region: 1813)")
    assert not _written_out("1813").search("call 18130")
    assert not _written_out("1813").search("%(acute_capital)s")


def test_texts_with_both_countries_numbers_are_rendered_only_through_common_safety():
    """Texts with `dk_*`/`de_*` placeholders need the values common.safety puts together for a person whose country
    is unknown; translated anywhere else they would show "%(dk_lifeline)s" instead of the number."""
    from common.strings import assistant, mentor, person

    needs_both = {
        name
        for module in (assistant, mentor, person)
        for name, value in vars(module).items()
        if isinstance(value, str) and any(p.startswith(("dk_", "de_")) for p in content.placeholders(value))
    }
    assert {"CRISIS_ANY", "NUMBERS_ANY"} <= needs_both
    pattern = re.compile(r"\b(" + "|".join(sorted(needs_both)) + r")\b")
    allowed = {ROOT / "common" / "safety.py", *STRINGS}
    offenders = [
        f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}"
        for folder in ("actions", "bot", "common", "scripts")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in allowed
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders, "use common.safety (crisis_reply, numbers_line) instead:\n" + "\n".join(offenders)

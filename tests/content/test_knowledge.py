"""The knowledge base is content, and content is code: every entry names an official source and the date its
facts were checked, uses only placeholders for phone numbers, and fits the buttons and the payload contract."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from common import content, contract, knowledge, places
from tests.content.test_safety import _written_out

ENTRIES = sorted(knowledge.entries().values(), key=lambda e: e.id)
NUMBERS = {n for c in content.COUNTRIES for k, n in content.numbers(c).items() if k != "emergency"} | {
    a.out_of_hours for a in places.areas().values() if a.out_of_hours}


def test_both_countries_have_at_least_120_entries_over_every_topic():
    for country in content.COUNTRIES:
        mine = [e for e in ENTRIES if e.country == country]
        assert len(mine) >= 110, (country, len(mine))
        assert {e.topic for e in mine} == set(content.topics()), country


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_is_sourced_dated_and_well_formed(entry):
    assert entry.id.startswith(f"{entry.country.lower()}."), entry.id
    assert entry.topic in content.topics()
    assert entry.source_url.startswith("https://") and entry.source_name
    assert entry.checked <= dt.date.today() and not entry.stale(), "facts older than 12 months: check them again"
    assert len(entry.questions) >= 3
    assert set(entry.residence) <= set(knowledge.RESIDENCES[entry.country]), entry.residence
    assert len(("r:" + contract.choose_entry(entry.id)).encode()) <= 64, "too long for Telegram's callback data"
    allowed = set(content.numbers(entry.country)) | set(places.AREA_PLACEHOLDERS)
    for text in entry.texts():
        assert content.placeholders(text) <= allowed, (entry.id, content.placeholders(text) - allowed)
        assert not re.search(r"%(?!\(\w+\)s)", text), f"{entry.id}: a bare % breaks formatting: write 'percent'"
        assert text % {**content.numbers(entry.country), "region_name": "R", "out_of_hours": "1"}
        bare = re.sub(r"[\w.-]+\.(de|dk|org|com|eu)\b", "", content.PLACEHOLDER.sub("", text))  # "116117.de": a site
        assert not [n for n in NUMBERS if _written_out(n).search(bare)], f"{entry.id}: a number written out"


def test_the_same_question_in_both_countries_shares_its_id_after_the_prefix():
    paired = [e for e in ENTRIES if e.country == "DK" and knowledge.counterpart(e.id, "DE")]
    assert len(paired) >= 10  # "and in Germany?" has something to find
    assert knowledge.counterpart("dk.referral.eye_doctor", "DE").id == "de.referral.eye_doctor"


def test_example_questions_in_other_languages_belong_to_existing_entries():
    folder = knowledge.KNOWLEDGE_DIR / "questions"
    import yaml

    for path in folder.glob("*.yml"):
        assert path.stem in content.languages(), path
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        unknown = set(data) - set(knowledge.entries())
        assert not unknown, f"{path.name}: unknown entry ids {sorted(unknown)[:3]}"

"""Every user-visible string is translated in every language; numbers and placeholders survive translation."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from common import content, places
from common.i18n import translate

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
PHONE = re.compile(r"\d[\d ]*\d")
LANGS = sorted(code for code in content.languages() if code != "en")


def _catalog(lang: str):
    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Freshly extracted msgids: the committed catalogs must not lag behind the code and content."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "--no-wrap", "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True, env={"PYTHONPATH": str(ROOT)},
    )
    with open(out, "rb") as handle:
        return [m.id for m in read_po(handle) if m.id]


def test_template_covers_every_answer(template):
    for per_country in content.topics().values():
        for answer in per_country.values():
            assert answer.text in template


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_is_translated(lang, template):
    catalog = _catalog(lang)
    missing = [msgid for msgid in template if not (catalog.get(msgid) and catalog.get(msgid).string.strip())]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:2]}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy (unreviewed) translations: {fuzzy[:2]}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_phone_numbers_survive_translation(lang):
    for message in _catalog(lang):
        if not message.id or not message.string:  # untranslated: test_every_string_is_translated's concern
            continue
        assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id[:60]
        for number in PHONE.findall(PLACEHOLDER.sub("", message.id)):
            assert number in message.string, f"{lang}: {number!r} lost in {message.id[:60]!r}"


@pytest.mark.parametrize("lang", sorted(content.languages()))
def test_every_answer_renders_without_empty_or_unfilled_text(lang):
    for per_country in content.topics().values():
        for country, answer in per_country.items():
            for area in places.region_areas(country) or [None]:  # a region's answer with that region's line
                values = {**content.numbers(country), **(area.placeholders() if area else {})}
                text = translate(lang, answer.text, values)
                assert text.strip() and "%(" not in text


def test_every_navigation_topic_has_an_answer_for_each_country_with_an_official_source():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    navigation = {
        "find_gp", "book_gp_appointment", "out_of_hours", "emergency", "referral_specialist",
        "mental_health_services", "interpreter", "health_card", "prescription_pharmacy", "dental_care",
        "pregnancy_child_health", "social_services", "costs",
    }
    assert navigation <= set(domain["intents"])
    assert set(content.topics()) == navigation
    for topic, per_country in content.topics().items():
        assert set(per_country) == set(content.COUNTRIES), topic
        for answer in per_country.values():
            assert answer.source_url.startswith("https://") and answer.source_name


def test_answer_placeholders_exist_in_the_country_numbers():
    for per_country in content.topics().values():
        for country, answer in per_country.items():
            allowed = set(content.numbers(country)) | set(places.AREA_PLACEHOLDERS)  # the region's: common.places
            assert set(PLACEHOLDER.findall(answer.text)) <= allowed, answer.topic


def test_emergency_answers_name_112_first():
    for country in content.COUNTRIES:
        text = content.answer("emergency", country).text % content.numbers(country)
        first_number = PHONE.search(text).group()
        assert first_number == "112"


@pytest.mark.parametrize("lang", LANGS)
def test_every_shipped_catalog_passes_the_admins_import_checks(lang, tmp_path):
    """A translator exports the catalog, edits it and imports it again (issue #18): what ships must pass the same
    checks (placeholders, numbers as in the English), or the first round trip would be refused."""
    from bot.admin import service
    from common.db import make_engine, migrate, session_factory

    url = f"sqlite:///{tmp_path / 'import.db'}"
    migrate(url)
    engine = make_engine(url)
    raw = (ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po").read_bytes()
    with session_factory(engine)() as db:
        service.import_po(db, "eva", lang, raw)  # raises ValidationError with the problems
    engine.dispose()

"""Towns in any script give the country and the Danish region (common.places, content/towns.yml, regions.yml)."""
from __future__ import annotations

import datetime as dt

import pytest

from common import places


@pytest.mark.parametrize(
    "text, country, area",
    [
        ("my son has fever 39 at night, we live in Aarhus", "DK", "central"),
        ("ساكن في آرهوس", "DK", "central"),
        ("بآرهوس", "DK", "central"),  # the Arabic proclitic written onto the town
        ("я живу в Оденсе, где найти врача", "DK", "south"),
        ("мы в Орхусе", "DK", "central"),
        ("we are in Copenhagen", "DK", "capital"),
        ("እኔ ኣብ ኮፐንሃገን እየ", "DK", "capital"),
        ("Aalborg", "DK", "north"),
        ("ich wohne in Frankfurt", "DE", "HE"),
        ("Frankfurt (Oder) Arzt", "DE", "BB"),  # the longer name wins
        ("живу в Мюнхені", "DE", "BY"),
    ],
)
def test_a_town_in_any_script_gives_country_and_area(text, country, area):
    town = places.town_in_text(text)
    assert town is not None and (town.country, town.area) == (country, area)


@pytest.mark.parametrize("text", ["ich kann nicht essen", "jeg vil give op", "I need a doctor", "es ist eine halle"])
def test_ordinary_words_are_not_towns(text):
    assert places.town_in_text(text) is None


def test_word_like_towns_count_when_capitalised():
    assert places.town_in_text("wir wohnen in Essen").name == "Essen"
    assert places.town_in_text("wir essen zu Hause") is None


def test_two_towns_in_different_areas_are_not_guessed():
    assert places.town_in_text("from Aarhus to Odense") is None


def test_every_danish_area_has_a_button_and_its_out_of_hours_line():
    areas = places.region_areas("DK")
    assert {a.code for a in areas} == {"capital", "zealand", "south", "central", "north"}
    assert all(a.out_of_hours and a.button for a in areas)
    assert len({a.out_of_hours for a in areas}) == 5


def test_the_merger_of_2027_renames_capital_and_zealand_only():
    before, after = dt.date(2026, 12, 31), dt.date(2027, 1, 1)
    capital, zealand, central = (places.area("DK", code) for code in ("capital", "zealand", "central"))
    assert capital.name(before) == "Region Hovedstaden" and zealand.name(before) == "Region Sjælland"
    assert capital.name(after) == zealand.name(after) == "Region Østdanmark"
    assert central.name(before) == central.name(after) == "Region Midtjylland"
    assert capital.placeholders(after)["out_of_hours"] == "1813"  # the area keeps its line


def test_placeholders_of_an_unknown_or_foreign_area_are_empty():
    assert places.placeholders("DE", "central") == {}
    assert places.placeholders("DK", None) == {}

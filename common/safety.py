"""The one builder of the replies that must never be wrong: emergency, crisis, and "if it cannot wait".

The action server (actions.safety), the front end (a crisis before consent or during a hand-off) and the hand-off
desk (nobody free) all call these, so a crisis reply looks the same wherever it is sent from. The numbers come from
content/countries.yml only; the texts carry placeholders, never the numbers themselves.
"""
from __future__ import annotations

from common import content, places
from common.i18n import translate
from common.strings import assistant as a
from common.strings import mentor as m

EMERGENCY = "112"  # the EU-wide emergency number: the same in Denmark and Germany
CRISIS_BY_COUNTRY = {"DK": a.CRISIS_DK, "DE": a.CRISIS_DE}  # the person's country first; CRISIS_ANY when unknown
NUMBERS_BY_COUNTRY = {"DK": m.NUMBERS_DK, "DE": m.NUMBERS_DE}


def crisis_reply(lang: str, country: str | None, region: str | None = None) -> str:
    """Crisis and suicide-prevention numbers: the person's country's lines, or both countries' when unknown; in
    Denmark with the region's out-of-hours line when the region is known (content/regions.yml)."""
    area = places.area(country, region)
    if country == "DK" and area is not None and area.out_of_hours:
        return translate(lang, a.CRISIS_DK_REGION, {**content.numbers(country), **area.placeholders()})
    if country in CRISIS_BY_COUNTRY:
        return translate(lang, CRISIS_BY_COUNTRY[country], content.numbers(country))
    return translate(lang, a.CRISIS_ANY, _both_countries())


def emergency_reply(lang: str) -> str:
    """Call 112 now (when no country answer is known: 112 works in both countries)."""
    return translate(lang, a.EMERGENCY_ANY, emergency=EMERGENCY)


def numbers_line(lang: str, country: str | None, region: str | None = None) -> str:
    """The numbers for when it cannot wait, in the person's language, for their country (and Danish region)."""
    area = places.area(country, region)
    if country == "DK" and area is not None and area.out_of_hours:
        return translate(lang, m.NUMBERS_DK_REGION, {**content.numbers(country), **area.placeholders()})
    if country in NUMBERS_BY_COUNTRY:
        return translate(lang, NUMBERS_BY_COUNTRY[country], content.numbers(country))
    return translate(lang, m.NUMBERS_ANY, _both_countries())


def _both_countries() -> dict[str, str]:
    """Placeholders of the texts for a person whose country is not known yet: `dk_<name>` and `de_<name>`."""
    values = {"emergency": EMERGENCY}
    for country in content.COUNTRIES:
        values.update({f"{country.lower()}_{name}": number for name, number in content.numbers(country).items()})
    return values

"""Content data: languages, countries with their phone numbers, and topic answers (English source text).

The English texts are msgids of the gettext catalogs; `extract_content` lets Babel extract them
(see babel.cfg), so translators see them in their .po files next to the UI strings.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Collection, Dict, Iterator, List, Mapping, Tuple

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
COUNTRIES = ("DK", "DE")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    rtl: bool
    detector_labels: Tuple[str, ...]
    names: Tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    topic: str
    country: str
    text: str
    source_name: str
    source_url: str
    checked: dt.date | None = None  # when its facts were last checked against the source


def _load(name: str, content_dir: Path = CONTENT_DIR) -> Any:
    with open(content_dir / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def languages() -> Dict[str, Language]:
    """Supported languages in picker order."""
    return {
        code: Language(
            code=code,
            name=spec["name"],
            rtl=bool(spec.get("rtl")),
            detector_labels=tuple(spec.get("heliport", [])),
            names=tuple(n.casefold() for n in spec.get("names", [])),
        )
        for code, spec in _load("languages.yml").items()
    }


@cache
def countries() -> Dict[str, Dict[str, Any]]:
    return _load("countries.yml")


@cache
def international_numbers() -> Dict[str, str]:
    """Every full-length phone number of the countries (8+ digits) in international format, keyed by how the
    texts write it. Telegram apps make numbers in international format tappable; short codes (112, 1813,
    116117) are dialled as they are and cannot be written internationally."""
    result: Dict[str, str] = {}
    regions = _load("regions.yml")
    for country, spec in countries().items():
        code = spec.get("calling_code")
        area_numbers = [a["out_of_hours"] for a in regions.get(country, {}).values() if a.get("out_of_hours")]
        for number in [*spec["numbers"].values(), *area_numbers]:
            if code and sum(ch.isdigit() for ch in number) >= 8:
                result[number] = f"{code} {number[1:] if number.startswith('0') else number}"
    return result


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fill(text: str, country: str) -> str:
    """Put the country's phone numbers into an answer text edited by staff; unknown placeholders stay visible
    rather than crash (the admin refuses them on save)."""
    known = numbers(country)
    return PLACEHOLDER.sub(lambda match: known.get(match.group(1), match.group(0)), text)


def numbers(country: str) -> Mapping[str, str]:
    """Phone numbers of a country, the values for the answer texts' placeholders."""
    return countries()[country]["numbers"]


@cache
def topics() -> Dict[str, Dict[str, Answer]]:
    result: Dict[str, Dict[str, Answer]] = {}
    for topic, per_country in _load("topics.yml").items():
        result[topic] = {
            country: Answer(
                topic=topic,
                country=country,
                text=spec["text"],
                source_name=spec["source"]["name"],
                source_url=spec["source"]["url"],
                checked=spec.get("checked"),
            )
            for country, spec in per_country.items()
        }
    return result


def answer(topic: str, country: str) -> Answer | None:
    return topics().get(topic, {}).get(country)


def country_in_text(text: str) -> str | None:
    """The country a message names ("ich wohne in Deutschland" -> DE), if exactly one."""
    folded = text.casefold()
    found = {
        code for code, spec in countries().items() if any(name in folded for name in spec["names"])
    }
    return found.pop() if len(found) == 1 else None


def language_in_text(text: str) -> str | None:
    """The language a message asks for ("بالعربي" -> ar), if exactly one is named."""
    folded = text.casefold()
    found = {code for code, lang in languages().items() if any(n in folded for n in lang.names)}
    return found.pop() if len(found) == 1 else None


def extract_content(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[Tuple[int, str, str, List[str]]]:
    """Babel extraction method for content/topics.yml: yields each answer text as a msgid."""
    data = yaml.safe_load(fileobj.read().decode("utf-8"))
    for topic, per_country in (data or {}).items():
        for country, spec in per_country.items():
            yield 0, "gettext", spec["text"], [f"topic {topic}, {country}"]

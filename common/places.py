"""Where a person is: towns named in any script (content/towns.yml) and the regions they belong to
(content/regions.yml, the one place for region data, including the Danish merger of 2027-01-01).

"we live in Aarhus", "ساكن في آرهوس" and "я живу в Орхусе" all give (DK, central); the area decides which
out-of-hours number an answer gives.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import IO, Any, Collection, Dict, Iterator, List, Mapping, Tuple

import yaml

from common.content import CONTENT_DIR, _load

AREA_PLACEHOLDERS = ("region_name", "out_of_hours")  # the placeholders an answer needs an area for


@dataclass(frozen=True)
class Town:
    name: str  # the official name, as the person's answers show it
    country: str
    area: str  # DK: capital | zealand | south | central | north; DE: the Land's ISO code


@dataclass(frozen=True)
class Area:
    country: str
    code: str
    names: Tuple[Tuple[str, dt.date | None, dt.date | None], ...]  # (name, from, until)
    out_of_hours: str | None
    button: str | None  # English source text of the region button (a msgid)

    def name(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        for name, start, until in self.names:
            if (start is None or start <= today) and (until is None or today <= until):
                return name
        return self.names[-1][0]

    def placeholders(self, today: dt.date | None = None) -> Dict[str, str]:
        values = {"region_name": self.name(today)}
        if self.out_of_hours:
            values["out_of_hours"] = self.out_of_hours
        return values


def fold(text: str) -> str:
    """How towns and messages are compared: NFKC, case-folded, Arabic/Persian letters unified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("ي", "ی").replace("ى", "ی").replace("ك", "ک").replace("ـ", "")
    return " ".join(text.split())


@cache
def areas() -> Dict[Tuple[str, str], Area]:
    result = {}
    for country, per_area in _load("regions.yml").items():
        for code, spec in per_area.items():
            names = tuple((n["name"], n.get("from"), n.get("until")) for n in spec["names"])
            result[(country, code)] = Area(country, code, names, spec.get("out_of_hours"), spec.get("button"))
    return result


def area(country: str | None, code: str | None) -> Area | None:
    if country is None or code is None:
        return None
    return areas().get((country, code))


def region_areas(country: str) -> List[Area]:
    """The areas a person can pick with a button (only Denmark's answers depend on the region)."""
    return [a for (c, _), a in areas().items() if c == country and a.button]


@cache
def _towns() -> Tuple[Dict[str, Town], frozenset[str], re.Pattern[str] | None]:
    if not (CONTENT_DIR / "towns.yml").exists():
        return {}, frozenset(), None
    data = _load("towns.yml")
    word_like = frozenset(fold(str(w)) for w in data.get("word_like") or [])
    spelled: Dict[str, Town] = {}
    for country in ("DK", "DE"):
        for code, towns in (data.get(country) or {}).items():
            for spellings in towns:
                town = Town(str(spellings[0]), country, code)
                for spelling in spellings:
                    spelled.setdefault(fold(str(spelling)), town)
    if not spelled:
        return {}, word_like, None
    alternatives = "|".join(re.escape(s) for s in sorted(spelled, key=len, reverse=True))
    # a whole word; in Arabic script the one-letter proclitics ب / ل / و may be written onto the town
    pattern = re.compile(rf"(?<!\w)(?:[بلو](?=[\u0600-\u06FF]))?({alternatives})(?!\w)")
    return spelled, word_like, pattern


def towns_in_text(text: str) -> List[Town]:
    """Every town a message names, in order, each once."""
    spelled, word_like, pattern = _towns()
    if pattern is None:
        return []
    found: List[Town] = []
    for match in pattern.finditer(fold(text)):
        key = match.group(1)
        if key in word_like and not _capitalised_in(text, key):
            continue
        town = spelled[key]
        if town not in found:
            found.append(town)
    return found


def town_in_text(text: str) -> Town | None:
    """The one town a message names; None when it names none, or towns in different areas."""
    found = towns_in_text(text)
    return found[0] if found and len({(t.country, t.area) for t in found}) == 1 else None


def _capitalised_in(text: str, folded_name: str) -> bool:
    """A town that is also an ordinary word ("Give", "Essen") counts only when written with a capital."""
    original = unicodedata.normalize("NFKC", text)
    for match in re.finditer(rf"(?<!\w){re.escape(folded_name)}(?!\w)", original, re.IGNORECASE):
        if match.group(0)[:1].isupper():
            return True
    return False


def placeholders(country: str | None, area_code: str | None, today: dt.date | None = None) -> Mapping[str, str]:
    found = area(country, area_code)
    return found.placeholders(today) if found else {}


def extract_regions(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[Tuple[int, str, str, List[str]]]:
    """Babel extraction method for content/regions.yml: the region buttons' labels."""
    data = yaml.safe_load(fileobj.read().decode("utf-8")) or {}
    for country, per_area in data.items():
        for code, spec in per_area.items():
            if spec.get("button"):
                yield 0, "gettext", spec["button"], [f"region button {country} {code}"]

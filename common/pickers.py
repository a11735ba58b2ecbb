"""The choices a person picks from, in their language: languages, countries, topics. The front end turns them into
Telegram buttons, the actions into Rasa buttons; both take the titles and values from here."""
from __future__ import annotations

from typing import List, Tuple

from common import content
from common.i18n import translate
from common.strings import assistant as a

COUNTRY_NAMES = {"DK": a.COUNTRY_NAME_DK, "DE": a.COUNTRY_NAME_DE}
TOPIC_ORDER = list(a.TOPIC_TITLES)


def languages() -> List[Tuple[str, str]]:
    """(name in its own script, code) of every supported language, in picker order."""
    return [(lang.name, code) for code, lang in content.languages().items()]


def countries(lang: str) -> List[Tuple[str, str]]:
    """(country name in `lang`, code)."""
    return [(country_name(lang, code), code) for code in content.COUNTRIES]


def country_name(lang: str, country: str) -> str:
    return translate(lang, COUNTRY_NAMES[country])


def topics(lang: str) -> List[Tuple[str, str]]:
    """(topic title in `lang`, topic) in menu order."""
    return [(translate(lang, a.TOPIC_TITLES[t]), t) for t in TOPIC_ORDER]


def yes_no(lang: str) -> List[Tuple[str, str]]:
    """(Yes, "yes"), (No, "no") in `lang`."""
    return [(translate(lang, a.YES), "yes"), (translate(lang, a.NO), "no")]


def residence_name(lang: str, country: str | None, residence: str | None) -> str | None:
    """A residence situation as its button says it, in `lang` (None when not set)."""
    title = a.RESIDENCE_BUTTONS.get(country or "", {}).get(residence or "")
    return translate(lang, title) if title else None

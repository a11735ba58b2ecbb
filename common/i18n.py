"""Localisation: gettext catalogs under locales/<lang>/LC_MESSAGES/messages.mo (compiled by `make setup`).

Every user-visible string goes through `translate`. A string missing in a catalog falls back to English
(gettext's behaviour); tests/content/test_catalogs.py makes sure no shipped catalog misses one.
"""
from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Callable, Mapping

from babel import dates as babel_dates
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def _(message: str) -> str:
    """Mark a string for extraction; translate it later with `translate(lang, ...)`."""
    return message


@cache
def catalog(lang: str) -> NullTranslations:
    """The compiled catalog of a language (English needs none: its msgids are the text)."""
    if lang == "en":
        return NullTranslations()
    mo = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        raise FileNotFoundError(f"{mo} is missing: run `make setup` (it compiles the catalogs)")
    return Translations.load(str(LOCALES_DIR), [lang], DOMAIN)


_override: Callable[[str, str], str | None] | None = None


def set_override(lookup: Callable[[str, str], str | None] | None) -> None:
    """Translations imported by staff (common.content_store) win over the shipped catalogs."""
    global _override
    _override = lookup


def translate(lang: str, message: str, values: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
    """Translate `message` into `lang` and fill its named placeholders (%(name)s)."""
    text = (_override(lang, message) if _override and lang != "en" else None) or catalog(lang).gettext(message)
    params = {**(values or {}), **kwargs}
    return text % params if params else text


def has_translation(lang: str, message: str) -> bool:
    """Whether `message` is translated into `lang` (a text shown untranslated would be English to the person)."""
    if lang == "en":
        return True
    if _override and _override(lang, message):
        return True
    return catalog(lang).gettext(message) != message


def format_date(date: dt.date, lang: str) -> str:
    """A date as people of the language write it ("7. dec. 2026", "7 грудня 2026 р.")."""
    try:
        return babel_dates.format_date(date, format="medium", locale=lang)
    except (ValueError, LookupError):  # a locale Babel lacks: the unambiguous ISO form
        return date.isoformat()

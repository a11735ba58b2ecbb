"""Localisation: gettext catalogs under locales/<lang>/LC_MESSAGES/messages.mo (compiled by `make setup`).

Every user-visible string goes through `translate`. A string missing in a catalog falls back to English
(gettext's behaviour); tests/content/test_catalogs.py makes sure no shipped catalog misses one.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Callable, Mapping

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

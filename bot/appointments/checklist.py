"""Preparation checklists: content/appointments.yml, per country and kind of appointment, each item with its
official source and the date it was checked (like content/knowledge/). Texts are English msgids."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Collection, Dict, Iterator, List, Mapping, Tuple

import yaml

from common.i18n import format_date, translate
from common.strings import appointments as a

CONTENT = Path(__file__).resolve().parent.parent.parent / "content" / "appointments.yml"
KINDS = tuple(a.KINDS)


@dataclass(frozen=True)
class Item:
    id: str
    kinds: Tuple[str, ...]
    text: str
    source_name: str
    source_url: str
    checked: dt.date


@dataclass(frozen=True)
class CountryList:
    items: Tuple[Item, ...]
    cancel: Item


def _item(spec: Mapping[str, Any], default_id: str) -> Item:
    return Item(spec.get("id", default_id), tuple(spec.get("kinds", KINDS)), spec["text"], spec["source"]["name"],
                spec["source"]["url"], spec["checked"])


@cache
def lists(path: Path = CONTENT) -> Dict[str, CountryList]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        country: CountryList(tuple(_item(spec, "") for spec in spec_list["items"]), _item(spec_list["cancel"], f"{country}.cancel"))
        for country, spec_list in data.items()
    }


def items(country: str, kind: str) -> List[Item]:
    return [item for item in lists()[country].items if kind in item.kinds]


def sources_line(lang: str, chosen: List[Item]) -> str:
    names = ", ".join(dict.fromkeys(item.source_name for item in chosen))
    return translate(lang, a.SOURCES, sources=names, date=format_date(max(item.checked for item in chosen), lang))


def render(lang: str, country: str, kind: str) -> str:
    """"Before you go:" and the items for this country and kind, with their sources."""
    chosen = items(country, kind)
    if not chosen:
        return ""
    lines = [translate(lang, a.CHECKLIST)] + [f"• {translate(lang, item.text)}" for item in chosen]
    return "\n".join(lines + [sources_line(lang, chosen)])


def how_to_cancel(lang: str, country: str) -> str:
    """The country's way to cancel or move an appointment, with its source."""
    cancel = lists()[country].cancel
    return f"{translate(lang, cancel.text)}\n{sources_line(lang, [cancel])}"


def extract_checklists(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[Tuple[int, str, str, List[str]]]:
    """Babel extraction method for content/appointments.yml."""
    data = yaml.safe_load(fileobj.read().decode("utf-8")) or {}
    for country, spec in data.items():
        for item in spec.get("items") or []:
            yield 0, "gettext", item["text"], [f"appointment checklist {item['id']}"]
        yield 0, "gettext", spec["cancel"]["text"], [f"appointment checklist {country}: how to cancel or move"]

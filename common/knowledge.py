"""The knowledge base: specific questions and their answers per country (content/knowledge/, see its README).

An entry answers one question ("do I need a referral for the eye doctor?"), with variants for a child and for
the residence situations where rights differ. The English texts are msgids of the gettext catalogs, like the
topic leaflets; example questions in other languages live in content/knowledge/questions/<lang>.yml.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, Collection, Dict, Iterator, List, Mapping, Tuple

import yaml

from common import content, places

KNOWLEDGE_DIR = content.CONTENT_DIR / "knowledge"
RESIDENCES = {"DK": ("asylum", "resident", "ukraine"), "DE": ("asylblg", "insured", "ukraine")}
STALE_AFTER = dt.timedelta(days=365)  # facts checked longer ago are listed for staff to check again


@dataclass(frozen=True)
class Entry:
    id: str
    country: str
    topic: str
    questions: Tuple[str, ...]  # English; the first is the entry's title (on buttons when two entries are close)
    answer: str
    source_name: str
    source_url: str
    checked: dt.date
    child: str | None = None
    residence: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.questions[0]

    @property
    def needs_area(self) -> bool:
        """Whether the answer names the region or its number, so the person's area must be known."""
        texts = [self.answer, self.child or "", *self.residence.values()]
        return any(content.placeholders(t) & set(places.AREA_PLACEHOLDERS) for t in texts)

    @property
    def needs_residence(self) -> bool:
        return bool(self.residence)

    def text(self, about_child: bool, residence: str | None) -> str:
        """The variant that fits: the residence situation's, else the child's, else the general answer."""
        if residence and residence in self.residence:
            return self.residence[residence]
        if about_child and self.child:
            return self.child
        return self.answer

    def texts(self) -> List[str]:
        return [self.answer, *([self.child] if self.child else []), *self.residence.values()]

    def stale(self, today: dt.date | None = None) -> bool:
        return (today or dt.date.today()) - self.checked > STALE_AFTER


def _entries_of(path: Path, country: str) -> Iterator[Entry]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    topic = data.get("topic") or path.stem
    for spec in data.get("entries") or []:
        checked = spec["checked"]
        yield Entry(
            id=spec["id"],
            country=country,
            topic=spec.get("topic", topic),
            questions=tuple(str(q) for q in spec["questions"]),
            answer=spec["answer"],
            source_name=spec["source"]["name"],
            source_url=spec["source"]["url"],
            checked=checked if isinstance(checked, dt.date) else dt.date.fromisoformat(str(checked)),
            child=spec.get("child"),
            residence=dict(spec.get("residence") or {}),
        )


@cache
def entries(knowledge_dir: Path = KNOWLEDGE_DIR) -> Dict[str, Entry]:
    result: Dict[str, Entry] = {}
    for country in content.COUNTRIES:
        for path in sorted((knowledge_dir / country).glob("*.yml")):
            for entry in _entries_of(path, country):
                if entry.id in result:
                    raise ValueError(f"duplicate knowledge entry id {entry.id} in {path}")
                result[entry.id] = entry
    return result


def entry(entry_id: str | None) -> Entry | None:
    return entries().get(entry_id) if entry_id else None


@cache
def examples(knowledge_dir: Path = KNOWLEDGE_DIR) -> Dict[str, List[Tuple[str, str]]]:
    """Example questions per entry id: the English ones and those written in each language, as (lang, text)."""
    result: Dict[str, List[Tuple[str, str]]] = {
        key: [("en", q) for q in e.questions] for key, e in entries(knowledge_dir).items()
    }
    for path in sorted((knowledge_dir / "questions").glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            per_entry = yaml.safe_load(handle) or {}
        for key, questions in per_entry.items():
            if key in result:
                result[key].extend((path.stem, str(q)) for q in questions or [])
    return result


def counterpart(entry_id: str, country: str) -> Entry | None:
    """The same question's entry in the other country ("and in Germany?"): same id after the country prefix."""
    _, _, rest = entry_id.partition(".")
    return entries().get(f"{country.lower()}.{rest}")


def extract_knowledge(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[Tuple[int, str, str, List[str]]]:
    """Babel extraction method for content/knowledge/<country>/*.yml: titles and every answer variant."""
    data = yaml.safe_load(fileobj.read().decode("utf-8")) or {}
    for spec in data.get("entries") or []:
        key = spec["id"]
        yield 0, "gettext", str(spec["questions"][0]), [f"knowledge {key}: title (a button)"]
        yield 0, "gettext", spec["answer"], [f"knowledge {key}: answer"]
        if spec.get("child"):
            yield 0, "gettext", spec["child"], [f"knowledge {key}: answer about a child"]
        for situation, text in (spec.get("residence") or {}).items():
            yield 0, "gettext", text, [f"knowledge {key}: answer for residence '{situation}'"]

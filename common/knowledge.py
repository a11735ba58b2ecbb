"""The knowledge base: specific questions and their answers per country (content/knowledge/, see its README).

An entry answers one question ("do I need a referral for the eye doctor?"), with variants for a child and for
the residence situations where rights differ. The English texts are msgids of the gettext catalogs, like the
topic leaflets; example questions in other languages live in content/knowledge/questions/<lang>.yml.

Staff add, change and retire entries in the web admin (bot/admin/knowledge.py): the published ones are rows of
`knowledge_entry`, read through common.content_store (a short TTL cache). `entries()` and `examples()` are the
merged view the assistant answers from: the shipped YAML, with published rows laid over it by id and retired ids
taken out; without a database (or with no rows) it is the YAML alone. A staff entry's texts in the other
languages are its own translations (`Knowledge.texts`, used by common.i18n through the content store).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, Collection, Dict, Iterable, Iterator, List, Mapping, Tuple

import yaml

from common import content, places

KNOWLEDGE_DIR = content.CONTENT_DIR / "knowledge"
RESIDENCES = {"DK": ("asylum", "resident", "ukraine"), "DE": ("asylblg", "insured", "ukraine")}
STALE_AFTER = dt.timedelta(days=365)  # facts checked longer ago are listed for staff to check again
SOURCE_LANGUAGE = "en"
SHIPPED = "shipped"  # the version of the knowledge base when no staff entry is published or retired
logger = logging.getLogger(__name__)


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
    region: str | None = None  # answers only people of this area (common.places), asked for when unknown

    @property
    def title(self) -> str:
        return self.questions[0]

    @property
    def needs_area(self) -> bool:
        """Whether the answer names the region or its number, so the person's area must be known."""
        texts = [self.answer, self.child or "", *self.residence.values()]
        return self.region is not None or any(content.placeholders(t) & set(places.AREA_PLACEHOLDERS) for t in texts)

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

    def applies_to(self, region: str | None) -> bool:
        """Whether the entry answers a person of `region` (an entry for one area answers only there)."""
        return self.region is None or self.region == region


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
def shipped(knowledge_dir: Path = KNOWLEDGE_DIR) -> Dict[str, Entry]:
    """The entries of the YAML files (content/knowledge/<country>/*.yml)."""
    result: Dict[str, Entry] = {}
    for country in content.COUNTRIES:
        for path in sorted((knowledge_dir / country).glob("*.yml")):
            for entry in _entries_of(path, country):
                if entry.id in result:
                    raise ValueError(f"duplicate knowledge entry id {entry.id} in {path}")
                result[entry.id] = entry
    return result


@cache
def shipped_examples(knowledge_dir: Path = KNOWLEDGE_DIR) -> Dict[str, List[Tuple[str, str]]]:
    """Example questions per shipped entry id: the English ones and those written in each language, as (lang, text)."""
    result: Dict[str, List[Tuple[str, str]]] = {
        key: [("en", q) for q in e.questions] for key, e in shipped(knowledge_dir).items()
    }
    for path in sorted((knowledge_dir / "questions").glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            per_entry = yaml.safe_load(handle) or {}
        for key, questions in per_entry.items():
            if key in result:
                result[key].extend((path.stem, str(q)) for q in questions or [])
    return result


# --- staff entries (knowledge_entry rows) and the merged view ---------------------------------------------------------
@dataclass(frozen=True)
class Texts:
    """An entry in one language: its title (a button), its answer and variants, and the example questions people
    of that language ask it with. A language answers only with an answer; examples alone help retrieval find it."""

    title: str = ""
    answer: str = ""
    child: str = ""
    residence: Mapping[str, str] = field(default_factory=dict)
    examples: Tuple[str, ...] = ()
    source: str = ""  # the English answer these texts translate (another one: the translation is outdated)

    def same_texts(self, other: Texts) -> bool:
        return (self.title, self.answer, self.child, dict(self.residence)) == (
            other.title, other.answer, other.child, dict(other.residence))


@dataclass(frozen=True)
class Document:
    """A staff entry as stored in knowledge_entry.draft / .published (JSON)."""

    country: str
    topic: str
    source_name: str
    source_url: str
    checked: dt.date
    texts: Mapping[str, Texts]  # language -> its texts; English is the source
    region: str | None = None

    def to_json(self) -> str:
        return json.dumps({
            "country": self.country, "topic": self.topic, "region": self.region, "source_name": self.source_name,
            "source_url": self.source_url, "checked": self.checked.isoformat(),
            "texts": {lang: {"title": t.title, "answer": t.answer, "child": t.child, "residence": dict(t.residence),
                             "examples": list(t.examples), "source": t.source} for lang, t in sorted(self.texts.items())},
        }, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Document:
        data = json.loads(text)
        return cls(
            country=data["country"], topic=data["topic"], region=data.get("region"), source_name=data["source_name"],
            source_url=data["source_url"], checked=dt.date.fromisoformat(data["checked"]),
            texts={lang: Texts(t.get("title", ""), t.get("answer", ""), t.get("child", ""), dict(t.get("residence") or {}),
                               tuple(t.get("examples") or ()), t.get("source", "")) for lang, t in data["texts"].items()},
        )

    def entry(self, entry_id: str) -> Entry:
        english = self.texts[SOURCE_LANGUAGE]
        questions = (english.title, *[q for q in english.examples if q != english.title])
        return Entry(id=entry_id, country=self.country, topic=self.topic, questions=questions, answer=english.answer,
                     source_name=self.source_name, source_url=self.source_url, checked=self.checked,
                     child=english.child or None, residence=dict(english.residence), region=self.region)

    def examples(self, entry_id: str) -> List[Tuple[str, str]]:
        found = [(SOURCE_LANGUAGE, q) for q in self.entry(entry_id).questions]
        return found + [(lang, q) for lang, t in sorted(self.texts.items()) if lang != SOURCE_LANGUAGE for q in t.examples]

    def outdated(self) -> List[str]:
        """The languages whose answer was written for an English answer other than the current one."""
        english = self.texts[SOURCE_LANGUAGE].answer
        return [lang for lang, t in sorted(self.texts.items()) if lang != SOURCE_LANGUAGE and t.answer and t.source != english]

    def translations(self) -> Dict[Tuple[str, str], str]:
        """(language, English msgid) -> this entry's own text in that language."""
        english = self.texts[SOURCE_LANGUAGE]
        found: Dict[Tuple[str, str], str] = {}
        for lang, texts in self.texts.items():
            if lang == SOURCE_LANGUAGE or not texts.answer:
                continue
            pairs = [(english.title, texts.title), (english.answer, texts.answer), (english.child, texts.child),
                     *[(english.residence.get(k, ""), v) for k, v in texts.residence.items()]]
            found.update({(lang, msgid): text for msgid, text in pairs if msgid and text})
        return found


def document_of(entry: Entry, languages: Iterable[str], knowledge_dir: Path = KNOWLEDGE_DIR) -> Document:
    """A shipped entry as a staff document, to edit: its English texts, the catalogs' translations and each
    language's example questions (what the bot answers with today)."""
    from common.i18n import catalog

    per_language: Dict[str, List[str]] = {}
    for lang, question in shipped_examples(knowledge_dir).get(entry.id, []):
        if lang != SOURCE_LANGUAGE:
            per_language.setdefault(lang, []).append(question)
    texts = {SOURCE_LANGUAGE: Texts(entry.title, entry.answer, entry.child or "", dict(entry.residence), entry.questions)}
    for lang in languages:
        if lang == SOURCE_LANGUAGE:
            continue
        found = catalog(lang).gettext
        if found(entry.answer) == entry.answer:  # not translated: the language has only its example questions
            texts[lang] = Texts(examples=tuple(per_language.get(lang, ())))
            continue
        own = {msgid: found(msgid) for msgid in (entry.title, entry.answer, entry.child or "", *entry.residence.values())
               if msgid and found(msgid) != msgid}
        texts[lang] = Texts(own.get(entry.title, ""), own[entry.answer], own.get(entry.child or "", ""),
                            {k: own[v] for k, v in entry.residence.items() if v in own}, tuple(per_language.get(lang, ())),
                            entry.answer)
    return Document(entry.country, entry.topic, entry.source_name, entry.source_url, entry.checked,
                    {lang: t for lang, t in texts.items() if t.answer or t.examples}, entry.region)


@dataclass(frozen=True)
class Knowledge:
    """The knowledge base the assistant answers from: entries, their example questions, the staff entries' own
    translations, and a version that changes whenever any of these does (common.retrieval follows it)."""

    entries: Mapping[str, Entry]
    examples: Mapping[str, List[Tuple[str, str]]]
    texts: Mapping[Tuple[str, str], str]
    version: str


@cache
def shipped_knowledge() -> Knowledge:
    return Knowledge(shipped(), shipped_examples(), {}, SHIPPED)


def merged(rows: Iterable[Tuple[str, str, str | None]]) -> Knowledge:
    """The shipped knowledge with staff rows (entry id, status, published JSON) laid over it: a published row adds
    or replaces its entry, a retired one hides it; drafts (and rows published with nothing) change nothing."""
    rows = sorted(rows)
    if not rows:
        return shipped_knowledge()
    entries, examples = dict(shipped()), dict(shipped_examples())
    texts: Dict[Tuple[str, str], str] = {}
    for entry_id, status, published in rows:
        if status == "retired":
            entries.pop(entry_id, None)
            examples.pop(entry_id, None)
        elif status == "published" and published:
            try:
                document = Document.from_json(published)
                entries[entry_id], examples[entry_id] = document.entry(entry_id), document.examples(entry_id)
            except (ValueError, KeyError, TypeError) as error:  # never stored by the admin (it validates): skip it
                logger.warning("knowledge entry %s not readable: %s", entry_id, error)
                continue
            texts.update(document.translations())
    version = hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]
    return Knowledge(entries, examples, texts, version)


def current() -> Knowledge:
    """The knowledge base as it is now: the content store's (staff entries published within its TTL), else the YAML."""
    from common import content_store

    store = content_store.current()
    return store.knowledge() if store else shipped_knowledge()


def entries() -> Mapping[str, Entry]:
    return current().entries


def examples() -> Mapping[str, List[Tuple[str, str]]]:
    return current().examples


def entry(entry_id: str | None) -> Entry | None:
    return entries().get(entry_id) if entry_id else None


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


def values(country: str, region: str | None) -> Dict[str, str]:
    """What fills an answer's placeholders: the country's numbers and, when known, the person's region's."""
    return {**content.numbers(country), **places.placeholders(country, region)}


def source_line(lang: str, name: str, url: str, checked: dt.date | None) -> str:
    """"Source: NAME – URL (checked DATE)" in the person's language and date format (the one way answers cite)."""
    from common import i18n
    from common.strings import assistant as messages

    if checked is None:
        return i18n.translate(lang, messages.SOURCE, {"name": name, "url": url})
    return i18n.translate(lang, messages.SOURCE_CHECKED, {"name": name, "url": url, "date": i18n.format_date(checked, lang)})

"""Staff own the knowledge base (issue #15): list, create, edit, publish, retire and restore entries, and the
entries whose facts were checked more than a year ago. Plain functions over the database; the routes
(bot/admin/routes/knowledge.py) are thin.

A staff entry is a `knowledge_entry` row holding the entry as JSON (common.knowledge.Document): a draft, and the
published version the bot answers with. Editing a shipped (YAML) entry starts from what the bot says today (its
English texts, the catalogs' translations, its example questions); publishing lays the row over the YAML by id.
Retiring hides the entry, shipped or not. The action server sees a publish within the content store's TTL and its
retrieval index embeds only the new example questions (common.retrieval): no restart, no Rasa training.

Numbers stay true, as for answers and .po imports: a phone number is never written as digits (only as the
placeholders of content/countries.yml and content/regions.yml), and a translation has the same numbers as the
English text. Every change is in the audit log with the row before and after.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Dict, List, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin.service import (
    DIGIT_RUN,
    MAX_ANSWER_CHARS,
    MAX_SOURCE_NAME,
    MAX_SOURCE_URL,
    SOURCE_LANGUAGE,
    ValidationError,
    audit,
    number_problems,
)
from common import content, knowledge, places
from common.db.models import KnowledgeEntry, as_utc, utcnow

ID_PATTERN = re.compile(r"(dk|de)\.[a-z0-9_]+\.[a-z0-9_]+")
MAX_ID = 100  # the audit log's entity is "knowledge:<id>" in 120 characters
MAX_TITLE, MAX_EXAMPLE, MAX_EXAMPLES = 200, 300, 40
MIN_ENGLISH_QUESTIONS = 3  # content/knowledge/README.md: "3-6 ways people really ask it"
PHONE_DIGITS = 6  # a digit run this long is a phone number whatever it is ("70 20 12 01"); shorter ones if known
ROW_FIELDS = ("status", "draft", "published", "checked", "published_at", "published_by")


@dataclass(frozen=True)
class EntryView:
    """One entry of the list: what the bot answers with now (or, for a never-published draft, the draft)."""

    entry_id: str
    country: str
    topic: str
    title: str
    checked: dt.date
    source_name: str
    source_url: str
    region: str | None
    status: str  # shipped (the YAML answers) | published (a staff version answers) | draft (not live) | retired
    pending: bool  # a draft waits to be published
    shipped: bool  # the id is one of content/knowledge/
    languages: tuple[str, ...]  # the languages it answers in
    outdated: tuple[str, ...]  # those whose answer was written for an earlier English answer
    updated_by: str | None
    updated_at: dt.datetime | None
    words: str  # what the search looks in (case-folded)

    def stale(self, today: dt.date) -> bool:
        return today - self.checked > knowledge.STALE_AFTER


# --- reading ------------------------------------------------------------------------------------------------------
def _rows(session: Session) -> Dict[str, KnowledgeEntry]:
    return {row.entry_id: row for row in session.scalars(select(KnowledgeEntry))}


def _shipped_document(entry_id: str) -> knowledge.Document | None:
    found = knowledge.shipped().get(entry_id)
    return knowledge.document_of(found, content.languages()) if found else None


def live_document(row: KnowledgeEntry | None, entry_id: str) -> knowledge.Document | None:
    """What the bot answers with for this id (ignoring retirement): the published version, else the shipped."""
    if row is not None and row.published:
        return knowledge.Document.from_json(row.published)
    return _shipped_document(entry_id)


def document(session: Session, entry_id: str) -> knowledge.Document | None:
    """What the edit form starts from: the pending draft, else what the bot answers with (None: no such entry)."""
    row = session.scalar(select(KnowledgeEntry).where(KnowledgeEntry.entry_id == entry_id))
    if row is not None and row.draft:
        return knowledge.Document.from_json(row.draft)
    return live_document(row, entry_id)


def _view(entry_id: str, row: KnowledgeEntry | None, doc: knowledge.Document) -> EntryView:
    shipped = entry_id in knowledge.shipped()
    if row is None:
        status = "shipped"
    elif row.status == "published" and not row.published:
        status = "shipped"  # restored after retiring, never changed
    else:
        status = row.status
    english = doc.texts[SOURCE_LANGUAGE]
    answered = tuple(lang for lang, texts in doc.texts.items() if texts.answer)
    words = " ".join([entry_id, *[t for texts in doc.texts.values() for t in (texts.title, texts.answer, *texts.examples)]])
    return EntryView(entry_id, doc.country, doc.topic, english.title, doc.checked, doc.source_name, doc.source_url,
                     doc.region, status, bool(row is not None and row.draft and row.status != "draft"), shipped,
                     answered, tuple(doc.outdated()), row.updated_by if row else None, as_utc(row.updated_at) if row else None, words.casefold())


def views(session: Session) -> List[EntryView]:
    """Every entry, shipped or staff-made, in any status, by country, topic and id."""
    rows = _rows(session)
    found = []
    for entry_id in sorted(set(knowledge.shipped()) | set(rows)):
        row = rows.get(entry_id)
        doc = live_document(row, entry_id)
        if doc is None and row is not None and row.draft:  # created, never published
            doc = knowledge.Document.from_json(row.draft)
        if doc is not None:
            found.append(_view(entry_id, row, doc))
    return sorted(found, key=lambda v: (v.country, v.topic, v.entry_id))


def search(found: Sequence[EntryView], country: str = "", topic: str = "", query: str = "", status: str = "") -> List[EntryView]:
    words = query.casefold().split()
    return [v for v in found if (not country or v.country == country) and (not topic or v.topic == topic)
            and (not status or v.status == status) and all(word in v.words for word in words)]


def stale(session: Session, today: dt.date) -> List[EntryView]:
    """The entries the bot answers with whose facts were checked more than STALE_AFTER before `today`, oldest first."""
    return sorted((v for v in views(session) if v.status in ("shipped", "published") and v.stale(today)),
                  key=lambda v: (v.checked, v.entry_id))


def preview(doc: knowledge.Document, language: str, region: str | None = None, about_child: bool = False,
            residence: str | None = None) -> str | None:
    """The answer as a person of `language` gets it (placeholders filled, the source line under it), or None when
    the entry does not answer in that language."""
    texts = doc.texts.get(language)
    if texts is None or not texts.answer:
        return None
    text = texts.residence.get(residence or "") or (texts.child if about_child and texts.child else "") or texts.answer
    areas = places.region_areas(doc.country)
    area = region or doc.region or (areas[0].code if areas else None)
    values = knowledge.values(doc.country, area)
    body = content.PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
    source = knowledge.source_line(language, doc.source_name, doc.source_url, doc.checked)
    return f"{body}\n\n{source}"


# --- checking -----------------------------------------------------------------------------------------------------
def _known_numbers() -> set[str]:
    numbers = [value for country in content.COUNTRIES for value in content.numbers(country).values()]
    numbers += [a.out_of_hours for a in places.areas().values() if a.out_of_hours]
    return {re.sub(r"\D", "", number) for number in numbers}


def phone_numbers(text: str) -> List[str]:
    """Phone numbers written as digits in `text`: the digits of a known number (112, 1813, 70 201 201, 116117) or
    any run of PHONE_DIGITS digits or more. A web address ("116117.de") is not a number."""
    known = _known_numbers()
    found = []
    for match in DIGIT_RUN.finditer(text):
        after = text[match.end():match.end() + 2]
        if len(after) == 2 and after[0] == "." and after[1].isalpha():
            continue
        digits = "".join(str(int(ch)) for ch in match.group() if ch.isdecimal())
        if digits in known or len(digits) >= PHONE_DIGITS:
            found.append(match.group())
    return found


def _allowed_placeholders(country: str) -> set[str]:
    allowed = set(content.numbers(country))
    if places.region_areas(country):  # only Denmark's answers depend on the region (the person picks it)
        allowed |= set(places.AREA_PLACEHOLDERS)
    return allowed


def _text_problems(where: str, text: str, allowed: set[str], limit: int) -> List[str]:
    problems = []
    if len(text) > limit:
        problems.append(f"{where}: {len(text):,} characters, at most {limit:,}.")
    unknown = sorted(content.placeholders(text) - allowed)
    if unknown:
        problems.append(f"{where}: unknown placeholders {', '.join('%(' + u + ')s' for u in unknown)} "
                        f"(known: {', '.join('%(' + a + ')s' for a in sorted(allowed))}).")
    if re.search(r"%(?!\(\w+\)s)", text):
        problems.append(f"{where}: a single % sign: write placeholders as %(name)s.")
    for number in phone_numbers(text):
        line = next(n for n, line in enumerate(text.split("\n"), start=1) if number in line)
        problems.append(f"{where}, line {line}: the phone number {number} is written as digits. Write it as its "
                        "placeholder (e.g. %(emergency)s, %(out_of_hours)s), so it is always the right number.")
    return problems


def problems(entry_id: str, doc: knowledge.Document, today: dt.date) -> List[str]:
    """Everything that would put a wrong or unusable entry in front of people (empty: it may be saved)."""
    found: List[str] = []
    if len(entry_id) > MAX_ID or not ID_PATTERN.fullmatch(entry_id):
        found.append("The id is <country>.<topic>.<what> in lower-case letters, digits and _ "
                     f"(e.g. dk.referral.eye_doctor), at most {MAX_ID} characters.")
    if doc.country not in content.COUNTRIES:
        return found + ["Country must be DK or DE."]
    if not entry_id.startswith(doc.country.lower() + "."):
        found.append(f"The id starts with the country: {doc.country.lower()}.")
    if doc.topic not in content.topics():
        found.append(f"Topic must be one of: {', '.join(sorted(content.topics()))}.")
    areas = [a.code for a in places.region_areas(doc.country)]
    if doc.region is not None and doc.region not in areas:
        found.append(f"Region must be one of: {', '.join(areas)}." if areas else
                     f"Answers in {doc.country} do not depend on the region: leave it empty.")
    if not doc.source_name.strip() or len(doc.source_name) > MAX_SOURCE_NAME:
        found.append(f"Every entry names its official source (at most {MAX_SOURCE_NAME} characters).")
    url = urllib.parse.urlsplit(doc.source_url)
    if (url.scheme != "https" or not url.hostname or "." not in url.hostname or re.search(r"\s", doc.source_url)
            or len(doc.source_url) > MAX_SOURCE_URL):
        found.append(f"The source link must be a full https:// address (at most {MAX_SOURCE_URL} characters).")
    if doc.checked > today:
        found.append("The date the facts were checked cannot be in the future.")
    if doc.checked == dt.date.min:
        found.append("Give the date the facts were checked against the source (YYYY-MM-DD).")
    elif doc.checked < dt.date(2000, 1, 1):
        found.append("The date the facts were checked is too old to be true.")
    english = doc.texts.get(SOURCE_LANGUAGE)
    if english is None or not english.title.strip() or not english.answer.strip():
        return found + ["The English title and answer are needed (English is the source text)."]
    unknown_residence = sorted(set(english.residence) - set(knowledge.RESIDENCES[doc.country]))
    if unknown_residence:
        found.append(f"Residence situations of {doc.country}: {', '.join(knowledge.RESIDENCES[doc.country])}.")
    if len({english.title, *english.examples}) < MIN_ENGLISH_QUESTIONS:
        found.append(f"At least {MIN_ENGLISH_QUESTIONS} English example questions (the title counts): the ways "
                     "people really ask it.")
    allowed = _allowed_placeholders(doc.country)
    for lang, texts in doc.texts.items():
        found += _language_problems(lang, texts, english, allowed)
    return found


def _language_problems(lang: str, texts: knowledge.Texts, english: knowledge.Texts, allowed: set[str]) -> List[str]:
    if lang not in content.languages():
        return [f"Unknown language {lang[:8]}."]
    name = content.languages()[lang].name
    found: List[str] = []
    if "\n" in texts.title or len(texts.title) > MAX_TITLE or content.placeholders(texts.title) or "%" in texts.title:
        found.append(f"{name} title: one line, at most {MAX_TITLE} characters, no placeholders (it is a button).")
    if len(texts.examples) > MAX_EXAMPLES or any(len(q) > MAX_EXAMPLE for q in texts.examples):
        found.append(f"{name} example questions: at most {MAX_EXAMPLES}, each at most {MAX_EXAMPLE} characters.")
    variants = {"answer": texts.answer, "answer about a child": texts.child,
                **{f"answer for residence '{k}'": v for k, v in texts.residence.items()}}
    for label, text in variants.items():
        found += _text_problems(f"{name} {label}", text, allowed, MAX_ANSWER_CHARS)
    if lang == SOURCE_LANGUAGE:
        return found
    if not texts.answer:
        if texts.title or texts.child or texts.residence:
            found.append(f"{name}: write the answer too, or leave its title and variants empty (an entry answers in a "
                         "language only with its answer).")
        return found
    if not texts.title:
        found.append(f"{name}: the title is needed with the answer (it is the button when two entries are close).")
    if bool(english.child) != bool(texts.child) or set(english.residence) != set(texts.residence):
        found.append(f"{name}: the same variants as the English (about a child, per residence situation), so everyone "
                     "gets the text for their situation.")
    pairs = [(english.answer, texts.answer, "answer"), (english.child, texts.child, "answer about a child"),
             *[(english.residence.get(k, ""), v, f"answer for residence '{k}'") for k, v in texts.residence.items()]]
    for source, text, label in pairs:
        if not source or not text:
            continue
        if content.placeholders(source) != content.placeholders(text):
            found.append(f"{name} {label}: the same placeholders as the English text "
                         f"({', '.join('%(' + p + ')s' for p in sorted(content.placeholders(source))) or 'none'}).")
        numbers = number_problems(source, text)
        if numbers:
            found.append(f"{name} {label}: {'; '.join(numbers)} (numbers must be the same as in the English text).")
    return found


def validate(entry_id: str, doc: knowledge.Document, today: dt.date) -> None:
    found = problems(entry_id, doc, today)
    if found:
        raise ValidationError(found)


# --- changing -----------------------------------------------------------------------------------------------------
def _snapshot(row: KnowledgeEntry | None) -> str | None:
    if row is None:
        return None
    return json.dumps({name: (value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value)
                       for name in ROW_FIELDS for value in [getattr(row, name)]}, ensure_ascii=False)


def _row(session: Session, entry_id: str) -> KnowledgeEntry | None:
    return session.scalar(select(KnowledgeEntry).where(KnowledgeEntry.entry_id == entry_id))


def exists(session: Session, entry_id: str) -> bool:
    return entry_id in knowledge.shipped() or _row(session, entry_id) is not None


def with_sources(doc: knowledge.Document, previous: knowledge.Document | None) -> knowledge.Document:
    """`doc` with each language's `source`: the English answer it translates. A language whose texts are new or
    changed translates the English as saved now; one left as it was keeps the English it was written for, so a
    change of the English answer marks it outdated (knowledge.Document.outdated) until it is updated."""
    english = doc.texts[SOURCE_LANGUAGE].answer
    before = previous.texts if previous else {}
    texts = {}
    for lang, t in doc.texts.items():
        old = before.get(lang)
        if lang == SOURCE_LANGUAGE or not t.answer:
            source = ""
        elif old is not None and old.answer and t.same_texts(old):
            source = old.source or english
        else:
            source = english
        texts[lang] = dataclasses.replace(t, source=source)
    return dataclasses.replace(doc, texts=texts)


def save_draft(session: Session, username: str, entry_id: str, doc: knowledge.Document, today: dt.date,
               new: bool = False) -> KnowledgeEntry:
    """Validate and keep the entry as a draft (not live until published). `new`: a new id, refused if taken."""
    validate(entry_id, doc, today)
    doc = with_sources(doc, None if new else document(session, entry_id))
    row = _row(session, entry_id)
    if new and (row is not None or entry_id in knowledge.shipped()):
        raise ValidationError([f"There already is an entry {entry_id}: open it to change it."])
    if not new and row is None and entry_id not in knowledge.shipped():
        raise ValidationError([f"There is no entry {entry_id}."])
    shipped = knowledge.shipped().get(entry_id)
    if shipped is not None and (doc.country, doc.topic) != (shipped.country, shipped.topic):
        raise ValidationError(["A shipped entry keeps its country and topic: create a new entry instead."])
    before = _snapshot(row)
    now = utcnow()
    if row is None:
        row = KnowledgeEntry(entry_id=entry_id, status="draft" if shipped is None else "published",
                             created_at=now, created_by=username)
        session.add(row)
    elif row.published and (row.country, row.topic) != (doc.country, doc.topic):
        raise ValidationError(["A published entry keeps its country and topic: create a new entry instead."])
    row.country, row.topic, row.draft = doc.country, doc.topic, doc.to_json()
    row.updated_at, row.updated_by = now, username
    session.flush()
    audit(session, username, "save draft", f"knowledge:{entry_id}", before, _snapshot(row))
    return row


def publish(session: Session, username: str, entry_id: str, today: dt.date) -> None:
    """Make the draft what the bot answers with (checked again: the rules may have changed since it was saved)."""
    row = _row(session, entry_id)
    if row is None or not row.draft:
        raise ValidationError(["There is no draft to publish."])
    doc = knowledge.Document.from_json(row.draft)
    validate(entry_id, doc, today)
    before = _snapshot(row)
    now = utcnow()
    row.published, row.draft, row.checked = row.draft, None, doc.checked
    if row.status != "retired":
        row.status = "published"
    row.published_at, row.published_by, row.updated_at, row.updated_by = now, username, now, username
    session.flush()
    audit(session, username, "publish", f"knowledge:{entry_id}", before, _snapshot(row))


def retire(session: Session, username: str, entry_id: str) -> None:
    """Take the entry out of the bot's answers (a shipped one too); its texts are kept, to restore it."""
    row = _row(session, entry_id)
    shipped = knowledge.shipped().get(entry_id)
    if row is None and shipped is None:
        raise ValidationError([f"There is no entry {entry_id}."])
    before = _snapshot(row)
    now = utcnow()
    if row is None:
        assert shipped is not None
        row = KnowledgeEntry(entry_id=entry_id, country=shipped.country, topic=shipped.topic, created_at=now,
                             created_by=username)
        session.add(row)
    row.status, row.updated_at, row.updated_by = "retired", now, username
    session.flush()
    audit(session, username, "retire", f"knowledge:{entry_id}", before, _snapshot(row))


def restore(session: Session, username: str, entry_id: str) -> None:
    """Answer with a retired entry again: its published version, else the shipped one (else it is a draft)."""
    row = _row(session, entry_id)
    if row is None or row.status != "retired":
        raise ValidationError(["Only a retired entry can be restored."])
    before = _snapshot(row)
    row.status = "published" if row.published or entry_id in knowledge.shipped() else "draft"
    row.updated_at, row.updated_by = utcnow(), username
    session.flush()
    audit(session, username, "restore", f"knowledge:{entry_id}", before, _snapshot(row))


def revert(session: Session, username: str, entity: str, before: str | None, entry_id: int) -> str:
    """Put an entry's row back as it was before an audited change (bot.admin.service.revert calls this)."""
    key = entity.split(":", 1)[1]
    row = _row(session, key)
    current = _snapshot(row)
    if before is None:  # the change created the row: without it the shipped entry (or nothing) answers
        if row is not None:
            session.delete(row)
    else:
        state: Mapping[str, object] = json.loads(before)
        if row is None:
            raise ValidationError(["That entry's row no longer exists."])
        for name in ROW_FIELDS:
            value = state.get(name)
            if name == "checked" and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            elif name == "published_at" and isinstance(value, str):
                value = dt.datetime.fromisoformat(value)
            setattr(row, name, value)
        row.updated_at, row.updated_by = utcnow(), username
    session.flush()
    audit(session, username, f"revert #{entry_id}", entity, current, _snapshot(row) if before is not None else None)
    return entity


# --- the form -----------------------------------------------------------------------------------------------------
def residence_keys() -> List[str]:
    return list(dict.fromkeys(key for keys in knowledge.RESIDENCES.values() for key in keys))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()))


def _text(fields: Mapping[str, str], name: str) -> str:
    return str(fields.get(name, "")).replace("\r\n", "\n").strip()


def from_form(fields: Mapping[str, str]) -> knowledge.Document:
    """The entry as posted by the edit form (knowledge_entry.html): per language `<lang>_title`, `<lang>_answer`,
    `<lang>_child`, `<lang>_residence_<key>`, `<lang>_examples` (one question a line). An unreadable date is today's
    minimum (the check then names it)."""
    country = _text(fields, "country").upper()
    try:
        checked = dt.date.fromisoformat(_text(fields, "checked"))
    except ValueError:
        checked = dt.date.min
    texts = {}
    allowed = knowledge.RESIDENCES.get(country, ())
    for lang in content.languages():
        residence = {key: _text(fields, f"{lang}_residence_{key}") for key in residence_keys()}
        found = knowledge.Texts(_text(fields, f"{lang}_title"), _text(fields, f"{lang}_answer"), _text(fields, f"{lang}_child"),
                                {k: v for k, v in residence.items() if v and (k in allowed or lang == SOURCE_LANGUAGE)},
                                _lines(str(fields.get(f"{lang}_examples", ""))))
        if lang == SOURCE_LANGUAGE or found.answer or found.title or found.examples or found.child or found.residence:
            texts[lang] = found
    return knowledge.Document(country=country, topic=_text(fields, "topic"), region=_text(fields, "region") or None,
                              source_name=_text(fields, "source_name"), source_url=_text(fields, "source_url"),
                              checked=checked, texts=texts)

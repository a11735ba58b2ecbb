"""What the web admin does, as plain functions over the database (the routes are thin; tests call these).

Answers: every topic per country and language; staff edit a draft and publish it; the bot uses the published
text within seconds (common.content_store). English is the source language: a translation published before the
English text was last published is "outdated"; one the catalogs do not have is "missing".
Translations: `.po` export/import per language (Babel); an import is validated entry by entry and applied
whole or not at all. Every change is in the audit log with the state before and after, so it can be reverted.
Numbers stay true: a text whose digit sequences (3 digits or more: phone numbers, 112, 116117) differ from the
English source's is refused, whether it comes from a .po file or an answer edit.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from sqlalchemy import select
from sqlalchemy.orm import Session

from common import content
from common.content_store import msgid_hash
from common.db.models import AnswerText, AuditEntry, Service, TranslationOverride, as_utc, utcnow
from common.i18n import LOCALES_DIR, catalog

SOURCE_LANGUAGE = "en"
ANSWER_FIELDS = ("draft_text", "draft_source_name", "draft_source_url", "draft_updated_at",
                 "published_text", "published_source_name", "published_source_url", "published_at", "updated_by")
_STRAY_PERCENT = re.compile(r"%(?!\(\w+\)s)")
# a run of digits, possibly grouped by single spaces, dots, hyphens or slashes: "70 201 201", "116117", "112"
DIGIT_RUN = re.compile(r"\d(?:[ .,\-/\u00a0\u202f]?\d)*")  # "135,12" is 135.12 written with a decimal comma
MIN_NUMBER_DIGITS = 3
MAX_ANSWER_CHARS = 3000  # far above the longest shipped answer (~500), below Telegram's 4096 with the source line added
MAX_SOURCE_NAME, MAX_SOURCE_URL = 200, 500  # answer_text.*_source_name / *_source_url


class NotFound(LookupError):
    """What a request names does not exist (an audit entry, a topic, a language): the admin answers 404."""


class ValidationError(ValueError):
    """A change that would put something wrong in front of people; `problems` says what, line by line."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def digit_sequences(text: str) -> List[str]:
    """The numbers of 3 digits or more in `text`, as ASCII digits without their grouping ("70 201 201" ->
    "70201201"; Arabic-Indic digits count as the same number)."""
    found = []
    for match in DIGIT_RUN.finditer(text):
        digits = "".join(str(unicodedata.decimal(char)) for char in match.group() if char.isdecimal())
        if len(digits) >= MIN_NUMBER_DIGITS:
            found.append(digits)
    return found


def number_problems(source: str, text: str) -> List[str]:
    """How the numbers of `text` differ from those of the English `source` (empty: they are the same): a number
    added, removed or changed would send a person to a wrong phone number."""
    have, want = Counter(digit_sequences(text)), Counter(digit_sequences(source))
    if have == want:
        return []
    problems = []
    added, removed = sorted((have - want).elements()), sorted((want - have).elements())
    if added:
        problems.append(f"numbers not in the English text: {', '.join(added)}")
    if removed:
        problems.append(f"numbers of the English text missing: {', '.join(removed)}")
    return problems


def _lines_with(text: str, numbers: List[str]) -> List[int]:
    """The 1-based lines of `text` that hold one of `numbers`."""
    return [number for number, line in enumerate(text.split("\n"), start=1)
            if any(found in numbers for found in digit_sequences(line))]


@dataclass
class AnswerView:
    topic: str
    country: str
    language: str
    text: str  # what the bot says now (published, else built-in)
    source_name: str
    source_url: str
    draft: str | None
    status: str  # built-in | published | draft | outdated | missing
    published_at: dt.datetime | None


def built_in(topic: str, country: str, language: str) -> Tuple[str, bool]:
    """The shipped text (placeholders kept) and whether the language's catalog has a translation of it."""
    base = content.topics()[topic][country]  # KeyError: no such topic or country
    if language == SOURCE_LANGUAGE:
        return base.text, True
    translated = catalog(language).gettext(base.text)
    return translated, translated != base.text


def answer_view(session: Session, topic: str, country: str, language: str) -> AnswerView:
    base = content.topics()[topic][country]  # KeyError: no such topic or country
    row = session.scalar(select(AnswerText).where(
        AnswerText.topic == topic, AnswerText.country == country, AnswerText.language == language))
    text, translated = built_in(topic, country, language)
    source_name, source_url = base.source_name, base.source_url
    published_at = None
    if row is not None and row.published_text is not None:
        text, source_name, source_url = row.published_text, row.published_source_name or "", row.published_source_url or ""
        assert row.published_at is not None  # publish() sets the text and the time together
        published_at, translated = as_utc(row.published_at), True
    status = "published" if published_at else "built-in"
    if language != SOURCE_LANGUAGE:
        source = session.scalar(select(AnswerText.published_at).where(
            AnswerText.topic == topic, AnswerText.country == country, AnswerText.language == SOURCE_LANGUAGE))
        if not translated:
            status = "missing"
        elif source is not None and (published_at is None or published_at < as_utc(source)):
            status = "outdated"
    draft = row.draft_text if row is not None else None
    if draft is not None and status in ("built-in", "published"):
        status = "draft"
    return AnswerView(topic, country, language, text, source_name, source_url, draft, status, published_at)


def all_answers(session: Session, language: str | None = None) -> List[AnswerView]:
    languages = [language] if language else list(content.languages())
    return [answer_view(session, topic, country, lang)
            for topic in sorted(content.topics()) for country in content.COUNTRIES for lang in languages]


def english_source(session: Session, topic: str, country: str) -> str:
    """The English text a translation of this answer is checked against: the published English, else the shipped."""
    published = session.scalar(select(AnswerText.published_text).where(
        AnswerText.topic == topic, AnswerText.country == country, AnswerText.language == SOURCE_LANGUAGE))
    return published if published is not None else content.topics()[topic][country].text


def check_numbers(source: str, text: str) -> List[str]:
    """Problems (naming the lines) if the numbers of an answer differ from its English source's."""
    problems = number_problems(source, text)
    if not problems:
        return []
    have, want = Counter(digit_sequences(text)), Counter(digit_sequences(source))
    lines = _lines_with(text, list((have - want).elements()))
    if lines:  # where the wrong number is in the answer
        where = f"line {', '.join(map(str, lines))}: "
    else:  # only a number left out: where it is in the English text
        where = f"line {', '.join(map(str, _lines_with(source, list((want - have).elements()))))} of the English text: "
    return [f"{where}{'; '.join(problems)}. Numbers must be the same as in the English text "
            "(phone numbers are placeholders such as %(emergency)s)."]


def validate_answer(text: str, source_name: str, source_url: str, country: str, source: str | None = None) -> None:
    """Refuse an answer that would mislead: empty, unknown placeholders, a stray %, no official source, numbers
    that differ from the English `source` (when given), or fields longer than their database columns."""
    problems = []
    if not text.strip():
        problems.append("The answer is empty.")
    if len(text) > MAX_ANSWER_CHARS:
        problems.append(f"The answer has {len(text):,} characters: at most {MAX_ANSWER_CHARS:,}.")
        text = text[:MAX_ANSWER_CHARS]  # the checks below on what could be kept
    if len(source_name.strip()) > MAX_SOURCE_NAME or len(source_url.strip()) > MAX_SOURCE_URL:
        problems.append(f"The source's name has at most {MAX_SOURCE_NAME} characters, its link at most {MAX_SOURCE_URL}.")
    unknown = sorted(content.placeholders(text) - set(content.numbers(country)))
    if unknown:
        problems.append(f"Unknown placeholders: {', '.join('%(' + u + ')s' for u in unknown)} "
                        f"(known: {', '.join(sorted(content.numbers(country)))}).")
    if _STRAY_PERCENT.search(text):
        problems.append("A single % sign: write placeholders as %(name)s.")
    if not source_name.strip():
        problems.append("Every answer names its official source.")
    if not source_url.startswith("https://"):
        problems.append("The source link must start with https://.")
    if source is not None:
        problems.extend(check_numbers(source, text))
    if problems:
        raise ValidationError(problems)


def known_answer(topic: str, country: str, language: str) -> bool:
    """Whether the admin has this answer: a shipped topic, one of the countries, one of the languages."""
    return topic in content.topics() and country in content.COUNTRIES and language in content.languages()


def _known(topic: str, country: str, language: str) -> None:
    if not known_answer(topic, country, language):
        raise ValidationError([f"Unknown answer {topic[:40]}/{country[:8]}/{language[:8]}."])


def _row(session: Session, topic: str, country: str, language: str) -> AnswerText:
    _known(topic, country, language)
    row = session.scalar(select(AnswerText).where(
        AnswerText.topic == topic, AnswerText.country == country, AnswerText.language == language))
    if row is None:
        row = AnswerText(topic=topic, country=country, language=language)
        session.add(row)
    return row


def _snapshot(row: AnswerText | None) -> str | None:
    if row is None:
        return None
    return json.dumps({name: (value.isoformat() if isinstance(value, dt.datetime) else value)
                       for name in ANSWER_FIELDS for value in [getattr(row, name)]})


def audit(session: Session, username: str, action: str, entity: str, before: str | None, after: str | None) -> None:
    session.add(AuditEntry(username=username, action=action, entity=entity, before=before, after=after))


def save_draft(session: Session, username: str, topic: str, country: str, language: str,
               text: str, source_name: str, source_url: str) -> None:
    text = text.replace("\r\n", "\n").strip()
    _known(topic, country, language)
    source = content.topics()[topic][country].text if language == SOURCE_LANGUAGE else english_source(session, topic, country)
    validate_answer(text, source_name, source_url, country, source)
    row = _row(session, topic, country, language)
    before = _snapshot(row) if row.id else None
    row.draft_text, row.draft_source_name, row.draft_source_url = text, source_name.strip(), source_url.strip()
    row.draft_updated_at, row.updated_by = utcnow(), username
    session.flush()
    audit(session, username, "save draft", f"answer:{topic}:{country}:{language}", before, _snapshot(row))


def publish(session: Session, username: str, topic: str, country: str, language: str) -> None:
    row = _row(session, topic, country, language)
    if row.draft_text is None:
        raise ValidationError(["There is no draft to publish."])
    before = _snapshot(row) if row.id else None
    row.published_text, row.published_source_name, row.published_source_url = (
        row.draft_text, row.draft_source_name, row.draft_source_url)
    row.published_at, row.updated_by = utcnow(), username
    row.draft_text = row.draft_source_name = row.draft_source_url = None
    session.flush()
    audit(session, username, "publish", f"answer:{topic}:{country}:{language}", before, _snapshot(row))


REVERTABLE = ("answer:", "service:", "translations:", "knowledge:")  # the kinds of audit entries a revert can undo


def revert(session: Session, username: str, entry_id: int) -> str:
    """Put an answer, a directory entry, a knowledge entry or a language's imported translations back as they were
    before an audited change (itself audited). NotFound: no such entry; ValidationError: an entry of another kind."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None:
        raise NotFound(f"There is no audit entry #{entry_id}.")
    if entry.entity.startswith("service:"):
        return _revert_service(session, username, entry)
    if entry.entity.startswith("translations:"):
        return _revert_import(session, username, entry)
    if entry.entity.startswith("knowledge:"):
        from bot.admin import knowledge  # it builds on this module

        return knowledge.revert(session, username, entry.entity, entry.before, entry.id)
    if not entry.entity.startswith("answer:"):
        raise ValidationError(["Only answer, service-directory, knowledge and translation changes can be reverted."])
    _, topic, country, language = entry.entity.split(":")
    row = _row(session, topic, country, language)
    current = _snapshot(row) if row.id else None
    state: Dict[str, Any] = json.loads(entry.before) if entry.before else {name: None for name in ANSWER_FIELDS}
    for name in ANSWER_FIELDS:
        value = state.get(name)
        if name.endswith("_at") and value:
            value = dt.datetime.fromisoformat(value)
        setattr(row, name, value)
    session.flush()
    audit(session, username, f"revert #{entry_id}", entry.entity, current, _snapshot(row))
    return entry.entity


# --- translators' workflow: .po files ------------------------------------------------------------------------------
def template() -> Catalog:
    with open(LOCALES_DIR / "messages.pot", "rb") as handle:
        return read_po(handle)


def export_po(session: Session, language: str) -> bytes:
    """The language's catalog with imported translations applied, as a .po file for translators' tools."""
    if language not in content.languages() or language == SOURCE_LANGUAGE:
        raise ValidationError([f"No catalog for {language}."])
    with open(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        po = read_po(handle, locale=language)
    overrides = {row.msgid: row.msgstr for row in session.scalars(
        select(TranslationOverride).where(TranslationOverride.language == language))}
    for message in po:
        if message.id and message.id in overrides:
            message.string = overrides[message.id]
    out = io.BytesIO()
    write_po(out, po, width=0)
    return out.getvalue()


def import_po(session: Session, username: str, language: str, data: bytes) -> int:
    """Validate every entry of an uploaded .po file, then store all its translations, or none.
    Problems name the line of the entry (`line 42: ...`)."""
    if language not in content.languages() or language == SOURCE_LANGUAGE:
        raise ValidationError([f"No catalog for {language}."])
    try:
        po = read_po(io.BytesIO(data), locale=language, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeError, LookupError) as error:  # LookupError: an unknown charset
        raise ValidationError([f"The file cannot be read as a .po file: {str(error)[:200]}"]) from error
    known = {message.id for message in template() if message.id}
    problems: List[str] = []
    accepted: List[Tuple[str, str]] = []
    for message in po:
        if not message.id:
            continue
        msgid, msgstr = message.id, message.string
        if not isinstance(msgid, str) or not isinstance(msgstr, str):
            problems.append(f"line {message.lineno}: plural forms are not used by Brobygger")
            continue
        if msgid not in known:
            problems.append(f"line {message.lineno}: unknown msgid (not in the current template): {msgid[:60]!r}")
            continue
        if not msgstr or message.fuzzy:
            continue  # untranslated or fuzzy: the shipped translation stays
        missing = content.placeholders(msgid) - content.placeholders(msgstr)
        extra = content.placeholders(msgstr) - content.placeholders(msgid)
        if missing or extra or _STRAY_PERCENT.search(msgstr):
            detail = []
            if missing:
                detail.append("missing " + ", ".join(f"%({p})s" for p in sorted(missing)))
            if extra:
                detail.append("unknown " + ", ".join(f"%({p})s" for p in sorted(extra)))
            if _STRAY_PERCENT.search(msgstr):
                detail.append("a single % sign")
            problems.append(f"line {message.lineno}: placeholder problem: {'; '.join(detail)}")
            continue
        numbers = number_problems(msgid, msgstr)
        if numbers:
            problems.append(f"line {message.lineno}: {'; '.join(numbers)} (numbers must stay as in the English text)")
            continue
        accepted.append((msgid, msgstr))
    if problems:
        raise ValidationError(problems)
    existing = {row.msgid_hash: row for row in session.scalars(
        select(TranslationOverride).where(TranslationOverride.language == language))}
    before: List[Dict[str, str | None]] = []  # each changed msgid with its imported translation before (None: shipped)
    after: List[Dict[str, str | None]] = []
    for msgid, msgstr in accepted:
        shipped = catalog(language).gettext(msgid)
        row = existing.get(msgid_hash(msgid))
        if row is None and msgstr == shipped:
            continue
        if row is None:
            row = TranslationOverride(language=language, msgid_hash=msgid_hash(msgid), msgid=msgid, msgstr=msgstr)
            session.add(row)
            previous = None
        elif row.msgstr == msgstr:
            continue
        else:
            previous = row.msgstr
        row.msgstr, row.updated_at, row.updated_by = msgstr, utcnow(), username
        before.append({"msgid": msgid, "msgstr": previous})
        after.append({"msgid": msgid, "msgstr": msgstr})
    session.flush()
    audit(session, username, "import .po", f"translations:{language}", json.dumps({"language": language, "entries": before}),
          json.dumps({"changed": len(after), "entries": after}))
    return len(after)


def _overrides_state(session: Session, language: str, msgids: List[str]) -> List[Dict[str, str | None]]:
    rows = {row.msgid_hash: row.msgstr for row in session.scalars(
        select(TranslationOverride).where(TranslationOverride.language == language))}
    return [{"msgid": msgid, "msgstr": rows.get(msgid_hash(msgid))} for msgid in msgids]


def _revert_import(session: Session, username: str, entry: AuditEntry) -> str:
    """Put a language's imported translations back as they were before a .po import (None: the shipped one)."""
    language = entry.entity.split(":", 1)[1]
    state = json.loads(entry.before) if entry.before else None
    if not isinstance(state, dict) or not isinstance(state.get("entries"), list):
        raise ValidationError(["This import was recorded without the state before it, so it cannot be reverted."])
    entries = [(item["msgid"], item["msgstr"]) for item in state["entries"]]
    current = _overrides_state(session, language, [msgid for msgid, _ in entries])
    rows = {row.msgid_hash: row for row in session.scalars(
        select(TranslationOverride).where(TranslationOverride.language == language))}
    for msgid, msgstr in entries:
        row = rows.get(msgid_hash(msgid))
        if msgstr is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(TranslationOverride(language=language, msgid_hash=msgid_hash(msgid), msgid=msgid, msgstr=msgstr,
                                            updated_at=utcnow(), updated_by=username))
        else:
            row.msgstr, row.updated_at, row.updated_by = msgstr, utcnow(), username
    session.flush()
    audit(session, username, f"revert #{entry.id}", entry.entity, json.dumps({"language": language, "entries": current}),
          json.dumps({"changed": len(entries), "entries": [{"msgid": m, "msgstr": s} for m, s in entries]}))
    return entry.entity


# --- service directory -----------------------------------------------------------------------------------------------
SERVICE_KINDS = {
    "gp": "GP practice", "out_of_hours": "Out-of-hours service", "interpreter": "Interpreter service",
    "psychosocial": "Psychosocial centre", "social_services": "Social services office",
}
SERVICE_FIELDS = ("kind", "name", "country", "city", "address", "phone", "opening_hours", "languages", "url", "active")
SERVICE_LENGTHS = {"name": 200, "city": 80, "address": 300, "phone": 40, "opening_hours": 200, "languages": 80,
                   "url": 500}  # the columns of `service`


def _service_snapshot(row: Service | None) -> str | None:
    return None if row is None else json.dumps({name: getattr(row, name) for name in SERVICE_FIELDS})


def save_service(session: Session, username: str, service_id: int | None, fields: Dict[str, Any]) -> Service:
    """Create or change a directory entry; the bot lists it within seconds (common.content_store)."""
    values = {name: str(fields.get(name, "") or "").strip() for name in SERVICE_FIELDS if name != "active"}
    languages = [code.strip().lower() for code in values["languages"].replace(" ", ",").split(",") if code.strip()]
    problems = []
    if values["kind"] not in SERVICE_KINDS:
        problems.append(f"Kind must be one of: {', '.join(SERVICE_KINDS)}.")
    if values["country"].upper() not in content.COUNTRIES:
        problems.append("Country must be DK or DE.")
    if not values["name"] or not values["city"]:
        problems.append("Name and city are needed (people are matched to places by their town).")
    unknown = [code for code in languages if code not in content.languages()]
    if unknown:
        problems.append(f"Unknown language codes: {', '.join(unknown)}.")
    if values["url"] and not values["url"].startswith("https://"):
        problems.append("The link must start with https://.")
    if values["phone"] and not re.fullmatch(r"\+?[0-9 ()/-]{3,30}", values["phone"]):
        problems.append("The phone number may contain digits, spaces, +, -, / and brackets only.")
    too_long = [name for name, most in SERVICE_LENGTHS.items() if len(values[name]) > most]
    if too_long or len(",".join(dict.fromkeys(languages))) > SERVICE_LENGTHS["languages"]:
        problems.append("Too long: " + ", ".join(f"{name} (at most {SERVICE_LENGTHS[name]} characters)"
                                                 for name in too_long or ["languages"]) + ".")
    if problems:
        raise ValidationError(problems)
    row = session.get(Service, service_id) if service_id else None
    before = _service_snapshot(row)
    if row is None:
        row = Service()
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.country, row.languages = values["country"].upper(), ",".join(dict.fromkeys(languages))
    row.active = str(fields.get("active", "")).lower() in ("on", "true", "1")  # an unticked checkbox sends nothing
    row.updated_at, row.updated_by = utcnow(), username
    session.flush()
    audit(session, username, "save service", f"service:{row.id}", before, _service_snapshot(row))
    return row


def _revert_service(session: Session, username: str, entry: AuditEntry) -> str:
    row = session.get(Service, int(entry.entity.split(":")[1]))
    if row is None:
        raise NotFound("That directory entry no longer exists.")
    current = _service_snapshot(row)
    if entry.before is None:  # the change created it: reverting takes it out of the bot's answers
        row.active = False
    else:
        for name, value in json.loads(entry.before).items():
            setattr(row, name, value)
    row.updated_at, row.updated_by = utcnow(), username
    session.flush()
    audit(session, username, f"revert #{entry.id}", entry.entity, current, _service_snapshot(row))
    return entry.entity

"""What staff changed in the web admin, as the bot and the actions see it: published answers and imported
translations, the service directory and knowledge-base entries, read from the product database and cached for a
couple of seconds (so an edit is live within seconds, with no retrain or restart, and a busy bot does not query
the database per message)."""
from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from common import i18n, knowledge

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """A service-directory entry as the bot shows it."""

    kind: str
    name: str
    country: str
    city: str
    address: str
    phone: str
    opening_hours: str
    languages: Tuple[str, ...]
    url: str


@dataclass(frozen=True)
class PublishedAnswer:
    text: str
    source_name: str
    source_url: str


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def msgid_hash(msgid: str) -> str:
    return hashlib.sha256(msgid.encode()).hexdigest()


class ContentStore:
    def __init__(self, database_url: str, ttl: float = 2.0) -> None:
        from common.db import make_engine

        self._engine = make_engine(database_url)
        self._ttl = ttl
        self._loaded = 0.0
        self._lock = threading.Lock()
        self._answers: Dict[Tuple[str, str, str], PublishedAnswer] = {}
        self._translations: Dict[Tuple[str, str], str] = {}
        self._places: List[Place] = []
        self._knowledge_seen: List[Tuple[str, str, Any]] = []  # (entry id, status, updated_at) of the staff rows
        self._knowledge = knowledge.shipped_knowledge()

    def _refresh(self) -> None:
        if time.monotonic() - self._loaded < self._ttl:
            return
        with self._lock:
            if time.monotonic() - self._loaded < self._ttl:
                return
            from common.db.models import AnswerText, KnowledgeEntry, Service, TranslationOverride

            try:
                with self._engine.connect() as connection:
                    answers = connection.execute(select(
                        AnswerText.topic, AnswerText.country, AnswerText.language, AnswerText.published_text,
                        AnswerText.published_source_name, AnswerText.published_source_url,
                    ).where(AnswerText.published_text.is_not(None))).all()
                    overrides = connection.execute(select(
                        TranslationOverride.language, TranslationOverride.msgid_hash, TranslationOverride.msgstr
                    )).all()
                    places = connection.execute(select(
                        Service.kind, Service.name, Service.country, Service.city, Service.address, Service.phone,
                        Service.opening_hours, Service.languages, Service.url,
                    ).where(Service.active.is_(True)).order_by(Service.name)).all()
                    live = KnowledgeEntry.status.in_(("published", "retired"))
                    seen = sorted(tuple(row) for row in connection.execute(select(
                        KnowledgeEntry.entry_id, KnowledgeEntry.status, KnowledgeEntry.updated_at).where(live)).all())
                    entries = None
                    if seen != self._knowledge_seen:  # the entries' texts are read (and merged) only after a change
                        entries = connection.execute(select(
                            KnowledgeEntry.entry_id, KnowledgeEntry.status, KnowledgeEntry.published).where(live)).all()
            except SQLAlchemyError as error:  # the built-in content still answers; try again after the TTL
                logger.warning("content store unavailable: %s", error.__class__.__name__)
                self._loaded = time.monotonic()
                return
            self._answers = {(t, c, lang): PublishedAnswer(text, name or "", url or "") for t, c, lang, text, name, url in answers}
            self._translations = {(lang, h): msgstr for lang, h, msgstr in overrides}
            self._places = [Place(k, n, c, city, a, p, o, tuple(x for x in langs.split(",") if x), u)
                            for k, n, c, city, a, p, o, langs, u in places]
            if entries is not None:
                self._knowledge = knowledge.merged([(entry_id, status, published) for entry_id, status, published in entries])
                self._knowledge_seen = seen
            self._loaded = time.monotonic()

    def answer(self, topic: str, country: str, lang: str) -> PublishedAnswer | None:
        self._refresh()
        return self._answers.get((topic, country, lang))

    def translation(self, lang: str, msgid: str) -> str | None:
        """A staff knowledge entry's own text in `lang`, else a translation imported from a .po file."""
        self._refresh()
        own = self._knowledge.texts.get((lang, msgid)) if self._knowledge.texts else None
        if own is not None:
            return own
        return self._translations.get((lang, msgid_hash(msgid))) if self._translations else None

    def knowledge(self) -> knowledge.Knowledge:
        """The knowledge base with the staff entries published (and without those retired) as of the last read."""
        self._refresh()
        return self._knowledge

    def places(self, kind: str, country: str, city: str, language: str) -> List[Place]:
        """Active places of a kind in a city, those speaking `language` first."""
        self._refresh()
        found = [p for p in self._places if p.kind == kind and p.country == country and _fold(p.city) == _fold(city)]
        return sorted(found, key=lambda p: (language not in p.languages, p.name))

    def all_places(self) -> List[Place]:
        self._refresh()
        return list(self._places)

    def city_in_text(self, text: str, country: str | None) -> str | None:
        """A town of the directory named in a message ("tolk i Aarhus" -> "Aarhus"), if exactly one."""
        self._refresh()
        folded = _fold(text)
        found = {p.city for p in self._places if (country is None or p.country == country)
                 and re.search(rf"(?<!\w){re.escape(_fold(p.city))}(?!\w)", folded)}
        return found.pop() if len(found) == 1 else None

    def invalidate(self) -> None:
        self._loaded = 0.0

    def close(self) -> None:
        self._engine.dispose()


_store: ContentStore | None = None


def configure(database_url: str | None, ttl: float = 2.0) -> ContentStore | None:
    """Use the database's content in this process (bot, action server, admin); None turns it off."""
    global _store
    if _store is not None:
        _store.close()
    _store = ContentStore(database_url, ttl) if database_url else None
    i18n.set_override(_store.translation if _store else None)
    return _store


def current() -> ContentStore | None:
    return _store

"""The front end's logic, without Telegram: consent, pickers, relaying to Rasa, nothing lost.

Telegram handlers (bot.telegram) translate updates into `Incoming` and send the `Outgoing` replies; tests call
these functions directly. Every input gets a reply in the person's language; a message is stored (`Inbound`,
pending) before it is processed, so if Rasa is down the person hears so and the message is answered later.
"""
from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Deque, Dict, List, Tuple

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from common.strings import assistant as assistant_messages
from common import content, language
from common.strings import person as messages
from common.db.models import Handoff, Inbound, Person, RelayMessage, as_utc, utcnow
from bot.exchange import Incoming, Outgoing
from common.strings import mentor as handoff_messages
from bot.handoff.desk import Desk, person_out
from common.i18n import translate
from bot.privacy import pseudonym
from bot.rasa_client import RasaClient, RasaReply, RasaUnavailable

logger = logging.getLogger(__name__)

MAX_TEXT = 2000  # longer messages are cut: the NLU does not need more, and Rasa stores what it gets
CALLBACK_LIMIT = 64  # Telegram's callback_data limit, in bytes
TOPIC_ORDER = list(assistant_messages.TOPIC_TITLES)
EMPTY_RETRY_WINDOW = dt.timedelta(minutes=10)  # a message Rasa answers with nothing is retried this long, then
# the person is asked to rephrase (an action server outage passes; a message that always fails must end somewhere)
STALE_CLAIM = dt.timedelta(minutes=5)  # a message `processing` this long lost its worker
_PHONE_LIKE = re.compile(r"[0-9]")


@dataclass
class Settings:
    pseudonym_key: str
    retention_days: int = 90
    tracker_db_url: str | None = None
    mentor_hours: str = ""
    mentor_timezone: str = "Europe/Copenhagen"
    handoff_timeout: float = 300.0
    invite_days: int = 7
    flood_messages: int = 8  # more than this many messages ...
    flood_seconds: float = 10.0  # ... within this window: one polite notice, the rest are not processed


class Assistant:
    """One instance per process; stateless apart from the database."""

    def __init__(self, sessions: sessionmaker[Session], rasa: RasaClient, settings: Settings) -> None:
        self._sessions = sessions
        self._rasa = rasa
        self._settings = settings
        self._locks: Dict[int, asyncio.Lock] = {}
        self._recent: Dict[int, Deque[float]] = {}
        self._chat_languages: collections.OrderedDict[int, str] = collections.OrderedDict()
        self.desk = Desk.from_settings(settings)

    async def close(self) -> None:
        """Close the HTTP connections to Rasa (at shutdown)."""
        await self._rasa.close()

    # --- helpers -----------------------------------------------------------------------------------------
    def _person(self, session: Session, incoming_user: int, chat_id: int) -> Person:
        key = pseudonym(self._settings.pseudonym_key, incoming_user)
        person = session.scalar(select(Person).where(Person.pseudonym == key))
        if person is None:
            person = Person(pseudonym=key, chat_id=chat_id)
            session.add(person)
            session.flush()
        return person

    @staticmethod
    def _lang(person: Person, text: str = "", hint: str | None = None) -> str:
        return language.resolve(
            text=text if not text.startswith("/") else "",
            chosen=person.language if person.language_chosen else None,
            current=person.language,
            hint=hint,
        )

    _out = staticmethod(person_out)

    @staticmethod
    def _language_buttons() -> List[Tuple[str, str]]:
        return [(lang.name, f"l:{code}") for code, lang in content.languages().items()]

    @staticmethod
    def _country_buttons(lang: str) -> List[Tuple[str, str]]:
        return [
            (translate(lang, assistant_messages.COUNTRY_NAME_DK), "k:DK"),
            (translate(lang, assistant_messages.COUNTRY_NAME_DE), "k:DE"),
        ]

    @staticmethod
    def _topic_buttons(lang: str) -> List[Tuple[str, str]]:
        return [(translate(lang, assistant_messages.TOPIC_TITLES[t]), f"t:{t}") for t in TOPIC_ORDER]

    def _consent_prompt(self, person: Person, lang: str) -> Outgoing:
        return self._out(
            person, lang, messages.PRIVACY_NOTICE,
            [(translate(lang, messages.CONSENT_YES), "c:yes"), (translate(lang, messages.CONSENT_NO), "c:no")],
            days=self._settings.retention_days,
        )

    def _metadata(self, person: Person, hint: str | None) -> Dict[str, Any]:
        metadata: Dict[str, Any] = {"handoff": True}  # this front end connects people with mentors itself
        if person.language_chosen and person.language:
            metadata["language"] = person.language
        if person.country:
            metadata["country"] = person.country
        if hint:
            metadata["language_hint"] = hint
        return metadata

    def _render(self, person: Person, replies: List[RasaReply], lang: str) -> List[Outgoing]:
        """Rasa's channels split a message at blank lines; join consecutive parts into one Telegram message
        (split again only where Telegram's length limit requires), keeping buttons under the last part."""
        merged: List[RasaReply] = []
        for reply in replies:
            if merged and not merged[-1].buttons:
                merged[-1] = RasaReply(f"{merged[-1].text}\n\n{reply.text}".strip(), reply.buttons)
            else:
                merged.append(reply)
        out = []
        for reply in merged:
            buttons = []
            for button in reply.buttons:
                data = f"r:{button.get('payload', '')}"
                if len(data.encode()) <= CALLBACK_LIMIT:
                    buttons.append((button.get("title", "?"), data))
                else:  # never send a button Telegram would reject; the text still goes out
                    logger.warning("button payload too long for Telegram, dropped")
            out.append(Outgoing(person.chat_id, reply.text, buttons, content.languages()[lang].rtl))
        return out

    async def _to_rasa(
        self, session: Session, person: Person, text: str, hint: str | None, signals: List[Dict[str, Any]] | None = None
    ) -> List[Outgoing]:
        """Send one message to Rasa, then learn the language/country the actions settled on. Actions ask the
        front end to act (`{"handoff": ...}`, `{"erase": true}`) with custom payloads, collected in `signals`."""
        session.commit()  # never hold a database write lock while waiting for the network (SQLite: one writer)
        replies = await self._rasa.send(person.pseudonym, text, self._metadata(person, hint))
        states = [reply.custom["state"] for reply in replies if reply.custom and isinstance(reply.custom.get("state"), dict)]
        if states:  # the actions say what they settled (one request per message instead of two)
            slots = states[-1]
        else:
            try:
                slots = await self._rasa.slots(person.pseudonym)
            except RasaUnavailable:
                slots = {}
        if slots.get("language") in content.languages():
            person.language = slots["language"]
            person.language_chosen = bool(slots.get("language_chosen")) or person.language_chosen
        if slots.get("country") in content.COUNTRIES:
            person.country = slots["country"]
        if signals is not None:
            signals += [reply.custom for reply in replies if reply.custom and "state" not in reply.custom]
        return self._render(person, [r for r in replies if r.text or r.buttons], person.language or self._lang(person, text, hint))

    async def _act_on(self, session: Session, person: Person, signals: List[Dict[str, Any]]) -> Tuple[List[Outgoing], bool]:
        """Do what the actions asked for; returns the replies and whether the person was erased."""
        out: List[Outgoing] = []
        for signal in signals:
            if signal.get("erase"):
                return out + self._erase(session, person), True
            if isinstance(signal.get("handoff"), dict):
                out += await self._start_handoff(session, person, str(signal["handoff"].get("reason") or "request"))
        return out, False

    async def _start_handoff(self, session: Session, person: Person, reason: str) -> List[Outgoing]:
        """Open a case with a short summary for the mentor, and pause the Rasa conversation."""
        lang = person.language or "en"
        session.commit()
        try:
            said = await self._rasa.user_events(person.pseudonym)
        except RasaUnavailable:
            said = []
        topics = [e["intent"] for e in said if e["intent"] in assistant_messages.TOPIC_TITLES]
        texts = [e["text"] for e in said if e["text"] and not e["text"].startswith("/")]
        out = self.desk.request(session, person, lang, reason, topics=topics, summary=texts)
        session.commit()
        await self._rasa_event(person, "pause")
        return out

    async def _rasa_event(self, person: Person, event: str) -> None:
        try:
            await self._rasa.append_event(person.pseudonym, event)
        except RasaUnavailable as error:  # the database decides where messages go; Rasa's flag is secondary
            logger.warning("could not %s the Rasa conversation: %s", event, error.__class__.__name__)

    def _no_answer(self, person: Person, signals: List[Dict[str, Any]]) -> List[Outgoing]:
        """Rasa answered nothing (its REST channel returns an empty list when an action or component fails):
        never silence — ask to rephrase, unless an action asked the front end to act instead."""
        if signals:
            return []
        logger.error("Rasa returned no reply for a message of %s", person.id)
        return [self._out(person, person.language or "en", assistant_messages.FALLBACK_FIRST)]

    def _rasa_down(self, person: Person, lang: str) -> Outgoing:
        return self._out(person, lang, messages.RASA_DOWN)

    # --- entry points ----------------------------------------------------------------------------------------
    async def handle(self, incoming: Incoming) -> List[Outgoing]:
        """Everything a person sends comes through here; the replies to send, in order."""
        with self._sessions() as session:
            if incoming.update_id and session.scalar(select(Inbound.id).where(Inbound.update_id == incoming.update_id)):
                return []  # Telegram delivers at least once: this update was handled already
            text = (incoming.text or "").strip()
            if incoming.kind == "command" and text.lower().startswith("/start "):
                registered = self.desk.register(session, incoming, text.split(maxsplit=1)[1].strip())
                if registered is not None:
                    session.commit()
                    return registered
            mentor = self.desk.mentor_of(session, incoming.user_id)
            if mentor is not None:
                out = self.desk.from_mentor(session, mentor, incoming)
                session.commit()
                await self._after_desk(session)
                return out
            person = self._person(session, incoming.user_id, incoming.chat_id)
            person.chat_id = incoming.chat_id
            person.last_seen_at = utcnow()
            flood = self._flood(person.id)
            if flood is not None:  # a polite notice once per burst, then a clean ignore until it calms down
                session.commit()
                lang = self._lang(person, "", incoming.language_hint)
                return [self._out(person, lang, messages.FLOOD)] if flood else []
            lang = self._lang(person, text, incoming.language_hint)
            if person.language is None:
                person.language = lang
            session.commit()  # short write transactions: the handlers below wait on the network
            self.remember_language(person.chat_id, person.language or lang)
            if incoming.kind == "command":
                out = await self._command(session, person, lang, text, incoming)
            elif person.consent_at is None:
                out = await self._before_consent(person, lang, incoming)
            else:
                out = await self._after_consent(session, person, lang, incoming)
            session.commit()
            return out

    async def _before_consent(self, person: Person, lang: str, incoming: Incoming) -> List[Outgoing]:
        """Nothing is stored before consent, but danger is never left unanswered."""
        out: List[Outgoing] = []
        if incoming.kind == "text" and incoming.text.strip():
            intent = await self._intent(incoming.text)
            if intent == "crisis":
                out.append(self._out(person, lang, assistant_messages.CRISIS_ANY))
            elif intent == "emergency":
                out.append(self._out(person, lang, assistant_messages.EMERGENCY_ANY, emergency="112"))
        out.append(self._consent_prompt(person, lang))
        return out

    async def _after_consent(self, session: Session, person: Person, lang: str, incoming: Incoming) -> List[Outgoing]:
        kind = incoming.kind
        case = self.desk.open_case(session, person)
        if case is not None and kind != "edited":
            return await self._during_handoff(session, person, lang, case, incoming)
        if kind in ("voice", "audio", "video_note"):
            return [self._out(person, lang, messages.UNSUPPORTED_VOICE)]
        if kind == "sticker":
            return [self._out(person, lang, messages.UNSUPPORTED_STICKER)]
        if kind == "edited":
            return [self._out(person, lang, messages.EDITED)]
        if kind == "location" and incoming.location:
            country = country_of_location(*incoming.location)
            if country is None:
                return [self._out(person, lang, messages.LOCATION_UNKNOWN, self._country_buttons(lang))]
            person.country = country
            name = translate(lang, assistant_messages.COUNTRY_NAME_DK if country == "DK" else assistant_messages.COUNTRY_NAME_DE)
            return [self._out(person, lang, messages.LOCATION_COUNTRY, country_name=name)]
        if kind != "text":
            return [self._out(person, lang, messages.UNSUPPORTED_MEDIA)]
        text = incoming.text.strip()
        if not any(ch.isalpha() or ch.isdigit() for ch in text):
            return [self._out(person, lang, messages.EMPTY_TEXT)]
        out: List[Outgoing] = []
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
            out.append(self._out(person, lang, messages.TOO_LONG))
        session.add(Inbound(update_id=incoming.update_id, person=person, kind="text", text=text))
        session.commit()  # stored (committed) before it is processed
        return out + await self._process_pending(session, person, announce_down=True)

    async def _during_handoff(self, session: Session, person: Person, lang: str, case: Handoff, incoming: Incoming) -> List[Outgoing]:
        """The hand-off state, not Rasa, decides: the message goes to the mentor (or waits for one). Rasa only
        classifies it (`/model/parse` stores nothing), so that a crisis still reaches the crisis layer."""
        session.add(Inbound(update_id=incoming.update_id, person=person, kind=incoming.kind[:16], text=None, status="relayed"))
        out: List[Outgoing] = []
        text = incoming.text.strip() if incoming.kind == "text" else ""
        session.commit()
        if text and await self._intent(text) == "crisis":
            out.append(self._crisis_numbers(person, lang))
            out += self.desk.escalate(session, case, lang) if not case.urgent else []
        if incoming.kind == "text" and not text:
            return out + [self._out(person, lang, messages.EMPTY_TEXT)]
        return out + self.desk.from_person(session, person, lang, case, Incoming(**{**incoming.__dict__, "text": text[:MAX_TEXT]}))

    async def _intent(self, text: str) -> str | None:
        """Classify without storing anything (`/model/parse`): for the crisis layer before consent and during a
        hand-off, when the message must not go into the Rasa conversation. None if Rasa is unavailable."""
        try:
            parsed = await self._rasa.parse(text[:MAX_TEXT])
        except RasaUnavailable:
            return None
        return (parsed.get("intent") or {}).get("name")

    def _crisis_numbers(self, person: Person, lang: str) -> Outgoing:
        if person.country in assistant_messages.CRISIS_BY_COUNTRY:
            message = assistant_messages.CRISIS_BY_COUNTRY[person.country]
            return self._out(person, lang, message, **content.numbers(person.country))
        return self._out(person, lang, assistant_messages.CRISIS_ANY)

    async def _after_desk(self, session: Session) -> None:
        """Resume the Rasa conversations of cases the desk just closed (their people talk to the assistant again)."""
        for person in list(self.desk.resumed):
            await self._rasa_event(person, "resume")
        self.desk.resumed.clear()

    def _claim(self, session: Session, inbound: Inbound) -> bool:
        """Take a pending message for processing. Atomic (one UPDATE), so a message is processed by one worker
        only, also with several bot instances on one database."""
        claimed = session.execute(
            update(Inbound).where(Inbound.id == inbound.id, Inbound.status == "pending")
            .values(status="processing", claimed_at=utcnow())
        ).rowcount
        session.commit()
        if claimed:
            session.refresh(inbound)
        return bool(claimed)

    async def _process_pending(self, session: Session, person: Person, announce_down: bool) -> List[Outgoing]:
        """Send the person's pending messages to Rasa, oldest first, so their order is kept. If Rasa is down the
        messages stay pending (answered by `retry_pending` later) and, when `announce_down`, the person hears so."""
        out: List[Outgoing] = []
        async with self._lock(person.id):
            pending = session.scalars(
                select(Inbound).where(Inbound.person_id == person.id, Inbound.status == "pending").order_by(Inbound.id)
            ).all()
            for inbound in pending:
                if not self._claim(session, inbound):
                    continue  # another worker has it
                signals: List[Dict[str, Any]] = []
                try:
                    replies = await self._to_rasa(session, person, inbound.text or "", None, signals)
                    if not replies and not signals and utcnow() - as_utc(inbound.created_at) < EMPTY_RETRY_WINDOW:
                        # Rasa answered nothing: its action server is down or stalled (the REST channel then
                        # returns an empty list). Keep the message and try again, like when Rasa itself is down.
                        raise RasaUnavailable("no reply from Rasa (action server down?)")
                    out += replies or self._no_answer(person, signals)
                except RasaUnavailable as error:
                    logger.warning("Rasa unavailable, message %s kept: %s", inbound.id, error.__class__.__name__)
                    inbound.status, inbound.attempts = "pending", inbound.attempts + 1
                    session.commit()
                    if announce_down:
                        out.append(self._rasa_down(person, person.language or "en"))
                    return out
                inbound.status = "done"
                inbound.text = None  # Rasa's tracker holds the conversation; no second copy here
                session.commit()
                acted, erased = await self._act_on(session, person, signals)
                out += acted
                session.commit()
                if erased:
                    return out
                case = self.desk.open_case(session, person)
                if case is not None:  # later messages belong to the mentor now
                    for later in session.scalars(select(Inbound).where(
                            Inbound.person_id == person.id, Inbound.status == "pending")).all():
                        session.add(RelayMessage(handoff_id=case.id, sender="person", kind="text", text=later.text, delivered=False))
                        later.status, later.text = "done", None
                    session.commit()
                    return out
        return out

    def remember_language(self, chat_id: int, lang: str) -> None:
        """The last language a chat was answered in, kept in memory: the error reply (when the database itself
        fails) is still in the person's language."""
        self._chat_languages[chat_id] = lang
        self._chat_languages.move_to_end(chat_id)
        while len(self._chat_languages) > 50_000:
            self._chat_languages.popitem(last=False)

    def language_of_chat(self, chat_id: int) -> str | None:
        return self._chat_languages.get(chat_id)

    def _flood(self, person_id: int) -> bool | None:
        """Per-person flood limit (in this process): None = fine; True = just went over (send the notice);
        False = still over (ignore). Protects Rasa and the other people from one stuck or hostile client."""
        now = time.monotonic()
        recent = self._recent.setdefault(person_id, collections.deque())
        while recent and now - recent[0] > self._settings.flood_seconds:
            recent.popleft()
        recent.append(now)
        if len(recent) <= self._settings.flood_messages:
            return None
        return len(recent) == self._settings.flood_messages + 1

    def _lock(self, person_id: int) -> asyncio.Lock:
        """One person's messages are processed one at a time in this process (handler and retry job)."""
        return self._locks.setdefault(person_id, asyncio.Lock())

    async def _command(self, session: Session, person: Person, lang: str, text: str, incoming: Incoming) -> List[Outgoing]:
        command, _, argument = text.partition(" ")
        command = command.split("@")[0].lstrip("/").lower()
        if command == "start":
            if person.consent_at is None:
                return [self._consent_prompt(person, lang)]
            return [self._out(person, lang, messages.READY, self._topic_buttons(lang))]
        if command == "privacy":
            return [self._out(person, lang, messages.PRIVACY_DETAILS, days=self._settings.retention_days)]
        if command == "help":
            return [self._out(person, lang, messages.HELP)]
        if command == "language":
            return [self._out(person, lang, assistant_messages.CHOOSE_LANGUAGE, self._language_buttons())]
        if command == "delete":
            answers = [(translate(lang, assistant_messages.YES), "d:yes"), (translate(lang, assistant_messages.NO), "d:no")]
            return [self._out(person, lang, assistant_messages.DELETE_CONFIRM, answers)]
        if command == "mydata":
            count = session.scalar(select(func.count(Inbound.id)).where(Inbound.person_id == person.id))
            not_set = translate(lang, assistant_messages.NOT_SET)
            return [self._out(
                person, lang, messages.MY_DATA,
                language=content.languages()[person.language].name if person.language else not_set,
                country=person.country or not_set,
                consent=person.consent_at.date().isoformat() if person.consent_at else not_set,
                count=count,
            )]
        if person.consent_at is None:
            return [self._consent_prompt(person, lang)]
        if command == "country":
            return [self._out(person, lang, messages.CHOOSE_COUNTRY, self._country_buttons(lang))]
        if command == "menu":
            return [self._out(person, lang, messages.MENU, self._topic_buttons(lang))]
        case = self.desk.open_case(session, person)
        if command == "end" and case is not None:
            out = self.desk.end_by_person(session, person, lang, case)
            session.commit()
            await self._after_desk(session)
            return out
        if command == "mentor":
            if case is not None:
                return self.desk.request(session, person, lang, "request")
            return await self._relay(session, person, lang, "/request_mentor", incoming)
        if case is not None and command in ("menu", "end"):
            return [self._out(person, lang, handoff_messages.IN_MENTOR_CHAT)]
        return [self._out(person, lang, messages.HELP)]

    async def _relay(self, session: Session, person: Person, lang: str, payload: str, incoming: Incoming) -> List[Outgoing]:
        signals: List[Dict[str, Any]] = []
        try:
            out = await self._to_rasa(session, person, payload, incoming.language_hint, signals)
            if not out and not signals:  # a button is not kept: say so, the person can press it again
                return [self._out(person, lang, messages.TRY_AGAIN)]
        except RasaUnavailable:
            return [self._rasa_down(person, lang)]
        acted, _ = await self._act_on(session, person, signals)
        return out + acted

    async def press(self, incoming: Incoming) -> List[Outgoing]:
        """A button press (callback data in `incoming.text`). Callback data only says what was pressed, never
        who may act: that is decided from the presser's own identity (mentor or person) every time."""
        with self._sessions() as session:
            mentor = self.desk.mentor_of(session, incoming.user_id)
            if mentor is not None:
                out = self.desk.mentor_press(session, mentor, incoming.text)
            else:
                out = await self._press(session, incoming)
            session.commit()
            return out

    async def _press(self, session: Session, incoming: Incoming) -> List[Outgoing]:
        person = self._person(session, incoming.user_id, incoming.chat_id)
        person.last_seen_at = utcnow()
        lang = self._lang(person, "", incoming.language_hint)
        kind, _, value = incoming.text.partition(":")
        if kind == "c":
            if value == "yes":
                person.consent_at = utcnow()
                return [self._out(person, lang, messages.CONSENT_GIVEN, self._language_buttons())]
            return [self._out(person, lang, messages.CONSENT_REFUSED)]
        if kind == "d":
            if value == "yes":
                chat_id, rtl = person.chat_id, content.languages()[lang].rtl
                told = self._erase(session, person)
                return [Outgoing(chat_id, translate(lang, messages.DELETE_DONE), rtl=rtl)] + told
            return [self._out(person, lang, assistant_messages.DELETE_CANCELLED)]
        if person.consent_at is None:
            return [self._consent_prompt(person, lang)]
        if kind == "g":
            return self.desk.rate(session, person, lang, value) or [self._out(person, lang, messages.UNKNOWN_BUTTON)]
        case = self.desk.open_case(session, person)
        if case is not None:  # Rasa is paused: pickers change settings, topics wait until the chat ends
            if kind == "l" and value in content.languages():
                person.language, person.language_chosen, lang = value, True, value
            elif kind == "k" and value in content.COUNTRIES:
                person.country = value
            return [self._out(person, lang, handoff_messages.IN_MENTOR_CHAT)]
        if kind == "l" and value in content.languages():
            person.language, person.language_chosen = value, True
            self.remember_language(person.chat_id, value)
            out = await self._relay(session, person, value, f'/choose_language{{"language":"{value}"}}', incoming)
            if not person.country:
                out.append(self._out(person, value, messages.CHOOSE_COUNTRY, self._country_buttons(value)))
            return out
        if kind == "k" and value in content.COUNTRIES:
            person.country = value
            out = await self._relay(session, person, lang, f'/inform_country{{"country":"{value}"}}', incoming)
            if out and not out[-1].buttons:  # offer the topics right under the confirmation
                out[-1].buttons = self._topic_buttons(lang)
                return out
            return out + [self._out(person, lang, messages.READY, self._topic_buttons(lang))]
        if kind == "t" and value in TOPIC_ORDER:
            return await self._relay(session, person, lang, f"/{value}", incoming)
        if kind == "r" and value.startswith("/"):
            return await self._relay(session, person, lang, value, incoming)
        return [self._out(person, lang, messages.UNKNOWN_BUTTON)]

    def _erase(self, session: Session, person: Person) -> List[Outgoing]:
        """Delete the person's rows here (cases, relay log and notes included) and their conversation in Rasa's
        tracker store. A mentor on an open case is told that the person ended it."""
        out: List[Outgoing] = []
        case = self.desk.open_case(session, person)
        if case is not None:
            out = [o for o in self.desk.end_by_person(session, person, case.language, case) if o.chat_id != person.chat_id]
            self.desk.resumed.clear()  # the conversation is deleted below; nothing to resume
        sender = person.pseudonym
        session.execute(delete(Inbound).where(Inbound.person_id == person.id))
        session.delete(person)
        self._tracker_sql("DELETE FROM events WHERE sender_id = :sender", sender=sender)
        return out

    def _tracker_sql(self, statement: str, **params: Any) -> None:
        """Run a DELETE on Rasa's SQL tracker store (the `events` table Rasa creates)."""
        if not self._settings.tracker_db_url:
            return
        from common.db import make_engine

        engine = make_engine(self._settings.tracker_db_url)
        try:
            with engine.begin() as connection:
                connection.execute(text(statement), params)
        except OperationalError as error:  # no conversation stored yet: nothing to delete
            logger.info("tracker store has no events table yet: %s", error.__class__.__name__)
        finally:
            engine.dispose()

    def purge_expired(self, now: dt.datetime | None = None) -> int:
        """Retention: delete people not seen for `retention_days` (rows and conversation), and every tracker
        event older than that. Returns how many people were deleted. Run hourly by the bot's job queue."""
        cutoff = (now or utcnow()) - dt.timedelta(days=self._settings.retention_days)
        with self._sessions.begin() as session:
            expired = session.scalars(
                select(Person).where(func.coalesce(Person.last_seen_at, Person.created_at) < cutoff)
            ).all()
            for person in expired:
                self._erase(session, person)
            session.execute(delete(RelayMessage).where(RelayMessage.created_at < cutoff))
        self._tracker_sql("DELETE FROM events WHERE timestamp < :cutoff", cutoff=cutoff.timestamp())
        return len(expired)

    def check_waiting(self) -> List[Outgoing]:
        """People waiting for a mentor longer than HANDOFF_TIMEOUT hear honestly that nobody is free (a job)."""
        with self._sessions.begin() as session:
            return self.desk.check_waiting(session)

    def record_notification(self, notification_id: int, message_id: int) -> None:
        """Remember which Telegram message showed a request to a mentor (to mark it "taken" later)."""
        with self._sessions.begin() as session:
            self.desk.record_notification(session, notification_id, message_id)

    async def retry_pending(self, limit: int = 50) -> List[Outgoing]:
        """Answer messages kept while Rasa was down, oldest first (called by a repeating job). A message left
        `processing` longer than `STALE_CLAIM` (its worker died) is taken up again."""
        out: List[Outgoing] = []
        with self._sessions() as session:
            session.execute(
                update(Inbound)
                .where(Inbound.status == "processing", Inbound.claimed_at < utcnow() - STALE_CLAIM)
                .values(status="pending")
            )
            session.commit()
            people = session.scalars(
                select(Person).where(Person.id.in_(
                    select(Inbound.person_id).where(Inbound.status == "pending").order_by(Inbound.id).limit(limit)
                ))
            ).all()
            for person in people:
                out += await self._process_pending(session, person, announce_down=False)
                if session.scalar(select(Inbound.id).where(Inbound.person_id == person.id, Inbound.status == "pending")):
                    break  # Rasa is still down: try again later
            session.commit()
        return out


def country_of_location(latitude: float, longitude: float) -> str | None:
    """DK or DE from a shared location (rough boxes; the border strip is decided by latitude)."""
    in_dk = 54.55 <= latitude <= 57.8 and 8.0 <= longitude <= 15.3
    in_de = 47.2 <= latitude <= 55.1 and 5.8 <= longitude <= 15.1
    if in_dk and in_de:
        return "DK" if latitude >= 54.85 else "DE"
    return "DK" if in_dk else "DE" if in_de else None

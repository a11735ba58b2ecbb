"""Where each update goes: a mentor's to the hand-off desk; a person's to a command, the consent flow, the mentor of
their open case, or the durable inbox and Rasa. Every input gets a reply in the person's language.

Telegram handlers (bot.telegram) and the terminal chat (bot.local_chat) translate their input into `Incoming` and
send the `Outgoing` replies; tests call these functions directly. Database work runs in threads (`Database`), each
step in a short transaction of its own, so no write lock is held while waiting for Rasa.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Iterable, List, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import outbox
from bot.appointments import flow as appointments
from bot.appointments import schedule
from bot.config import Settings
from bot.exchange import Incoming, Outgoing
from bot.frontend import commands, inbox, people
from bot.frontend.bridge import MAX_TEXT, PersonView, RasaBridge, learn
from bot.frontend.database import Database
from bot.frontend.guard import FloodGuard, LanguageMemory
from bot.frontend.inbox import Inbox, Kept
from bot.frontend.privacy import Privacy
from bot.handoff.desk import Desk
from bot.handoff.requests import OPEN
from bot.rasa_client import RasaClient
from common import content, contract, pickers, safety
from common.db.models import Handoff, Inbound, Person, utcnow
from common.i18n import translate
from common.strings import assistant as assistant_messages
from common.strings import mentor as handoff_messages
from common.strings import person as messages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Arrival:
    """A person's update after the first database step: who they are and what state they are in."""

    person_id: int
    view: PersonView
    lang: str
    consented: bool
    case_id: int | None
    case_waiting: bool = False  # the open case waits for a mentor (nobody has claimed it yet)


class FrontEnd:
    """One instance per process; stateless apart from the database and bounded per-person limits."""

    def __init__(self, sessions: sessionmaker[Session], rasa: RasaClient, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(sessions)
        self.bridge = RasaBridge(rasa)
        self.desk = Desk.from_settings(settings)
        self.inbox = Inbox(self.db)
        self.privacy = Privacy(self.desk, settings.tracker_url, settings.retention_days)
        self.timing = schedule.Timing.from_settings(settings)
        self._flood = FloodGuard(settings.flood_messages, settings.flood_seconds)
        self._languages = LanguageMemory()

    async def close(self) -> None:
        """Close the HTTP connections to Rasa and the database threads (at shutdown)."""
        await self.bridge.rasa.close()
        self.db.close()

    # --- entry points -----------------------------------------------------------------------------------------
    async def handle(self, incoming: Incoming) -> List[Outgoing]:
        """Everything a person or mentor sends (but buttons) comes through here; the replies to send, in order."""
        first = await self.db.transaction(self._arrive, incoming)
        if not isinstance(first, Arrival):  # handled entirely in the database step (a duplicate, a mentor, an invite)
            await self.resume_closed()  # a mentor may have ended a case
            return first
        flood = self._flood.check(first.person_id)
        if flood is not None:  # a polite notice once per burst, then a clean ignore until it calms down
            return [self._say(first, messages.FLOOD)] if flood else []
        self._languages.remember(first.view.chat_id, first.view.language or first.lang)
        if incoming.kind == "command":
            return await commands.run(self, first, (incoming.text or "").strip(), incoming)
        if not first.consented:
            return await self._before_consent(first, incoming)
        return await self._after_consent(first, incoming)

    async def press(self, incoming: Incoming) -> List[Outgoing]:
        """A button press (callback data in `incoming.text`). Callback data only says what was pressed, never
        who may act: that is decided from the presser's own identity (mentor or person) every time."""
        first = await self.db.transaction(self._arrive_press, incoming)
        if not isinstance(first, Arrival):
            await self.resume_closed()
            return first
        kind, _, value = incoming.text.partition(":")
        if kind == "l" and value in content.languages() and first.case_id is None:
            self._languages.remember(first.view.chat_id, value)
            out = await self.relay(first.person_id, contract.choose_language(value), incoming.language_hint, value)
            country = await self.db.transaction(lambda s: s.get(Person, first.person_id).country)
            if not country:
                out.append(people.say(first.view.chat_id, value, messages.CHOOSE_COUNTRY, people.country_buttons(value)))
            return out
        if kind == "k" and value in content.COUNTRIES and first.case_id is None:
            out = await self.relay(first.person_id, contract.inform_country(value), incoming.language_hint, first.lang)
            if out and not out[-1].buttons:  # offer the topics right under the confirmation
                out[-1].buttons = people.topic_buttons(first.lang)
                return out
            return out + [self._say(first, messages.READY, people.topic_buttons(first.lang))]
        if kind == "t" and value in pickers.TOPIC_ORDER:
            return await self.relay(first.person_id, contract.topic(value), incoming.language_hint, first.lang)
        if kind == "r" and value.startswith("/"):
            return await self.relay(first.person_id, value, incoming.language_hint, first.lang)
        if kind == "a":  # "I need help" under an appointment reminder or follow-up (the rest is answered in _arrive_press)
            return await self.start_handoff(first.person_id, "appointment")
        return [self._say(first, messages.UNKNOWN_BUTTON)]

    # --- the first database step -------------------------------------------------------------------------------
    def _arrive(self, session: Session, incoming: Incoming) -> Arrival | List[Outgoing]:
        if incoming.update_id and session.scalar(select(Inbound.id).where(Inbound.update_id == incoming.update_id)):
            return []  # Telegram delivers at least once: this update was handled already
        text = (incoming.text or "").strip()
        if incoming.kind == "command" and text.lower().startswith("/start "):
            registered = self.desk.register(session, incoming, text.split(maxsplit=1)[1].strip())
            if registered is not None:
                return registered
        mentor = self.desk.mentor_of(session, incoming.user_id)
        if mentor is not None:
            return self.desk.from_mentor(session, mentor, incoming)
        person = people.find_or_create(session, self.settings.pseudonym_key, incoming.user_id, incoming.chat_id)
        lang = people.lang_of(person, text, incoming.language_hint, self.settings.default_language)
        if person.language is None:
            person.language = lang
        return self._arrival(session, person, lang)

    def _arrive_press(self, session: Session, incoming: Incoming) -> Arrival | List[Outgoing]:
        """Buttons that only change the database are answered here; the rest continue on the event loop."""
        mentor = self.desk.mentor_of(session, incoming.user_id)
        if mentor is not None:
            return self.desk.mentor_press(session, mentor, incoming.text)
        person = people.find_or_create(session, self.settings.pseudonym_key, incoming.user_id, incoming.chat_id)
        lang = people.lang_of(person, "", incoming.language_hint, self.settings.default_language)
        kind, _, value = incoming.text.partition(":")
        if kind == "c":
            if value == "yes":
                person.consent_at = utcnow()
                return [people.say(person.chat_id, lang, messages.CONSENT_GIVEN, people.language_buttons())]
            return [people.say(person.chat_id, lang, messages.CONSENT_REFUSED)]
        if kind == "d":
            if value == "yes":
                chat_id, rtl = person.chat_id, content.languages()[lang].rtl
                told = self.privacy.erase(session, person)
                return [Outgoing(chat_id, translate(lang, messages.DELETE_DONE), rtl=rtl)] + told
            return [people.say(person.chat_id, lang, assistant_messages.DELETE_CANCELLED)]
        if person.consent_at is None:
            return [people.consent_prompt(person.chat_id, lang, self.settings.retention_days)]
        if kind == "g":
            return self.desk.rate(session, person, lang, value) or [people.say(person.chat_id, lang, messages.UNKNOWN_BUTTON)]
        if kind == "a":  # appointments work during a mentor chat too (a mentor's reminder is confirmed there)
            pressed = appointments.press(session, appointments.Moment(person, lang, self.timing, utcnow()), value)
            if isinstance(pressed, appointments.Help):
                return self._arrival(session, person, lang)
            return pressed or [people.say(person.chat_id, lang, messages.UNKNOWN_BUTTON)]
        if self.desk.open_case(session, person) is not None:  # Rasa is paused: pickers change settings, topics wait
            if kind == "l" and value in content.languages():
                person.language, person.language_chosen, lang = value, True, value
            elif kind == "k" and value in content.COUNTRIES:
                person.country = value
            return [people.say(person.chat_id, lang, handoff_messages.IN_MENTOR_CHAT)]
        if kind == "l" and value in content.languages():
            person.language, person.language_chosen = value, True
        if kind == "k" and value in content.COUNTRIES:
            person.country = value
        return self._arrival(session, person, lang)

    def _arrival(self, session: Session, person: Person, lang: str) -> Arrival:
        case = self.desk.open_case(session, person)
        return Arrival(person.id, PersonView.of(person), lang, person.consent_at is not None, case.id if case else None,
                       case is not None and case.status == "waiting")

    # --- a person's message ------------------------------------------------------------------------------------
    async def _before_consent(self, first: Arrival, incoming: Incoming) -> List[Outgoing]:
        """Nothing is stored before consent, but danger is never left unanswered."""
        out: List[Outgoing] = []
        if incoming.kind == "text" and incoming.text.strip():
            intent = await self.bridge.intent(incoming.text)
            if intent == "crisis":
                out.append(self._text(first, safety.crisis_reply(first.lang, None)))
            elif intent == "emergency":
                out.append(self._text(first, safety.emergency_reply(first.lang)))
        out.append(people.consent_prompt(first.view.chat_id, first.lang, self.settings.retention_days))
        return out

    async def _after_consent(self, first: Arrival, incoming: Incoming) -> List[Outgoing]:
        kind = incoming.kind
        if first.case_id is not None and kind != "edited":
            return await self._during_handoff(first, incoming)
        if kind in ("voice", "audio", "video_note"):
            return [self._say(first, messages.UNSUPPORTED_VOICE)]
        if kind == "sticker":
            return [self._say(first, messages.UNSUPPORTED_STICKER)]
        if kind == "edited":
            return [self._say(first, messages.EDITED)]
        if kind == "location" and incoming.location:
            country = people.country_of_location(*incoming.location)
            if country is None:
                return [self._say(first, messages.LOCATION_UNKNOWN, people.country_buttons(first.lang))]
            await self.db.transaction(_set_country, first.person_id, country)
            name = pickers.country_name(first.lang, country)
            return [self._say(first, messages.LOCATION_COUNTRY, country_name=name)]
        if kind != "text":
            return [self._say(first, messages.UNSUPPORTED_MEDIA)]
        text = incoming.text.strip()
        if not any(ch.isalpha() or ch.isdigit() for ch in text):
            return [self._say(first, messages.EMPTY_TEXT)]
        out: List[Outgoing] = []
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
            out.append(self._say(first, messages.TOO_LONG))
        await self.db.transaction(_store, first.person_id, incoming.update_id, "text", text)  # stored before processed
        return out + await self.process_pending(first.person_id, announce_down=True)

    async def _during_handoff(self, first: Arrival, incoming: Incoming) -> List[Outgoing]:
        """The hand-off state, not Rasa, decides: the message goes to the mentor (or waits for one). Rasa classifies
        it (`/model/parse` stores nothing), so that a crisis still reaches the crisis layer; and while the person waits
        for a mentor, a navigation question is answered too (waiting is not a dead end)."""
        await self.db.transaction(_store, first.person_id, incoming.update_id, incoming.kind, None, "relayed")
        out: List[Outgoing] = []
        text = incoming.text.strip() if incoming.kind == "text" else ""
        intent = await self.bridge.intent(text) if text else None
        crisis = intent == "crisis"
        if crisis:
            out.append(self._text(first, safety.crisis_reply(first.lang, first.view.country, first.view.region)))
        if incoming.kind == "text" and not text:
            return out + [self._say(first, messages.EMPTY_TEXT)]
        relayed = Incoming(**{**incoming.__dict__, "text": text[:MAX_TEXT]})

        def to_mentor(session: Session) -> List[Outgoing]:
            person, case = session.get(Person, first.person_id), session.get(Handoff, first.case_id)
            if person is None or case is None:
                return []
            escalated = self.desk.escalate(session, case, first.lang) if crisis and not case.urgent else []
            return escalated + self.desk.from_person(session, person, first.lang, case, relayed)

        kept = await self.db.transaction(to_mentor)
        if first.case_waiting and intent in pickers.TOPIC_ORDER:
            answer = await self._answer_while_waiting(first, text)
            if answer:  # the answer instead of "kept for the mentor"; the mentor still gets the message
                answer[-1].text += "\n\n" + translate(first.lang, handoff_messages.WHILE_WAITING)
                return out + [o for o in kept if o.chat_id != first.view.chat_id] + answer
        return out + kept

    async def _answer_while_waiting(self, first: Arrival, text: str) -> List[Outgoing]:
        """A navigation question while waiting for a mentor: Rasa answers it (the paused conversation is resumed for
        this one message, then paused again). Nothing if Rasa is unavailable: the person still hears it is kept."""
        try:
            said = await self.bridge.send(first.view, text[:MAX_TEXT])
        except inbox.RasaUnavailable:
            return []
        finally:
            if first.view.paused:
                await self.bridge.event(first.view.pseudonym, "pause")
        return said.shown(first.view.chat_id, first.lang) if not said.signals.acts else []

    async def process_pending(self, person_id: int, announce_down: bool) -> List[Outgoing]:
        """Send the person's kept messages to Rasa, oldest first. If Rasa is down they stay kept and, when
        `announce_down`, the person hears so."""
        view = await self.db.transaction(lambda s: _view(s, person_id))
        if view is None:
            return []

        async def answer(kept: Kept) -> tuple[List[Outgoing], bool]:
            current = await self.db.transaction(lambda s: _view(s, person_id)) or view
            said = await self.bridge.send(current, kept.text)
            if not said.replies and not said.signals.acts and kept.may_retry_empty:
                # Rasa answered nothing: its action server is down or stalled (the REST channel then returns an
                # empty list). Keep the message and try again, like when Rasa itself is down.
                raise inbox.RasaUnavailable("no reply from Rasa (action server down?)")
            lang = await self.db.transaction(_settle, person_id, kept.id, said.signals.state)
            replies = said.shown(current.chat_id, lang) or self._no_answer(current.chat_id, lang, said.signals)
            acted, stop = await self.act_on(person_id, said.signals, lang)
            if not stop:
                stop = await self.db.transaction(self._to_open_case, person_id)
            return replies + acted, stop

        async def down() -> List[Outgoing]:
            return [self._text_to(view.chat_id, view.language or "en", messages.RASA_DOWN)] if announce_down else []

        return await self.inbox.process(person_id, answer, down)

    def _to_open_case(self, session: Session, person_id: int) -> bool:
        """A case is open now: later kept messages belong to the mentor (True: stop sending them to Rasa)."""
        person = session.get(Person, person_id)
        case = self.desk.open_case(session, person) if person is not None else None
        if case is None:
            return person is None
        inbox.to_case(session, person_id, case.id)
        return True

    @staticmethod
    def _no_answer(chat_id: int, lang: str, signals: contract.Signals) -> List[Outgoing]:
        """Rasa answered nothing (its REST channel returns an empty list when an action or component fails):
        never silence — ask to rephrase, unless an action asked the front end to act instead."""
        if signals.acts:
            return []
        logger.error("Rasa returned no reply for a message")
        return [FrontEnd._text_to(chat_id, lang, assistant_messages.FALLBACK_FIRST)]

    async def relay(self, person_id: int, payload: str, hint: str | None, lang: str) -> List[Outgoing]:
        """A button's intent payload straight to Rasa (buttons are not kept: if Rasa is down, press it again)."""
        view = await self.db.transaction(lambda s: _view(s, person_id))
        if view is None:
            return []
        try:
            said = await self.bridge.send(view, payload, hint)
        except inbox.RasaUnavailable:
            return [self._text_to(view.chat_id, lang, messages.RASA_DOWN)]
        settled = await self.db.transaction(_settle, person_id, None, said.signals.state)
        out = said.shown(view.chat_id, settled)
        if not out and not said.signals.acts:
            return [self._text_to(view.chat_id, lang, messages.TRY_AGAIN)]
        acted, _ = await self.act_on(person_id, said.signals, settled)
        return out + acted

    async def act_on(self, person_id: int, signals: contract.Signals, lang: str) -> tuple[List[Outgoing], bool]:
        """Do what the actions asked for; returns the replies and whether the person's messages stop going to
        Rasa (erased, or handed to a mentor)."""
        if signals.erase:
            return await self.db.transaction(self._erase_by_id, person_id), True
        out: List[Outgoing] = []
        if signals.remind is not None:  # "remind me, dentist Tuesday 10:30": read and repeated back, not yet saved
            out += await self.db.transaction(self._remind, person_id, lang, signals.remind)
        for reason in signals.handoff_reasons:
            out += await self.start_handoff(person_id, reason)
        return out, False

    def _remind(self, session: Session, person_id: int, lang: str, words: str) -> List[Outgoing]:
        person = session.get(Person, person_id)
        if person is None:
            return []
        return appointments.remind(session, appointments.Moment(person, lang, self.timing, utcnow()), words)

    def _erase_by_id(self, session: Session, person_id: int) -> List[Outgoing]:
        person = session.get(Person, person_id)
        return self.privacy.erase(session, person) if person is not None else []

    async def start_handoff(self, person_id: int, reason: str) -> List[Outgoing]:
        """Open a case with a short summary for the mentor, and pause the Rasa conversation."""
        view = await self.db.transaction(lambda s: _view(s, person_id))
        if view is None:
            return []
        said = await self.bridge.said_before(view.pseudonym)
        topics = [e["intent"] for e in said if e["intent"] in assistant_messages.TOPIC_TITLES]
        texts = [e["text"] for e in said if e["text"] and not e["text"].startswith("/")]

        def request(session: Session) -> List[Outgoing]:
            person = session.get(Person, person_id)
            if person is None:
                return []
            person.rasa_paused = True
            return self.desk.request(session, person, person.language or "en", reason, topics=topics, summary=texts)

        out = await self.db.transaction(request)
        await self.bridge.event(view.pseudonym, "pause")
        return out

    async def resume_closed(self) -> None:
        """Resume the Rasa conversations of people whose case has closed (by their mentor, by them, by staff in the
        admin): from database state, so it does not matter which process or instance closed the case."""
        for person_id, sender in await self.db.transaction(_paused_without_case):
            if await self.bridge.event(sender, "resume"):
                await self.db.transaction(_resumed, person_id)

    # --- jobs (their replies go through the outbox) ------------------------------------------------------------
    async def retry_pending(self, limit: int = 50) -> List[Outgoing]:
        """Answer messages kept while Rasa was down, oldest first (a repeating job). A message left `processing`
        longer than `inbox.STALE_CLAIM` (its worker died) is taken up again."""
        out: List[Outgoing] = []
        await self.resume_closed()  # cases closed elsewhere (admin, CLI, another instance)
        for person_id in await self.inbox.people_waiting(limit):
            out += await self.process_pending(person_id, announce_down=False)
            if await self.inbox.has_pending(person_id):
                break  # Rasa is still down: try again later
        return out

    def check_waiting(self) -> List[Outgoing]:
        """People waiting for a mentor longer than HANDOFF_TIMEOUT hear honestly that nobody is free."""
        with self.db.sessions.begin() as session:
            return self.desk.check_waiting(session)

    def run_reminders(self, now: dt.datetime | None = None) -> int:
        """Appointment reminders (a repeating job): the due steps, claimed once across instances, into the outbox."""
        with self.db.sessions.begin() as session:
            return schedule.run_due(session, now or utcnow())

    def purge_expired(self, now: dt.datetime | None = None) -> int:
        """Retention (hourly job): returns how many people were deleted; their mentors are told via the outbox."""
        with self.db.sessions.begin() as session:
            deleted, told = self.privacy.purge_expired(session, now)
            outbox.put(session, told)
        return deleted

    def record_notification(self, notification_id: int, message_id: int) -> None:
        """Remember which Telegram message showed a request to a mentor (to mark it "taken" later)."""
        with self.db.sessions.begin() as session:
            self.desk.record_notification(session, notification_id, message_id)

    def language_of_chat(self, chat_id: int) -> str | None:
        """The last language a chat was answered in (for the error reply when the database itself fails)."""
        return self._languages.get(chat_id)

    def remember_language(self, chat_id: int, lang: str) -> None:
        self._languages.remember(chat_id, lang)

    # --- small helpers -----------------------------------------------------------------------------------------
    @staticmethod
    def _text_to(chat_id: int, lang: str, message: str, buttons: Iterable[Tuple[str, str]] = (), **values: Any) -> Outgoing:
        return Outgoing(chat_id, translate(lang, message, values), list(buttons), content.languages()[lang].rtl)

    def _say(self, first: Arrival, message: str, buttons: Iterable[Tuple[str, str]] = (), **values: Any) -> Outgoing:
        return self._text_to(first.view.chat_id, first.lang, message, buttons, **values)

    @staticmethod
    def _text(first: Arrival, text: str) -> Outgoing:
        return Outgoing(first.view.chat_id, text, [], content.languages()[first.lang].rtl)


def _paused_without_case(session: Session, limit: int = 100) -> List[tuple[int, str]]:
    """People whose Rasa conversation is paused but who have no open case any more."""
    open_case = select(Handoff.id).where(Handoff.person_id == Person.id, Handoff.status.in_(OPEN))
    rows = session.execute(select(Person.id, Person.pseudonym).where(Person.rasa_paused.is_(True), ~open_case.exists())
                           .limit(limit)).all()
    return [(row[0], row[1]) for row in rows]


def _resumed(session: Session, person_id: int) -> None:
    person = session.get(Person, person_id)
    if person is not None:
        person.rasa_paused = False


def _view(session: Session, person_id: int) -> PersonView | None:
    person = session.get(Person, person_id)
    return PersonView.of(person) if person is not None else None


def _set_country(session: Session, person_id: int, country: str) -> None:
    person = session.get(Person, person_id)
    if person is not None:
        person.country = country


def _store(session: Session, person_id: int, update_id: int, kind: str, text: str | None, status: str = "pending") -> None:
    person = session.get(Person, person_id)
    if person is not None:
        inbox.store(session, person, update_id, kind, text, status)


def _settle(session: Session, person_id: int, inbound_id: int | None, state: object) -> str:
    """After Rasa answered: the message is done, the settled language and country are kept (and Rasa is no longer
    paused: a message just went through). Returns the language to render in."""
    if inbound_id is not None:
        inbox.done(session, inbound_id)
    person = session.get(Person, person_id)
    if person is None:
        return "en"
    learn(person, state)
    person.rasa_paused = False
    return person.language or "en"

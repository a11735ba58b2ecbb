"""The Rasa bridge: what the front end sends Rasa with a message, and what it learns and renders from the reply.

Actions ask the front end to act through the payload contract (common.contract): connect a mentor, erase, and
the language and country the turn settled. A conversation paused for a hand-off is resumed before the next
message goes to Rasa (the person's `rasa_paused` flag), whichever instance or process closed the case.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List

from bot.exchange import Outgoing
from bot.rasa_client import RasaClient, RasaReply, RasaUnavailable
from common import content, contract, knowledge, places
from common.db.models import Person

logger = logging.getLogger(__name__)

CALLBACK_LIMIT = 64  # Telegram's callback_data limit, in bytes
MAX_TEXT = 2000  # longer messages are cut: the NLU does not need more, and Rasa stores what it gets


@dataclass
class Said:
    """What Rasa answered to one message: the replies to show and what the actions asked for."""

    replies: List[RasaReply] = field(default_factory=list)
    signals: contract.Signals = field(default_factory=contract.Signals)

    def shown(self, chat_id: int, lang: str) -> List[Outgoing]:
        return render(chat_id, self.replies, lang)


@dataclass(frozen=True)
class PersonView:
    """What the bridge needs of a person (read in the database thread, used on the event loop)."""

    pseudonym: str
    chat_id: int
    language: str | None
    language_chosen: bool
    country: str | None
    paused: bool
    region: str | None = None

    @classmethod
    def of(cls, person: Person) -> PersonView:
        return cls(person.pseudonym, person.chat_id, person.language, person.language_chosen, person.country,
                   person.rasa_paused, person.region)


class RasaBridge:
    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa

    async def send(self, person: PersonView, text: str, hint: str | None = None) -> Said:
        """One message to Rasa; raises RasaUnavailable when Rasa does not answer."""
        if person.paused:
            await self.event(person.pseudonym, "resume")
        metadata = contract.Metadata(
            language=person.language if person.language_chosen else None, country=person.country,
            language_hint=hint, handoff=True,  # this front end connects people with mentors itself
        )
        replies = await self.rasa.send(person.pseudonym, text, metadata.to_dict())
        signals = contract.Signals.read(reply.custom for reply in replies)
        if signals.state is None:  # an older action server: ask for the slots
            try:
                state: Dict[str, Any] = await self.rasa.slots(person.pseudonym)
            except RasaUnavailable:
                state = {}
            signals = contract.Signals(signals.handoff_reasons, signals.erase, state)
        return Said([reply for reply in replies if reply.text or reply.buttons], signals)

    async def intent(self, text: str) -> str | None:
        """Classify without storing anything (`/model/parse`): for the crisis layer before consent and during a
        hand-off, when the message must not go into the Rasa conversation. None if Rasa is unavailable."""
        try:
            parsed = await self.rasa.parse(text[:MAX_TEXT])
        except RasaUnavailable:
            return None
        return (parsed.get("intent") or {}).get("name")

    async def said_before(self, sender: str) -> List[Dict[str, Any]]:
        """The person's messages in this conversation (for a mentor's summary); empty if Rasa is unavailable."""
        try:
            return await self.rasa.user_events(sender)
        except RasaUnavailable:
            return []

    async def event(self, sender: str, event: str) -> bool:
        """Pause or resume the conversation in Rasa; False if Rasa did not take it."""
        try:
            await self.rasa.append_event(sender, event)
            return True
        except RasaUnavailable as error:  # the database decides where messages go; Rasa's flag follows
            logger.warning("could not %s the Rasa conversation: %s", event, error.__class__.__name__)
            return False


def learn(person: Person, state: Any) -> None:
    """Take over the language, country, region and residence situation the actions settled on."""
    if not isinstance(state, dict):
        return
    if state.get("language") in content.languages():
        person.language = state["language"]
        person.language_chosen = bool(state.get("language_chosen")) or person.language_chosen
    if state.get("country") in content.COUNTRIES:
        person.country = state["country"]
    if "region" in state:
        region = state["region"]
        person.region = region if places.area(person.country, region) is not None else None
    if "residence" in state:
        residence = state["residence"]
        person.residence = residence if residence in knowledge.RESIDENCES.get(person.country or "", ()) else None


def render(chat_id: int, replies: List[RasaReply], lang: str) -> List[Outgoing]:
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
        out.append(Outgoing(chat_id, reply.text, buttons, content.languages()[lang].rtl))
    return out

"""Shared behaviour of every reply: which language and country, and how a reply is rendered.

All replies are rendered here through the gettext catalogs (common.i18n), never hard-coded per action.
"""
from __future__ import annotations

import abc
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from common import content, content_store, contract, knowledge, language, pickers, places
from common.i18n import translate
from common.strings import assistant as messages

SLOT_LANGUAGE = "language"
SLOT_LANGUAGE_CHOSEN = "language_chosen"
SLOT_COUNTRY = "country"
SLOT_PENDING_TOPIC = "pending_topic"
SLOT_PENDING_OFFER = "pending_offer"
OFFER_SAFETY = "safety"  # see actions.safety
SLOT_MISSES = "misses"
SLOT_CITY = "city"
SLOT_REGION = "region"  # the area of common.places (DK: capital, zealand, south, central, north; DE: the Land)
SLOT_RESIDENCE = "residence"  # the residence situation where it changes rights (common.knowledge.RESIDENCES)
SLOT_PREVIOUS_COUNTRY = "previous_country"  # the country before a town switched it (asked once: keep it?)
OFFER_KEEP_COUNTRY = "keep_country"
# the service directory's kinds listed under a topic's answer (common.content_store.Place)
DIRECTORY_KINDS = {"find_gp": "gp", "out_of_hours": "out_of_hours", "interpreter": "interpreter",
                   "mental_health_services": "psychosocial", "social_services": "social_services"}
# topics whose answers offer a peer mentor: letters from the authorities, benefits, psychological help
COMPLEX_TOPICS = {"social_services", "mental_health_services"}


@dataclass
class Turn:
    """What one action needs to answer: the person's language and country, and the slots to set."""

    tracker: Tracker
    dispatcher: CollectingDispatcher
    lang: str
    country: str | None
    events: List[EventType] = field(default_factory=list)
    front_end_hands_off: bool = False  # the Telegram front end connects people with mentors itself
    region: str | None = None
    residence: str | None = None
    town: places.Town | None = None  # the town this message names
    switched_from: str | None = None  # the stored country, when the town named here is in the other one

    @classmethod
    def from_tracker(cls, tracker: Tracker, dispatcher: CollectingDispatcher) -> Turn:
        metadata = contract.Metadata.from_dict(tracker.latest_message.get("metadata"))
        text = tracker.latest_message.get("text") or ""
        events: List[EventType] = []
        chosen = tracker.get_slot(SLOT_LANGUAGE) if tracker.get_slot(SLOT_LANGUAGE_CHOSEN) else None
        if metadata.language in content.languages():
            # the front end (Telegram picker, /language) passes an explicit choice
            chosen = metadata.language
            events.append(SlotSet(SLOT_LANGUAGE_CHOSEN, True))
        lang = language.resolve(
            text="" if text.startswith("/") else text,
            chosen=chosen,
            current=tracker.get_slot(SLOT_LANGUAGE),
            hint=metadata.language_hint,
        )
        if lang != tracker.get_slot(SLOT_LANGUAGE):
            events.append(SlotSet(SLOT_LANGUAGE, lang))
        country = metadata.country if metadata.country in content.COUNTRIES else None
        country = country or tracker.get_slot(SLOT_COUNTRY)
        region = tracker.get_slot(SLOT_REGION)
        town = places.town_in_text(text) if not text.startswith("/") else None
        switched_from = None
        if town is not None:  # the answer follows the town; a change of country is asked about once
            if country and town.country != country:
                switched_from = country
            country, region = town.country, town.area
        elif not text.startswith("/"):
            named = content.country_in_text(text)
            if named and named != country:
                country, region = named, None
        if region and places.area(country, region) is None:  # a region of the other country
            region = None
        if country != tracker.get_slot(SLOT_COUNTRY):
            events.append(SlotSet(SLOT_COUNTRY, country))
        if region != tracker.get_slot(SLOT_REGION):
            events.append(SlotSet(SLOT_REGION, region))
        return cls(tracker=tracker, dispatcher=dispatcher, lang=lang, country=country, events=events,
                   front_end_hands_off=metadata.handoff, region=region,
                   residence=tracker.get_slot(SLOT_RESIDENCE), town=town, switched_from=switched_from)

    def t(self, message: str, **values: Any) -> str:
        return translate(self.lang, message, values)

    def hand_off(self, reason: str) -> None:
        """Ask the front end to connect the person with a peer mentor (a custom payload it acts on)."""
        self.dispatcher.utter_message(json_message=contract.handoff_signal(reason))

    def say(self, message: str, buttons: List[Dict[str, str]] | None = None, **values: Any) -> None:
        """Send one translated message, with optional buttons."""
        self.dispatcher.utter_message(
            text=self.t(message, **values),
            buttons=buttons or [],
        )

    def yes_no_buttons(self) -> List[Dict[str, str]]:
        return [{"title": self.t(messages.YES), "payload": contract.AFFIRM}, {"title": self.t(messages.NO), "payload": contract.DENY}]

    def country_buttons(self) -> List[Dict[str, str]]:
        return [{"title": title, "payload": contract.inform_country(code)} for title, code in pickers.countries(self.lang)]

    def language_buttons(self) -> List[Dict[str, str]]:
        return [{"title": name, "payload": contract.choose_language(code)} for name, code in pickers.languages()]

    def country_name(self, country: str) -> str:
        return pickers.country_name(self.lang, country)

    def numbers(self) -> Dict[str, str]:
        """The values of the answers' placeholders: the country's numbers and the person's region's."""
        assert self.country is not None
        return knowledge.values(self.country, self.region)

    def source_line(self, name: str, url: str, checked: dt.date | None) -> str:
        return knowledge.source_line(self.lang, name, url, checked)

    def region_buttons(self) -> List[Dict[str, str]]:
        assert self.country is not None
        return [{"title": self.t(a.button), "payload": contract.inform_region(a.code)}
                for a in places.region_areas(self.country) if a.button]

    def answer_topic(self, topic: str) -> bool:
        """Send the country's answer for a topic with its source; False if there is none."""
        country = self.country
        answer = content.answer(topic, country) if country else None
        if country is None or answer is None:
            return False
        store = content_store.current()
        published = store.answer(topic, country, self.lang) if store else None
        if published is not None:  # edited and published by staff in the web admin
            body = content.fill(published.text, country)
            source = self.t(messages.SOURCE, name=published.source_name, url=published.source_url)
        else:
            body = self.t(answer.text, **self.numbers())
            source = self.source_line(answer.source_name, answer.source_url, answer.checked)
        buttons = []
        if topic in COMPLEX_TOPICS:  # cases an FAQ rarely solves: a person is one tap away
            buttons = [{"title": self.t(messages.TALK_TO_MENTOR), "payload": contract.REQUEST_MENTOR}]
        places = self.places(topic)
        self.dispatcher.utter_message(text=f"{body}\n\n{source}" + (f"\n\n{places}" if places else ""), buttons=buttons)
        return True

    def places(self, topic: str) -> str:
        """Places from the service directory for this topic in the person's town (or how to ask for them)."""
        store = content_store.current()
        kind = DIRECTORY_KINDS.get(topic)
        if store is None or kind is None or self.country is None:
            return ""
        text = self.tracker.latest_message.get("text") or ""
        city = store.city_in_text(text, self.country) or self.tracker.get_slot(SLOT_CITY)
        if city and city != self.tracker.get_slot(SLOT_CITY):
            self.events.append(SlotSet(SLOT_CITY, city))
        places = store.places(kind, self.country, city, self.lang) if city else []
        if not places:
            towns = sorted({p.city for p in store.all_places() if p.kind == kind and p.country == self.country})
            if not towns:
                return ""
            example = f"{self.t(messages.TOPIC_TITLES[topic])} {towns[0]}"
            return self.t(messages.PLACES_ASK_CITY, example=example)
        lines = [self.t(messages.PLACES_IN, city=city)]
        for place in places[:5]:
            parts = [place.name, place.address, f"☎ {place.phone}" if place.phone else "", place.opening_hours]
            spoken = [content.languages()[code].name for code in place.languages if code in content.languages()]
            if spoken:
                parts.append(self.t(messages.PLACES_SPEAKS, languages=", ".join(spoken)))
            lines.append("• " + " — ".join(part for part in parts if part) + (f"\n  {place.url}" if place.url else ""))
        return "\n".join(lines)


class LocalizedAction(Action, abc.ABC):
    """An action that replies in the person's language; subclasses implement `respond`."""

    #: whether this reply means the assistant understood the person (resets the misunderstanding count)
    understood: bool = True
    #: whether this action answers an open "are you safe right now?" (others ask it again: never assumed safe)
    resolves_safety_question: bool = False

    @abc.abstractmethod
    def name(self) -> str:
        """Abstract: rasa-sdk does not register abstract actions."""

    @abc.abstractmethod
    def respond(self, turn: Turn) -> List[EventType]:
        """Send the reply and return extra events."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        turn = Turn.from_tracker(tracker, dispatcher)
        extra = self.respond(turn)
        if tracker.get_slot(SLOT_PENDING_OFFER) == OFFER_SAFETY and not self.resolves_safety_question:
            from actions.safety import ask_if_safe  # the safety question stays open until it is answered

            extra = [e for e in extra if not (isinstance(e, dict) and e.get("name") == SLOT_PENDING_OFFER)]
            extra += ask_if_safe(turn, messages.SAFETY_AGAIN)
        if self.understood and tracker.get_slot(SLOT_MISSES):
            extra.append(SlotSet(SLOT_MISSES, 0.0))
        if turn.front_end_hands_off:  # tell the front end what was settled, so it needs no second request for the slots
            chosen = any(isinstance(e, dict) and e.get("name") == SLOT_LANGUAGE_CHOSEN and e.get("value") for e in turn.events)
            dispatcher.utter_message(json_message=contract.state_signal(
                turn.lang, turn.country, chosen or bool(tracker.get_slot(SLOT_LANGUAGE_CHOSEN)),
                turn.region, turn.residence))
        return turn.events + extra


class StaticReply(LocalizedAction, abc.ABC):
    """A one-message reply that does not depend on the country."""

    message: str = ""

    def respond(self, turn: Turn) -> List[EventType]:
        turn.say(self.message)
        return []

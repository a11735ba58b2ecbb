"""Answer the question the person asked, for their situation: the knowledge base (common.knowledge), picked by
retrieval (common.retrieval), with the person's region, child/adult and residence situation.

A turn goes: which entry (or two close ones: ask with buttons; none: the topic leaflet) -> does its answer need
the region or the residence situation, and are they unknown (ask once, with buttons, and keep the entry waiting
in `pending_entry`) -> the variant that fits, with the region's numbers, its source and the date it was checked.
Follow-ups ("and how much does it cost?", "what about my child?", "and in Germany?") are read in the context of
the last answer (`last_entry`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List

from rasa_sdk.events import EventType, SlotSet

from actions.base import DIRECTORY_KINDS, SLOT_REGION, SLOT_RESIDENCE, Turn
from common import contract, i18n, knowledge, places, retrieval, situation
from common.strings import assistant as messages

SLOT_LAST_ENTRY = "last_entry"  # the entry answered last: the context of a follow-up
SLOT_PENDING_ENTRY = "pending_entry"  # an entry waiting for the region or the residence situation
SLOT_RESIDENCE_ASKED = "residence_asked"  # asked once; "skip" is remembered too (never asked again unasked)
SLOT_ABOUT_CHILD = "about_child"  # the last question was about a child (kept for its follow-ups)
FOLLOW_UP_WORDS = 7  # a message this short, after an answer, may lean on it


@dataclass(frozen=True)
class Pick:
    entry: knowledge.Entry | None = None
    close: tuple[knowledge.Entry, ...] = ()


def pick(turn: Turn, text: str, topic: str | None) -> Pick:
    """The entry that answers `text` in the person's country (or close ones to ask between)."""
    assert turn.country is not None
    index = retrieval.ready()
    if index is None:  # still being built (a few seconds after the action server starts): the leaflet answers
        return Pick()
    found = index.search(text, turn.country, topic)
    last = knowledge.entry(turn.tracker.get_slot(SLOT_LAST_ENTRY))
    if last is not None and situation.words(text) <= FOLLOW_UP_WORDS:
        if last.country != turn.country:  # "and in Germany?": the same question, in the other country
            same = knowledge.counterpart(last.id, turn.country)
            if same is not None and (found.best is None or situation.words(text) <= 4):
                return Pick(same)
        if situation.about_child(text) and (found.best is None or found.best.entry.id == last.id or last.child):
            return Pick(knowledge.entry(last.id) if last.country == turn.country else
                        knowledge.counterpart(last.id, turn.country))
        in_context = index.search(f"{last.title} {text}", turn.country, topic)
        if in_context.best and (found.best is None or in_context.best.score > found.best.score):
            found = in_context
    # the entries as they are now: an index swapped in a moment later may still hold one just retired or changed
    if found.close:
        return Pick(close=tuple(e for e in (knowledge.entry(m.entry.id) for m in found.close) if e is not None))
    return Pick(knowledge.entry(found.answer.id) if found.answer else None)


def live(entry: knowledge.Entry, lang: str) -> bool:
    """An entry answers in a language only once its answer is translated (else the leaflet, which is)."""
    return i18n.has_translation(lang, entry.answer)


def ask_between(turn: Turn, entries: tuple[knowledge.Entry, ...], topic: str | None) -> List[EventType]:
    buttons = [{"title": turn.t(e.title), "payload": contract.choose_entry(e.id)} for e in entries]
    buttons.append({"title": turn.t(messages.NONE_OF_THESE), "payload": contract.choose_entry("none")})
    places = turn.places(topic or entries[0].topic)  # places in the person's town help whichever they meant
    turn.dispatcher.utter_message(text=turn.t(messages.WHICH_QUESTION) + (f"\n\n{places}" if places else ""),
                                  buttons=buttons)
    return []


def answer(turn: Turn, entry: knowledge.Entry, about_child: bool, topic: str | None = None) -> List[EventType]:
    """Answer with the entry, or first ask for what its answer depends on."""
    if entry.needs_area and turn.region is None:
        turn.say(messages.ASK_REGION, buttons=turn.region_buttons())
        return [SlotSet(SLOT_PENDING_ENTRY, entry.id), SlotSet(SLOT_ABOUT_CHILD, about_child)]
    if not entry.applies_to(turn.region):  # an entry staff wrote for another area: the topic's leaflet
        turn.answer_topic(entry.topic)
        return [SlotSet(SLOT_PENDING_ENTRY, None)]
    text = entry.text(about_child, turn.residence)
    body = turn.t(text, **turn.numbers())
    source = turn.source_line(entry.source_name, entry.source_url, entry.checked)
    # the service directory's places in the person's town, as for a leaflet (of the topic the person asked about)
    places = turn.places(topic if topic in DIRECTORY_KINDS else entry.topic)
    turn.dispatcher.utter_message(text=f"{body}\n\n{source}" + (f"\n\n{places}" if places else ""))
    events: List[EventType] = [SlotSet(SLOT_LAST_ENTRY, entry.id), SlotSet(SLOT_PENDING_ENTRY, None),
                               SlotSet(SLOT_ABOUT_CHILD, about_child)]
    if entry.needs_residence and turn.residence is None and not turn.tracker.get_slot(SLOT_RESIDENCE_ASKED):
        # the general answer first; asked once, never required: a tap gives the answer for their situation
        ask_residence(turn, messages.ASK_RESIDENCE)
        events += [SlotSet(SLOT_PENDING_ENTRY, entry.id), SlotSet(SLOT_RESIDENCE_ASKED, True)]
    return events


def ask_residence(turn: Turn, message: str) -> None:
    assert turn.country is not None
    buttons = [{"title": turn.t(title), "payload": contract.inform_residence(code)}
               for code, title in messages.RESIDENCE_BUTTONS[turn.country].items()]
    buttons.append({"title": turn.t(messages.RESIDENCE_SKIP), "payload": contract.inform_residence(contract.RESIDENCE_SKIP)})
    turn.say(message, buttons=buttons)


def answer_question(turn: Turn, text: str, topic: str | None) -> List[EventType] | None:
    """Answer from the knowledge base; None when no entry fits (the caller answers with the topic leaflet)."""
    if turn.country is None or not retrieval.worth_searching(text):
        return None
    found = pick(turn, text, topic)
    if found.close:
        close = tuple(e for e in found.close if live(e, turn.lang))
        if len(close) > 1:
            return ask_between(turn, close, topic)
        found = Pick(close[0] if close else None)
    if found.entry is None or not live(found.entry, turn.lang) or (turn.region and not found.entry.applies_to(turn.region)):
        return None
    return answer(turn, found.entry, situation.about_child(text) or _still_about_child(turn, found.entry, text), topic)


def _still_about_child(turn: Turn, entry: knowledge.Entry, text: str) -> bool:
    """A short follow-up of an answer about a child ("and in Germany?") is still about the child."""
    last = knowledge.entry(turn.tracker.get_slot(SLOT_LAST_ENTRY))
    if last is None or not turn.tracker.get_slot(SLOT_ABOUT_CHILD) or situation.words(text) > FOLLOW_UP_WORDS:
        return False
    return entry.id.partition(".")[2] == last.id.partition(".")[2]


def apply_choice(turn: Turn) -> List[EventType]:
    """Keep the region or residence situation the person chose with a button ("skip" is remembered as asked)."""
    events: List[EventType] = []
    region = next(turn.tracker.get_latest_entity_values("region"), None)
    if region and places.area(turn.country, region) is not None:
        turn.region = region
        turn.events = [e for e in turn.events if e.get("name") != SLOT_REGION]
        events.append(SlotSet(SLOT_REGION, region))
    residence = next(turn.tracker.get_latest_entity_values("residence"), None)
    if residence and turn.country and residence in knowledge.RESIDENCES[turn.country]:
        turn.residence = residence
        events += [SlotSet(SLOT_RESIDENCE, residence), SlotSet(SLOT_RESIDENCE_ASKED, True)]
    elif residence == contract.RESIDENCE_SKIP:
        events.append(SlotSet(SLOT_RESIDENCE_ASKED, True))
    return events


def answer_pending(turn: Turn) -> List[EventType]:
    """After the region, the residence situation or a choice between entries: answer the waiting question."""
    events = apply_choice(turn)
    chosen = next(turn.tracker.get_latest_entity_values("entry"), None)
    if chosen == "none":
        turn.say(messages.ASK_REPHRASE_SPECIFIC)
        return events + [SlotSet(SLOT_PENDING_ENTRY, None)]
    pending = knowledge.entry(chosen) or knowledge.entry(turn.tracker.get_slot(SLOT_PENDING_ENTRY))
    if pending is None or turn.country is None:
        residence = next(turn.tracker.get_latest_entity_values("residence"), None)
        if turn.region and any(e.get("name") == SLOT_REGION for e in events):
            turn.dispatcher.utter_message(text=turn.t(messages.REGION_SET, **turn.numbers()))
        elif residence:
            turn.say(messages.RESIDENCE_SAVED if residence != contract.RESIDENCE_SKIP else messages.ACKNOWLEDGE)
        else:
            turn.say(messages.ACKNOWLEDGE)
        return events
    if pending.country != turn.country:
        pending = knowledge.counterpart(pending.id, turn.country) or pending
    if next(turn.tracker.get_latest_entity_values("residence"), None) == contract.RESIDENCE_SKIP:
        turn.say(messages.RESIDENCE_SKIPPED)  # the general answer was already given
        return events + [SlotSet(SLOT_PENDING_ENTRY, None)]
    if turn.residence and any(e.get("name") == SLOT_RESIDENCE for e in events) and turn.residence not in pending.residence:
        turn.say(messages.RESIDENCE_SAVED)  # the general answer already given is the one for their situation
        return events + [SlotSet(SLOT_PENDING_ENTRY, None)]
    return events + answer(turn, pending, bool(turn.tracker.get_slot(SLOT_ABOUT_CHILD)))

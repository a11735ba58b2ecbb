"""The payload contract between the action server and the front end.

Front end -> Rasa: message `metadata` (`Metadata`), and intent payloads for buttons (`/choose_language{...}`).
Actions -> front end: custom JSON messages (`json_message`) that ask the front end to act (`Signal`): connect a
peer mentor, erase the person's data, or learn the language and country the turn settled on (`state`).
Both sides build and read these only through this module.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping

REQUEST_MENTOR = "/request_mentor"
AFFIRM = "/affirm"
DENY = "/deny"


def choose_language(code: str) -> str:
    """The intent payload of a language button."""
    return "/choose_language" + json.dumps({"language": code}, separators=(",", ":"))


def inform_country(country: str) -> str:
    """The intent payload of a country button."""
    return "/inform_country" + json.dumps({"country": country}, separators=(",", ":"))


def inform_region(area: str) -> str:
    """The intent payload of a region button (an area of common.places)."""
    return "/inform_region" + json.dumps({"region": area}, separators=(",", ":"))


def inform_residence(situation: str) -> str:
    """The intent payload of a residence-situation button ("skip" = not said)."""
    return "/inform_residence" + json.dumps({"residence": situation}, separators=(",", ":"))


def choose_entry(entry_id: str) -> str:
    """The intent payload of a button that picks one knowledge-base entry when two were close."""
    return "/choose_entry" + json.dumps({"entry": entry_id}, separators=(",", ":"))


UPDATE_PROFILE = "/update_profile"  # /profile: the person changes their residence situation and region
RESIDENCE_SKIP = "skip"


def topic(name: str) -> str:
    """The intent payload of a topic button (the topic's intent)."""
    return f"/{name}"


# --- front end -> actions: metadata --------------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    """What the front end tells the actions with each message."""

    language: str | None = None  # an explicit choice (picker, /language): wins over detection
    country: str | None = None
    language_hint: str | None = None  # Telegram's language_code: only a hint
    handoff: bool = False  # this front end connects people with mentors itself (and acts on signals)

    def to_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {"handoff": True} if self.handoff else {}
        if self.language:
            data["language"] = self.language
        if self.country:
            data["country"] = self.country
        if self.language_hint:
            data["language_hint"] = self.language_hint
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Metadata:
        data = data or {}
        return cls(
            language=data.get("language") if isinstance(data.get("language"), str) else None,
            country=data.get("country") if isinstance(data.get("country"), str) else None,
            language_hint=data.get("language_hint") if isinstance(data.get("language_hint"), str) else None,
            handoff=data.get("handoff") is True,
        )


# --- actions -> front end: signals ---------------------------------------------------------------------------


def handoff_signal(reason: str) -> Dict[str, Any]:
    """Connect the person with a peer mentor (reason: crisis, distress, request, not_understood)."""
    return {"handoff": {"reason": reason}}


def remind_signal(text: str) -> Dict[str, Any]:
    """Set an appointment reminder from the person's own words: the front end reads the day and time and repeats
    them back before saving (bot.appointments)."""
    return {"remind": {"text": text}}


def erase_signal() -> Dict[str, Any]:
    """Delete everything stored about the person (they confirmed)."""
    return {"erase": True}


def state_signal(language: str, country: str | None, language_chosen: bool,
                 region: str | None = None, residence: str | None = None) -> Dict[str, Any]:
    """What the turn settled: the front end needs no second request for the slots (it shows them in /mydata)."""
    return {"state": {"language": language, "country": country, "language_chosen": language_chosen,
                      "region": region, "residence": residence}}


@dataclass(frozen=True)
class Signals:
    """The signals of one Rasa reply, read from its custom payloads."""

    handoff_reasons: tuple[str, ...] = ()
    erase: bool = False
    state: Mapping[str, Any] | None = None
    remind: str | None = None  # the person's words to set an appointment reminder from

    @property
    def acts(self) -> bool:
        """Whether the actions asked the front end to do something (so an empty text reply is not silence)."""
        return self.erase or bool(self.handoff_reasons) or self.remind is not None

    @classmethod
    def read(cls, customs: Iterable[Mapping[str, Any] | None]) -> Signals:
        reasons: List[str] = []
        erase, state, remind = False, None, None
        for custom in customs:
            if not custom:
                continue
            if isinstance(custom.get("state"), dict):
                state = custom["state"]
            if custom.get("erase") is True:
                erase = True
            if isinstance(custom.get("handoff"), dict):
                reasons.append(str(custom["handoff"].get("reason") or "request"))
            if isinstance(custom.get("remind"), dict):
                remind = str(custom["remind"].get("text") or "")
        return cls(tuple(reasons), erase, state, remind)

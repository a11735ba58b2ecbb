"""Client of the standard `rasa run` server: its REST channel for conversations, its HTTP API for the rest."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List

import httpx


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer in time: the message stays pending."""


@dataclass
class RasaReply:
    text: str
    buttons: List[Dict[str, str]]
    custom: Dict[str, Any] | None = None  # json_message of an action, e.g. {"handoff": {...}}


class RasaClient:
    def __init__(self, url: str, token: str = "", timeout: float = 10.0) -> None:
        """`timeout`: after this long the person hears "I'm having trouble, your message is kept" and the message
        is retried later (a stalled Rasa must not leave anyone waiting in silence)."""
        self._url = url.rstrip("/")
        self._token = token
        self._http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, sender: str, text: str, metadata: Dict[str, Any] | None = None) -> List[RasaReply]:
        """One message through the REST channel; the assistant's replies in order."""
        try:
            response = await self._http.post(
                f"{self._url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata or {}},
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        return [
            RasaReply(text=item.get("text") or "", buttons=item.get("buttons") or [], custom=item.get("custom"))
            for item in response.json()
            if item.get("text") or item.get("buttons") or item.get("custom")
        ]

    async def parse(self, text: str) -> Dict[str, Any]:
        """Classify without storing anything (used before the person has consented)."""
        try:
            response = await self._http.post(f"{self._url}/model/parse", params={"token": self._token}, json={"text": text})
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        return response.json()

    async def slots(self, sender: str) -> Dict[str, Any]:
        """The conversation's slots (language and country the actions settled on)."""
        try:
            response = await self._http.get(
                f"{self._url}/conversations/{sender}/tracker", params={"token": self._token, "include_events": "NONE"}
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        return response.json().get("slots") or {}

    async def user_events(self, sender: str) -> List[Dict[str, Any]]:
        """The person's messages in the current session (text, intent), oldest first: for a mentor's summary."""
        try:
            response = await self._http.get(
                f"{self._url}/conversations/{sender}/tracker", params={"token": self._token, "include_events": "AFTER_RESTART"}
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        return [
            {"text": event.get("text") or "", "intent": ((event.get("parse_data") or {}).get("intent") or {}).get("name")}
            for event in response.json().get("events") or []
            if event.get("event") == "user"
        ]

    async def append_event(self, sender: str, event: str) -> None:
        """Add an event such as `pause` / `resume` (ConversationPaused / ConversationResumed) to a conversation."""
        try:
            response = await self._http.post(
                f"{self._url}/conversations/{sender}/tracker/events", params={"token": self._token}, json={"event": event}
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error

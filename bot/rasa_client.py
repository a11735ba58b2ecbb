"""Client of the standard `rasa run` server: its REST channel for conversations, its HTTP API for the rest."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Protocol

import httpx


class RasaServer(Protocol):
    """Where the front end finds Rasa: `bot.runner.Stack` (started by `python -m bot run`) or
    `bot.__main__.RemoteRasa` (run elsewhere)."""

    @property
    def rasa_url(self) -> str: ...

    @property
    def token(self) -> str: ...


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

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One call to the Rasa server; any HTTP failure (down, timeout, error status) is RasaUnavailable."""
        try:
            response = await self._http.request(method, f"{self._url}{path}", **kwargs)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        return response

    async def send(self, sender: str, text: str, metadata: Dict[str, Any] | None = None) -> List[RasaReply]:
        """One message through the REST channel; the assistant's replies in order."""
        response = await self._request(
            "POST", "/webhooks/rest/webhook", json={"sender": sender, "message": text, "metadata": metadata or {}}
        )
        return [
            RasaReply(text=item.get("text") or "", buttons=item.get("buttons") or [], custom=item.get("custom"))
            for item in response.json()
            if item.get("text") or item.get("buttons") or item.get("custom")
        ]

    async def parse(self, text: str) -> Dict[str, Any]:
        """Classify without storing anything (used before the person has consented)."""
        response = await self._request("POST", "/model/parse", params={"token": self._token}, json={"text": text})
        return response.json()

    async def slots(self, sender: str) -> Dict[str, Any]:
        """The conversation's slots (language and country the actions settled on)."""
        response = await self._request(
            "GET", f"/conversations/{sender}/tracker", params={"token": self._token, "include_events": "NONE"}
        )
        return response.json().get("slots") or {}

    async def user_events(self, sender: str) -> List[Dict[str, Any]]:
        """The person's messages in the current session (text, intent), oldest first: for a mentor's summary."""
        response = await self._request(
            "GET", f"/conversations/{sender}/tracker", params={"token": self._token, "include_events": "AFTER_RESTART"}
        )
        return [
            {"text": event.get("text") or "", "intent": ((event.get("parse_data") or {}).get("intent") or {}).get("name")}
            for event in response.json().get("events") or []
            if event.get("event") == "user"
        ]

    async def append_event(self, sender: str, event: str) -> None:
        """Add an event such as `pause` / `resume` (ConversationPaused / ConversationResumed) to a conversation."""
        await self._request(
            "POST", f"/conversations/{sender}/tracker/events", params={"token": self._token}, json={"event": event}
        )

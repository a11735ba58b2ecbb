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


class RasaClient:
    def __init__(self, url: str, token: str = "", timeout: float = 20.0) -> None:
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
            RasaReply(text=item.get("text") or "", buttons=item.get("buttons") or [])
            for item in response.json()
            if item.get("text") or item.get("buttons")
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

"""A terminal chat with the assistant through Rasa's REST channel (used when no Telegram token is set).

Type a message; buttons are shown numbered - type the number to press one. `/quit` ends.
"""
from __future__ import annotations

import sys
import uuid
from typing import Any, Dict, List

import httpx


def send(rasa_url: str, sender: str, text: str, metadata: Dict[str, Any] | None = None) -> List[Dict[str, Any]]:
    """One message to Rasa's REST channel; the assistant's replies."""
    response = httpx.post(
        f"{rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, "metadata": metadata or {}},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def chat(rasa_url: str) -> None:
    sender = f"local-{uuid.uuid4().hex[:8]}"
    buttons: List[Dict[str, str]] = []
    interactive = sys.stdin.isatty()
    print("Write in any language. /quit to stop.", flush=True)
    while True:
        try:
            text = input("> ") if interactive else sys.stdin.readline()
        except EOFError:
            text = ""
        if not interactive and text == "":
            # no terminal (e.g. started in the background): keep the servers running until Ctrl-C
            print(f"Servers are running; the REST channel is at {rasa_url}/webhooks/rest/webhook", flush=True)
            import time

            while True:
                time.sleep(3600)
        text = text.strip()
        if text in {"/quit", "/exit"}:
            return
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        if not text:
            continue
        buttons = []
        for reply in send(rasa_url, sender, text):
            if reply.get("text"):
                print(reply["text"], flush=True)
            for button in reply.get("buttons") or []:
                buttons.append(button)
                print(f"  [{len(buttons)}] {button['title']}", flush=True)

"""What goes in and out of the front end's logic, without Telegram types (the handlers translate)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Tuple


@dataclass
class Incoming:
    """One thing a person (or mentor) sent, reduced to what the logic needs."""

    update_id: int
    user_id: int
    chat_id: int
    kind: str  # text, command, button, voice, audio, photo, video, sticker, document, location, contact, edited, other
    text: str = ""
    language_hint: str | None = None
    location: Tuple[float, float] | None = None
    message_id: int = 0  # to relay media by reference (copyMessage) during a hand-off


@dataclass
class Outgoing:
    """One message to send. `copy_from` (chat_id, message_id) copies a message without its sender (relay);
    `edit_message_id` changes an earlier message instead; `notification_id` asks to be told the sent message's id."""

    chat_id: int
    text: str
    buttons: List[Tuple[str, str]] = field(default_factory=list)  # (title, callback_data)
    rtl: bool = False
    copy_from: Tuple[int, int] | None = None
    edit_message_id: int | None = None
    notification_id: int | None = None

"""Turning the assistant's replies into Telegram messages: splitting, keyboards, right-to-left."""
from __future__ import annotations

from typing import List, Sequence, Tuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

TELEGRAM_LIMIT = 4096
RLM = "\u200f"  # right-to-left mark: Telegram then lays out Arabic/Persian text right-to-left from its first line


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> List[str]:
    """Split under `limit` characters at paragraph, line or word boundaries (links contain no spaces, so
    they are never cut); only a single word longer than the limit is cut hard."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    for separator in ("\n\n", "\n", " "):
        cut = text.rfind(separator, 0, limit + 1)
        if cut > 0:
            return [text[:cut].rstrip()] + split_text(text[cut + len(separator):], limit)
    return [text[:limit]] + split_text(text[limit:], limit)


def keyboard(buttons: Sequence[Tuple[str, str]]) -> InlineKeyboardMarkup | None:
    """Inline keyboard: two buttons a row when the titles are short, else one."""
    if not buttons:
        return None
    per_row = 2 if all(len(title) <= 18 for title, _ in buttons) else 1
    rows = [
        [InlineKeyboardButton(title, callback_data=data) for title, data in buttons[i : i + per_row]]
        for i in range(0, len(buttons), per_row)
    ]
    return InlineKeyboardMarkup(rows)


def parts(text: str, rtl: bool) -> List[str]:
    """The message texts to send for one reply."""
    chunks = split_text(text, TELEGRAM_LIMIT - 1)
    return [RLM + chunk if rtl else chunk for chunk in chunks]

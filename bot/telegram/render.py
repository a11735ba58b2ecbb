"""Turning the assistant's replies into Telegram messages: splitting, keyboards, right-to-left."""
from __future__ import annotations

import re
from functools import cache
from typing import List, Sequence, Tuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from common import content

TELEGRAM_LIMIT = 4096
RLM = "\u200f"  # right-to-left mark: Telegram then lays out Arabic/Persian text right-to-left from its first line
LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate: keeps "+45 70 201 201", "/end", "#12", links intact in RTL text
_LTR_RUN = re.compile(r"https?://\S+|(?<![\w/])/[a-z_]+\b|#\d+|\+?\d+(?:[ .-]\d+)*")


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


@cache
def _number_pattern() -> re.Pattern[str] | None:
    known = sorted(content.international_numbers(), key=len, reverse=True)
    if not known:
        return None
    return re.compile(r"(?<![\d+])(" + "|".join(re.escape(n) for n in known) + r")(?!\d)")


def tappable(text: str) -> str:
    """Write the programme's long phone numbers in international format (e.g. "+45 70 201 201"), which
    Telegram apps turn into tappable numbers; the grouping people know is kept."""
    pattern = _number_pattern()
    if pattern is None:
        return text

    def international(match: re.Match[str]) -> str:
        number = content.international_numbers()[match.group(1)]
        prefix = number[: len(number) - len(match.group(1).lstrip("0"))]
        already = text[max(0, match.start() - len(prefix)) : match.start()] == prefix  # "+45 70 201 201"
        return match.group(1) if already else number

    return pattern.sub(international, text)


def isolate_ltr(text: str) -> str:
    """In right-to-left text, phone numbers with spaces ("70 201 201" would show as "201 201 70"), commands
    ("end/") and case numbers ("12#") are shown reversed by the Unicode bidi algorithm; isolating them as
    left-to-right runs keeps them as written. Checked with GNU FriBidi (docs/handoff.md)."""
    return _LTR_RUN.sub(lambda match: f"{LRI}{match.group(0)}{PDI}", text)


def parts(text: str, rtl: bool) -> List[str]:
    """The message texts to send for one reply."""
    text = tappable(text)
    chunks = split_text(isolate_ltr(text) if rtl else text, TELEGRAM_LIMIT - 1)
    return [RLM + chunk if rtl else chunk for chunk in chunks]

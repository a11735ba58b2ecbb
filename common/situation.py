"""Who a question is about, from the words of the message (content/situation.yml)."""
from __future__ import annotations

import re
from functools import cache

from common.content import _load
from common.places import fold


@cache
def _child_pattern() -> re.Pattern[str]:
    words = [w for per_language in _load("situation.yml")["child"].values() for w in per_language]
    parts = sorted({re.escape(fold(w.rstrip("*"))) + (r"\w*" if w.endswith("*") else "") for w in words},
                   key=len, reverse=True)
    # Arabic script: the proclitics و / ل / ب may be written onto the word ("وابني", "لطفلي")
    return re.compile(rf"(?<!\w)(?:[وبل](?=[\u0600-\u06FF]))?(?:{'|'.join(parts)})(?!\w)")


def about_child(text: str) -> bool:
    """Whether the message speaks of a child ("my son has fever", "ابني سخن", "у дитини температура")."""
    return bool(_child_pattern().search(fold(text)))


def words(text: str) -> int:
    return len(text.split())

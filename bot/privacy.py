"""Pseudonyms: Telegram ids are stored and sent to Rasa only as keyed hashes (HMAC-SHA256).

The key (PSEUDONYM_KEY) lives only in the environment; without it the hashes cannot be linked back to a person.
"""
from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: str, telegram_user_id: int) -> str:
    """Stable pseudonym of a Telegram user (also the Rasa sender id)."""
    return hmac.new(key.encode(), str(telegram_user_id).encode(), hashlib.sha256).hexdigest()[:32]

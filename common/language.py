"""Which language to answer in.

An explicit choice wins and is remembered; otherwise the message's own language when the detector is sure;
otherwise the language we were already using; Telegram's language_code is only a hint (often the phone's UI).
The detector (heliport) ships its model inside its package: nothing is downloaded.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Dict

from common.content import languages

# heliport's top-k scores are distances (lower is closer). A language counts as detected when it is the
# closest supported language by MIN_MARGIN and no unsupported language is closer by more than MAX_BEHIND.
# Messages with fewer letters than MIN_LETTERS say too little ("ok", "tak", "ja").
MIN_LETTERS = 8
MIN_MARGIN = 0.8
MAX_BEHIND = 0.5
TOP_K = 40


@lru_cache(maxsize=1)
def _identifier():
    from heliport import Identifier

    return Identifier()


@lru_cache(maxsize=1)
def _label_to_code() -> Dict[str, str]:
    """Detector label -> our language code (built once: detect() runs for every message)."""
    return {label: lang.code for lang in languages().values() for label in lang.detector_labels}


def _script_language(text: str) -> str | None:
    """Scripts only one supported language uses: Ge'ez is Tigrinya here."""
    if any("\u1200" <= ch <= "\u139f" or "\u2d80" <= ch <= "\u2ddf" for ch in text):
        return "ti"
    return None


def _letter_language(text: str) -> str | None:
    """For short messages: letters only one of our languages uses (і/ї/є/ґ Ukrainian, ы/э/ъ/ё Russian)."""
    folded = text.casefold()
    if any(ch in "іїєґ" for ch in folded):
        return "uk"
    if any(ch in "ыэъё" for ch in folded):
        return "ru"
    return None


def detect(text: str) -> str | None:
    """The supported language `text` is confidently written in, or None if unsure."""
    text = unicodedata.normalize("NFKC", text or "")
    letters = sum(ch.isalpha() for ch in text)
    by_script = _script_language(text)
    if by_script and letters >= 2:
        return by_script
    if letters < MIN_LETTERS:
        return _letter_language(text) if letters >= 3 else None
    mapping = _label_to_code()
    ranked = _identifier().identify_topk_with_score(text, TOP_K)
    if not ranked:
        return None
    closest_any = float(ranked[0][1])
    scores: Dict[str, float] = {}
    for label, score in ranked:
        code = mapping.get(label)
        if code and code not in scores:
            scores[code] = float(score)
    if not scores:
        return None
    best, best_score = min(scores.items(), key=lambda item: item[1])
    others = [score for code, score in scores.items() if code != best]
    runner_up = min(others) if others else float("inf")
    if best_score - closest_any > MAX_BEHIND or runner_up - best_score < MIN_MARGIN:
        return None
    return best


def resolve(
    text: str,
    chosen: str | None = None,
    current: str | None = None,
    hint: str | None = None,
    default: str = "en",
) -> str:
    """The language to answer in, in order: explicit choice, confident detection, current, hint, default."""
    supported = languages()
    if chosen in supported:
        return chosen
    detected = detect(text)
    if detected:
        return detected
    if current in supported:
        return current
    hint = (hint or "").split("-")[0].lower()
    if hint in supported:
        return hint
    return default

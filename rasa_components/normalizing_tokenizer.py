"""Whitespace tokenizer that first normalises text the way phones type it.

Why: Rasa's WhitespaceTokenizer strips an emoji range that includes the Arabic presentation forms
(U+FB50-U+FEFF), so Arabic typed in those forms would lose every token. NFKC maps them to the base letters.
We also drop zero-width/bidi control characters and tatweel, and lowercase with casefold.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# zero-width and bidi control characters, soft hyphen, Arabic tatweel
_INVISIBLE = re.compile("[\u00ad\u0640\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# ZWNJ (U+200C) is meaningful in Persian words; it is replaced by nothing so "می‌خواهم" == "میخواهم"


def normalise(text: str) -> str:
    """NFKC, remove invisible controls, casefold, unify Arabic/Persian letter variants."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    # Arabic Yeh/Kaf vs Persian Yeh/Keheh are typed interchangeably on phones
    text = text.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی")
    return text.casefold()


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class NormalizingWhitespaceTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer over `normalise(text)`."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return WhitespaceTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        original = message.get(attribute)
        if not isinstance(original, str):
            return super().tokenize(message, attribute)
        message.set(attribute, normalise(original))
        try:
            tokens = super().tokenize(message, attribute)
        finally:
            message.set(attribute, original)
        return tokens

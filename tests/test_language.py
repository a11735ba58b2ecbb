"""common.language: detection with the detector's bundled model, and the order of precedence."""
from __future__ import annotations

import pytest

from common import language

SAMPLES = {
    "en": "hello, how can I find a family doctor near my home?",
    "da": "hej, hvordan finder jeg en praktiserende læge tæt på hvor jeg bor?",
    "de": "hallo, wie finde ich einen Hausarzt in meiner Nähe?",
    "ar": "مرحبا، كيف أجد طبيب عائلة قريب من بيتي؟",
    "fa": "سلام، چطور می‌توانم یک داکتر خانواده نزدیک خانه‌ام پیدا کنم؟",
    "uk": "привіт, як мені знайти сімейного лікаря біля дому?",
    "ru": "привет, как мне найти семейного врача рядом с домом?",
    "tr": "merhaba, evime yakın bir aile doktoru nasıl bulabilirim?",
    "so": "salaan, sidee baan u helaa dhakhtar qoys oo u dhow gurigayga?",
    "ti": "ሰላም፣ ኣብ ጥቓ ገዛይ ሓኪም ስድራቤት ብኸመይ ክረክብ እኽእል?",
}


@pytest.mark.parametrize("lang, text", sorted(SAMPLES.items()))
def test_detect_each_supported_language(lang, text):
    assert language.detect(text) == lang


@pytest.mark.parametrize("text", ["ok", "tak", "ja", "hi", "👍", "", "112", "   "])
def test_short_messages_are_not_guessed(text):
    assert language.detect(text) is None


def test_explicit_choice_wins():
    assert language.resolve(SAMPLES["de"], chosen="ar", current="de") == "ar"


def test_confident_detection_beats_current_language():
    assert language.resolve(SAMPLES["uk"], current="en") == "uk"


def test_short_message_keeps_current_language():
    assert language.resolve("ok", current="so", hint="de") == "so"


def test_telegram_hint_is_used_only_when_nothing_else_is_known():
    assert language.resolve("ok", hint="tr-TR") == "tr"
    assert language.resolve("ok", hint="xx") == "en"

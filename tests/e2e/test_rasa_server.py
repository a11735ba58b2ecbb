"""End to end: the trained model behind `rasa run --enable-api`, with the action server, over HTTP."""
from __future__ import annotations

import uuid
from typing import Any, Dict, List

import httpx
import pytest

from common.i18n import translate
from common.strings import assistant as messages
from tests.auxil.answers import expected_answer


def send(rasa_url: str, sender: str, text: str, metadata: Dict[str, Any] | None = None) -> List[Dict[str, Any]]:
    """One message to Rasa's REST channel (as any channel without the product's front end); the replies."""
    response = httpx.post(f"{rasa_url}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text, "metadata": metadata or {}}, timeout=30)
    response.raise_for_status()
    return response.json()


pytestmark = pytest.mark.e2e

CONTRACT = {
    "find_gp", "book_gp_appointment", "out_of_hours", "emergency", "referral_specialist",
    "mental_health_services", "interpreter", "health_card", "prescription_pharmacy", "dental_care",
    "pregnancy_child_health", "social_services", "costs", "request_mentor", "emotional_distress", "crisis",
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "change_language", "delete_my_data",
    "out_of_scope",
}

# (language, message, intent): plain questions as people type them
CASES = [
    ("en", "my dad collapsed and is not breathing, what do i do", "emergency"),
    ("en", "i want to end my life", "crisis"),
    ("da", "hvordan skifter jeg min læge", "find_gp"),
    ("da", "jeg vil gerne tale med et menneske", "request_mentor"),
    ("de", "ich brauche einen Dolmetscher beim Arzt", "interpreter"),
    ("de", "ich will nicht mehr leben", "crisis"),
    ("ar", "ابني عنده ألم أسنان شديد، وين أروح لطبيب أسنان؟", "dental_care"),
    ("ar", "أريد أن أنهي حياتي", "crisis"),
    ("fa", "چطور نوبت داکتر بگیرم؟", "book_gp_appointment"),
    ("fa", "میخواهم خودم را بکشم", "crisis"),
    ("uk", "де отримати рецепт на ліки", "prescription_pharmacy"),
    ("uk", "я хочу покінчити з життям", "crisis"),
    ("ru", "я беременна, куда мне обратиться", "pregnancy_child_health"),
    ("ru", "не хочу больше жить", "crisis"),
    ("tr", "sağlık kartımı kaybettim ne yapmalıyım", "health_card"),
    ("tr", "kendimi öldürmek istiyorum", "crisis"),
    ("so", "waxaan rabaa inaan is dilo", "crisis"),
    ("so", "salaan", "greet"),
    ("ti", "ነብሰይ ክቐትል ደልየ", "crisis"),
    ("ti", "ሰላም", "greet"),
]


def parse(stack, text: str) -> dict:
    response = httpx.post(f"{stack.rasa_url}/model/parse", params={"token": stack.token}, json={"text": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def say(stack, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
    return send(stack.rasa_url, sender, text, metadata)


def test_model_parse_requires_the_token(stack):
    response = httpx.post(f"{stack.rasa_url}/model/parse", json={"text": "hello"}, timeout=30)
    assert response.status_code == 401


@pytest.mark.parametrize("lang, text, intent", CASES)
def test_model_parse_returns_contract_intents(stack, lang, text, intent):
    result = parse(stack, text)
    assert result["intent"]["name"] == intent
    buttons_only = {"inform_country", "choose_language", "inform_region", "inform_residence", "choose_entry", "update_profile"}
    added = {"set_reminder"}  # docs/intents.md, "Added by this project"
    assert {entry["name"] for entry in result["intent_ranking"]} <= CONTRACT | buttons_only | added | {"nlu_fallback"}


@pytest.mark.parametrize(
    "lang, question, country_word, number",
    [
        ("en", "where can i find a doctor at night? my son has high fever", "Denmark", "1813"),
        ("da", "mit barn har høj feber og lægen er lukket, hvem ringer jeg til?", "Danmark", "1813"),
        ("de", "mein Kind hat hohes Fieber in der Nacht und die Praxis ist zu, wen rufe ich an?", "Deutschland", "116117"),
        ("ar", "ابني عنده حرارة عالية في الليل والطبيب مسكر، لمين بتصل؟", "ألمانيا", "116117"),
        ("uk", "у дитини висока температура вночі, лікар зачинений, куди дзвонити?", "Данія", "1813"),
        ("tr", "gece çocuğumun ateşi çok yüksek doktor kapalı kimi arayayım?", "Almanya", "116117"),
    ],
)
def test_question_then_country_gets_the_country_answer_in_the_same_language(stack, lang, question, country_word, number):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    first = say(stack, sender, question)
    assert first[-1]["text"] == translate(lang, messages.ASK_COUNTRY)
    country = "DK" if number == "1813" else "DE"
    answer = say(stack, sender, f'/inform_country{{"country":"{country}"}}')
    region = None
    if country == "DK":  # issue #15: the Danish number depends on the region, asked once with buttons
        assert answer[0]["text"] == translate(lang, messages.ASK_REGION)
        region = "capital"
        answer = say(stack, sender, f'/inform_region{{"region":"{region}"}}')
    text = answer[0]["text"]
    assert number in text
    # the waiting question's own answer (the knowledge base's, here for a child), else the topic leaflet
    assert text.startswith(expected_answer(lang, country, question, "out_of_hours", region))


def test_crisis_is_answered_at_once_even_while_a_question_waits_for_the_country(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "how do i get a family doctor")
    replies = say(stack, sender, "i want to kill myself")
    assert "112" in replies[0]["text"] and "70 201 201" in replies[0]["text"]


def test_switching_language_mid_conversation(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "hello, I live in Germany and I need help")
    switched = say(stack, sender, '/choose_language{"language":"so"}')
    assert switched[0]["text"] == translate("so", messages.LANGUAGE_SET)
    answer = say(stack, sender, "I need an interpreter at the doctor")
    expected = expected_answer("so", "DE", "I need an interpreter at the doctor", "interpreter")
    assert answer[0]["text"].startswith(expected)


@pytest.mark.parametrize("gibberish", ["blorp zzkx qwv", "das Krankenhaus hat mein MRT abgesagt und keinen neuen Termin gegeben",
                                       "ፕሮፕሮ ክክክ", "asdf jklö 12"])
def test_a_message_the_nlu_is_unsure_about_still_gets_an_answer(stack, gibberish):
    """Found by the load benchmark: the safety net crashed on every nlu_fallback, and Rasa answered nothing."""
    replies = say(stack, f"e2e-{uuid.uuid4().hex[:8]}", gibberish, {"language": "de", "country": "DE"})
    assert replies and replies[0].get("text")

"""What the assistant answers a navigation question with, decided the way the action server decides it (issue
#15): the knowledge-base entry retrieval picks, when it is translated into the language, else the topic's leaflet.
End-to-end tests compare the reply with this, so they check the whole path (Telegram -> Rasa -> actions -> catalog
-> Telegram); how often retrieval picks the right entry is measured apart (scripts/evaluate_knowledge.py)."""
from __future__ import annotations

from common import content, i18n, places, retrieval, situation
from common.i18n import translate
from common.strings import assistant as messages


def expected_answer(lang: str, country: str, question: str, topic: str, region: str | None = None) -> str:
    """The start of the reply: the entry's or the leaflet's text (or the region question where it is needed)."""
    values = {**content.numbers(country), **places.placeholders(country, region)}
    found = retrieval.index().search(question, country, topic) if retrieval.worth_searching(question) else None
    entry = found.answer if found else None
    if found and found.close:
        return translate(lang, messages.WHICH_QUESTION)
    if entry is not None and i18n.has_translation(lang, entry.answer):
        if entry.needs_area and not places.area(country, region):
            return translate(lang, messages.ASK_REGION)
        return translate(lang, entry.text(situation.about_child(question), None), values)
    leaflet = content.answer(topic, country)
    assert leaflet is not None
    if content.placeholders(leaflet.text) & set(places.AREA_PLACEHOLDERS) and not places.area(country, region):
        return translate(lang, messages.ASK_REGION)
    return translate(lang, leaflet.text, values)


def expected_source(country: str, question: str, topic: str) -> str | None:
    """The official source the reply names: the entry's, else the leaflet's (None: two entries are offered)."""
    found = retrieval.index().search(question, country, topic) if retrieval.worth_searching(question) else None
    if found and found.close:
        return None
    if found and found.answer:
        return found.answer.source_url
    leaflet = content.answer(topic, country)
    assert leaflet is not None
    return leaflet.source_url

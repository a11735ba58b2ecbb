"""Splitting long replies under Telegram's limit without breaking words or links; keyboards."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.frontend.people import country_of_location
from bot.telegram.render import RLM, keyboard, parts, split_text
from common import content

words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=30)
texts = st.lists(
    st.one_of(words, st.just("https://www.sundhed.dk/borger/patienthaandbogen/"), st.just("\n"), st.just("\n\n")),
    max_size=400,
).map(lambda tokens: " ".join(tokens))


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=60, max_value=500))  # longer than any single word or link
def test_split_keeps_every_word_and_link_within_the_limit(text, limit):
    chunks = split_text(text, limit)
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert " ".join(chunks).split() == text.split()  # nothing lost, no word or link cut


def test_short_text_is_one_message_and_rtl_gets_a_mark():
    assert parts("مرحبا", rtl=True) == [RLM + "مرحبا"]
    assert parts("hello", rtl=False) == ["hello"]


def test_real_answer_longer_than_telegram_limit_is_split_at_lines():
    text = "\n".join(f"• line {i} https://example.org/{i}" for i in range(400))
    chunks = split_text(text, 4096)
    assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
    assert all(c.startswith("• line") for c in chunks)


def test_keyboard_rows_and_callback_data():
    markup = keyboard([("Dansk", "l:da"), ("Deutsch", "l:de"), ("العربية", "l:ar")])
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["l:da", "l:de"], ["l:ar"]]
    long = keyboard([("Municipality / letters / benefits", "t:social_services")])
    assert len(long.inline_keyboard[0]) == 1
    assert keyboard([]) is None


def test_country_of_location():
    assert country_of_location(55.68, 12.57) == "DK"  # Copenhagen
    assert country_of_location(56.16, 10.20) == "DK"  # Aarhus
    assert country_of_location(53.55, 9.99) == "DE"  # Hamburg
    assert country_of_location(48.14, 11.58) == "DE"  # Munich
    assert country_of_location(54.78, 9.44) == "DE"  # Flensburg
    assert country_of_location(55.0, 9.2) == "DK"  # Southern Jutland
    assert country_of_location(59.33, 18.07) is None  # Stockholm


def test_long_phone_numbers_become_international_so_telegram_makes_them_tappable():
    from bot.telegram.render import tappable

    text = "Livslinien 70 201 201 · TelefonSeelsorge 0800 111 0 111 · 112 · 116117 · Lægevagten 1813"
    assert tappable(text) == (
        "Livslinien +45 70 201 201 · TelefonSeelsorge +49 800 111 0 111 · 112 · 116117 · Lægevagten 1813"
    )
    assert tappable(tappable(text)) == tappable(text)  # never twice
    assert tappable("call 70 201 2019 or 170 201 201") == "call 70 201 2019 or 170 201 201"  # only whole numbers


@given(st.lists(st.one_of(st.sampled_from(sorted(content.international_numbers())), st.text(alphabet="abc xyz.,·", max_size=12))))
def test_tappable_changes_exactly_the_known_numbers(segments):
    from bot.telegram.render import tappable

    text = " ".join(segments)
    assert tappable(text) == " ".join(content.international_numbers().get(s, s) for s in segments)


def test_numbers_commands_case_numbers_and_links_stay_left_to_right_in_rtl_text():
    [text] = parts("اتصل على 70 201 201 أو أرسل /end للحالة #12: https://www.sundhed.dk/borger/", rtl=True)
    assert text == (
        RLM + "اتصل على \u2066+45 70 201 201\u2069 أو أرسل \u2066/end\u2069 للحالة \u2066#12\u2069: "
        "\u2066https://www.sundhed.dk/borger/\u2069"
    )
    assert parts("call 70 201 201, send /end", rtl=False) == ["call +45 70 201 201, send /end"]


"""Issue #15 through the fake Bot API: a town switches country and region, a child gets the child's answer, the
residence situation is asked once and remembered, /profile changes it and /delete erases it."""
from __future__ import annotations

import itertools

import pytest

from bot.telegram.render import tappable
from common import content, contract, knowledge, pickers, places
from common.i18n import translate
from common.strings import assistant as messages
from common.strings import person as ui
from tests.telegram.test_bot_e2e import onboard, visible

pytestmark = pytest.mark.e2e
_users = itertools.count(990_000)
DK_LINES = {a.code: a.out_of_hours for a in places.region_areas("DK")}


def text_of(lang: str, entry_id: str, country: str, area: str | None = None, child: bool = False,
            residence: str | None = None) -> str:
    """An entry's answer as the person reads it (translated, numbers filled and made tappable)."""
    entry = knowledge.entry(entry_id)
    assert entry is not None
    values = {**content.numbers(country), **places.placeholders(country, area)}
    return visible(tappable(translate(lang, entry.text(child, residence), values)))


def reply(api, user: int, sent: int) -> tuple:
    """The next message to the person (the bridge joins a reply's parts into one Telegram message)."""
    message = api.wait_for(user, 1, after=sent)[0]
    return visible(message.text), [b["callback_data"] for b in message.buttons], sent + 1


def my_data(api, user: int, sent: int, lang: str) -> tuple[str, int]:
    api.send_text(user, "/mydata")
    for count in range(1, 4):
        texts = [visible(m.text) for m in api.wait_for(user, count, after=sent)]
        found = [t for t in texts if translate(lang, ui.MY_DATA).split("\n")[0] in t]
        if found:
            return found[0], sent + len(texts)
    raise AssertionError(texts)


def test_a_town_in_denmark_switches_a_person_set_to_germany_and_is_asked_once(telegram_bot, fake_api):
    user = next(_users)
    sent = onboard(fake_api, user, "ru", "DE")
    fake_api.send_text(user, "у сына температура 39 ночью, врач закрыт, что делать? мы живём в Орхусе")
    text, buttons, sent = reply(fake_api, user, sent)
    assert text.startswith(text_of("ru", "dk.out_of_hours.child_fever_night", "DK", "central", child=True))
    assert "116117" not in text
    assert not [n for area, n in DK_LINES.items() if area != "central" and n in text.replace("+45 ", "")]
    assert translate("ru", messages.TOWN_SWITCH, town="Aarhus", country_name=pickers.country_name("ru", "DK")) in text
    assert buttons == [f"r:{contract.AFFIRM}", f"r:{contract.DENY}"]
    fake_api.press(user, f"r:{contract.AFFIRM}")
    text, _, sent = reply(fake_api, user, sent)
    assert text == translate("ru", messages.TOWN_SWITCH_KEPT, country_name=pickers.country_name("ru", "DK"))
    stored, sent = my_data(fake_api, user, sent, "ru")
    assert pickers.country_name("ru", "DK") in stored and "Region Midtjylland" in stored


def test_a_child_gets_the_childs_answer_and_an_adult_the_adults_in_the_towns_region(telegram_bot, fake_api):
    user = next(_users)
    sent = onboard(fake_api, user, "de", "DK")
    fake_api.send_text(user, "mein Sohn hat nachts 39 Fieber, was soll ich tun? wir wohnen in Aalborg")
    text, _, sent = reply(fake_api, user, sent)
    assert text.startswith(text_of("de", "dk.out_of_hours.child_fever_night", "DK", "north", child=True))
    fake_api.send_text(user, "ich habe nachts 39 Fieber und mein Arzt hat zu, was soll ich tun?")
    text, _, sent = reply(fake_api, user, sent)
    assert text.startswith(text_of("de", "dk.out_of_hours.child_fever_night", "DK", "north"))  # the region is kept
    assert "+45 70 15 03 00" in text and "1813" not in text


def test_residence_asked_once_remembered_changed_with_profile_and_erased_with_delete(telegram_bot, fake_api):
    user = next(_users)
    sent = onboard(fake_api, user, "uk", "DE")
    fake_api.send_text(user, "як знайти сімейного лікаря в Німеччині?")
    text, buttons, sent = reply(fake_api, user, sent)
    assert text.startswith(text_of("uk", "de.find_gp.how_to_find", "DE"))
    assert translate("uk", messages.ASK_RESIDENCE) in text
    assert buttons == [f"r:{contract.inform_residence(r)}" for r in ("asylblg", "insured", "ukraine", "skip")]
    fake_api.press(user, f"r:{contract.inform_residence('asylblg')}")
    text, _, sent = reply(fake_api, user, sent)
    assert text.startswith(text_of("uk", "de.find_gp.how_to_find", "DE", residence="asylblg"))

    fake_api.send_text(user, "чи потрібне направлення до окуліста?")  # asked once: remembered, not asked again
    text, buttons, sent = reply(fake_api, user, sent)
    assert text.startswith(text_of("uk", "de.referral.eye_doctor", "DE", residence="asylblg"))
    assert translate("uk", messages.ASK_RESIDENCE) not in text and not buttons
    stored, sent = my_data(fake_api, user, sent, "uk")
    assert translate("uk", messages.RESIDENCE_DE_ASYLBLG) in stored

    fake_api.send_text(user, "/profile")
    text, buttons, sent = reply(fake_api, user, sent)
    assert text.startswith(translate("uk", messages.PROFILE_INTRO))
    fake_api.press(user, f"r:{contract.inform_residence('insured')}")
    text, _, sent = reply(fake_api, user, sent)
    assert text == translate("uk", messages.RESIDENCE_SAVED)
    stored, sent = my_data(fake_api, user, sent, "uk")
    assert translate("uk", messages.RESIDENCE_DE_INSURED) in stored

    fake_api.send_text(user, "/delete")
    sent += len(fake_api.wait_for(user, 1, after=sent))
    fake_api.press(user, "d:yes")
    sent += len(fake_api.wait_for(user, 1, after=sent))
    stored, sent = my_data(fake_api, user, sent, "en")  # a new start: nothing is known, not even the language
    assert translate("uk", messages.RESIDENCE_DE_INSURED) not in stored
    assert translate("uk", messages.RESIDENCE_DE_ASYLBLG) not in stored
    assert stored.count(translate("en", ui.NOT_SET)) >= 3  # country, area and residence situation

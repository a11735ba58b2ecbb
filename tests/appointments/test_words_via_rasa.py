"""A reminder asked for in the person's own words, through Rasa: the action's remind signal (common.contract) makes
the front end read the day and time and repeat them back; nothing is saved before the person confirms. Rasa is an
in-process stand-in here that answers as action_set_reminder does (the intent needs a training run first)."""
from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Dict, List

from sqlalchemy import func, select

from bot.appointments import calendar
from bot.config import Settings
from bot.exchange import Incoming
from bot.frontend import FrontEnd
from bot.privacy import pseudonym
from bot.rasa_client import RasaReply
from common import contract
from common.db import make_engine, migrate, session_factory
from common.db.models import Appointment, Person, utcnow
from common.i18n import translate
from common.strings import appointments as a
from tests.bot.test_bad_input import EchoRasa


class RemindingRasa(EchoRasa):
    """Every message is a set_reminder: the action's signal with the words, and the settled state."""

    async def send(self, sender: str, text: str, metadata: Dict[str, Any] | None = None) -> List[RasaReply]:
        self.received.append(text)
        state = contract.state_signal("ar", "DE", True)
        return [RasaReply(text="", buttons=[], custom=contract.remind_signal(text)), RasaReply(text="", buttons=[], custom=state)]


def test_own_words_through_rasa_are_repeated_back_in_the_persons_calendar(tmp_path):
    url = f"sqlite:///{tmp_path / 'product.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    front = FrontEnd(sessions, RemindingRasa(), Settings(pseudonym_key="k", rasa_tracker_url=""))  # type: ignore[arg-type]
    with sessions.begin() as session:
        session.add(Person(pseudonym=pseudonym("k", 5), chat_id=5, language="ar", language_chosen=True, country="DE",
                           consent_at=utcnow()))
    out = asyncio.run(front.handle(Incoming(1, 5, 5, "text", "موعدي عند طبيب الأسنان يوم ١٥ ديسمبر ٢٠٣٠ الساعة ١٠:٣٠")))
    at = calendar.to_utc(dt.date(2030, 12, 15), 10, 30, "Europe/Berlin")
    expected = translate("ar", a.REPEAT, kind=translate("ar", a.KINDS["dentist"]), when=calendar.when("ar", at, "Europe/Berlin"))
    assert [reply.text for reply in out] == [expected]
    assert [data for _, data in out[0].buttons] == ["a:s:dentist:20301215:1030", "a:new"]
    with sessions() as session:
        assert session.scalar(select(func.count(Appointment.id))) == 0
    asyncio.run(front.close())
    engine.dispose()

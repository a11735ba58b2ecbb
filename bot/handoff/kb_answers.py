"""Knowledge-base answers for mentors: `/kb WORDS` runs the knowledge retrieval (common.retrieval) for the person's
country, shows the best entry in the mentor's language, and Send relays it in the person's language with its
official source (`mk:<case>:<entry>`).

The index (the e5 encoder and the example vectors) is heavy: it is built on first use in a thread of its own,
never in a database transaction or on the event loop; until it is ready a mentor hears to try again shortly.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Callable, List

from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.claims import current
from bot.handoff.replies import mentor_out
from bot.handoff.saved_replies import preview, sent, theirs
from common import knowledge, places, retrieval
from common.db.models import Handoff, Mentor
from common.i18n import has_translation, translate
from common.strings import mentor as m

logger = logging.getLogger(__name__)
_building = threading.Lock()


def _build() -> None:
    try:
        retrieval.index()
    except Exception:  # noqa: BLE001 - logged; the next /kb tries again
        logger.exception("the knowledge index could not be built")
    finally:
        _building.release()


def index(start: Callable[[], None] | None = None) -> retrieval.Index | None:
    """The index when it is ready; else starts building it in the background (once) and returns None."""
    ready = retrieval.ready()
    if ready is None and _building.acquire(blocking=False):
        (start or (lambda: threading.Thread(target=_build, name="knowledge-index", daemon=True).start()))()
    return ready


def text_of(entry: knowledge.Entry, case: Handoff, lang: str) -> str | None:
    """The entry's answer for the person on the case in `lang` (None when it needs a region nobody gave)."""
    person = case.person
    if entry.needs_area and places.area(case.country, person.region) is None:
        return None
    values = knowledge.values(entry.country, person.region)
    body = translate(lang, entry.text(False, person.residence), values)
    source = knowledge.source_line(lang, entry.source_name, entry.source_url, entry.checked)
    return f"{body}\n\n{source}"


def command(session: Session, mentor: Mentor, words: str) -> List[Outgoing]:
    """`/kb WORDS`: the best entry for the person's country (at least retrieval.MIN_SCORE, translated into the
    person's language), previewed with Send and Cancel."""
    case = current(session, mentor)
    if case is None:
        return [mentor_out(mentor, m.M_NO_CASE)]
    if not words:
        return [mentor_out(mentor, m.M_KB_EMPTY)]
    found = index()
    if found is None:
        return [mentor_out(mentor, m.M_KB_LOADING)]
    country = case.country or "DK"
    for match in found.scores(words, country)[:5]:
        entry = match.entry
        if match.score < retrieval.MIN_SCORE or not has_translation(case.language, entry.answer):
            continue
        to_send, own = text_of(entry, case, case.language), text_of(entry, case, mentor.ui_language)
        if to_send is not None and own is not None:
            return [preview(mentor, case, to_send, own, f"{case.id}:{entry.id}", "mk")]
    return [mentor_out(mentor, m.M_KB_NONE)]


def send(session: Session, mentor: Mentor, value: str, now: dt.datetime | None = None) -> List[Outgoing]:
    """Send (`mk:<case>:<entry>`)."""
    case_id, _, entry_id = value.partition(":")
    case = theirs(session, mentor, case_id)
    entry = knowledge.entry(entry_id)
    text = text_of(entry, case, case.language) if case is not None and entry is not None else None
    if case is None or text is None:
        return [mentor_out(mentor, m.M_CASE_HIDDEN if case is None else m.M_NOT_SENT)]
    return sent(session, mentor, case, text, now)

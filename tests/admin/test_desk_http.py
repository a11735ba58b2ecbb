"""The supervisors' live desk and the supervision record over HTTP (Starlette's TestClient): what the pages show
and do not show, reassigning, taking over, answering a flag (the messages land in the outbox with the change),
linking a staff account to its Telegram supervisor account, and logging supervision sessions."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from bot.exchange import Incoming
from common.db.models import AuditEntry, Handoff, Mentor, OutboxMessage, Person, StaffUser, SupervisionSession, utcnow
from common.i18n import translate
from common.strings import mentor as m
from tests.admin.test_app import admin, csrf, log_in  # noqa: F401 - the fixture

SCRIPT_TAG = '<script src="/static/desk.js" defer></script>'


def desk_of(client):
    return client.app.state.desk


def add_mentor(db, client, user_id: int, name: str, languages: str, supervisor: bool = False, on_duty: bool = True) -> Mentor:
    desk = desk_of(client)
    invite = desk.create_invite(db, name, languages.split(","), supervisor=supervisor)
    desk.register(db, Incoming(0, user_id, user_id, "command", ""), invite.code)
    mentor = desk.mentor_of(db, user_id)
    mentor.on_duty = on_duty
    return mentor


def add_request(db, client, chat: int, lang: str, reason: str = "request", summary: tuple[str, ...] = ()) -> Handoff:
    person = Person(pseudonym=f"secret-pseudonym-{chat}", chat_id=chat, language=lang, country="DK", consent_at=utcnow())
    db.add(person)
    db.flush()
    desk_of(client).request(db, person, lang, reason, summary=summary)
    return desk_of(client).open_case(db, person)


@pytest.fixture
def desk_db(admin):  # noqa: F811
    """Two Arabic mentors (one with an open chat), a Farsi mentor, a waiting request and an urgent one."""
    with admin.app.state.sessions.begin() as db:
        amal = add_mentor(db, admin, 501, "Amal Haddad", "ar")
        add_mentor(db, admin, 502, "Bilal", "ar,fa")
        add_mentor(db, admin, 503, "Farid", "fa")
        add_mentor(db, admin, 504, "Sara Supervisor", "en", supervisor=True, on_duty=False)
        chat = add_request(db, admin, 11, "ar", summary=("my landlord shouts at me",))
        desk_of(admin).claim(db, amal, chat.id)
        add_request(db, admin, 12, "ar")
        add_request(db, admin, 13, "ar", "crisis")
    return admin


def outbox_to(client, chat_id: int) -> list[str]:
    with client.app.state.sessions() as db:
        return [row.text for row in db.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == chat_id).order_by(OutboxMessage.id))]


def test_the_desk_shows_the_queue_urgent_first_and_no_persons_data(desk_db):
    client = desk_db
    log_in(client, "sam")
    page = client.get("/desk")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].endswith("script-src 'self'; connect-src 'self'")
    assert page.text.count("<script") == 1 and SCRIPT_TAG in page.text  # no inline script: the one static file
    assert not re.search(r"<style|\sstyle=|\son\w+=", page.text, re.IGNORECASE)
    live = client.get("/desk/live")
    assert live.status_code == 200 and "<html" not in live.text and "<script" not in live.text
    assert "script-src" not in live.headers["content-security-policy"]
    waiting = re.findall(r'id="waiting-(\d+)"', live.text)
    assert waiting == ["3", "2"]  # the crisis first, then by waiting time
    assert 'id="chat-1"' in live.text and "Amal Haddad" in live.text
    for text in (page.text, live.text, client.get("/desk/cases/1").text):
        assert "secret-pseudonym" not in text and "P-secret" not in text and "landlord" not in text


def test_an_editor_cannot_see_the_desk_or_the_supervision_record(desk_db):
    log_in(desk_db, "eva")
    for path in ("/desk", "/desk/live", "/desk/cases/1", "/supervision"):
        assert desk_db.get(path).status_code == 403, path
    assert 'href="/desk"' not in desk_db.get("/answers").text


def test_reassigning_tells_both_mentors_and_the_person_through_the_outbox(desk_db):
    client = desk_db
    log_in(client, "sam")
    case_page = client.get("/desk/cases/1").text
    options = re.findall(r'<option value="(\d+)">([^<]+)</option>', case_page)
    assert [name.split(" –")[0] for _, name in options] == ["Bilal", "Sara Supervisor"]  # serves Arabic; not Farid, not Amal
    token = csrf(client, "/desk/cases/1")
    refused = client.post("/desk/cases/1/reassign", data={"csrf_token": token, "mentor_id": "3"})  # Farid: Farsi only
    assert refused.status_code == 422 and "does not take ar requests" in refused.text
    assert outbox_to(client, 502) == []
    moved = client.post("/desk/cases/1/reassign", data={"csrf_token": token, "mentor_id": "2"})
    assert moved.status_code == 303 and moved.headers["location"] == "/desk/cases/1?done=reassigned"
    assert outbox_to(client, 501) == [translate("en", m.M_REASSIGNED_AWAY, {"case": 1, "name": "Bilal"})]
    assert outbox_to(client, 502)[0].startswith("A supervisor has passed chat #1 (P-")
    assert outbox_to(client, 11)[-1] == translate("ar", m.MENTOR_CHANGED, {"name": "Bilal"})
    with client.app.state.sessions() as db:
        assert db.get(Handoff, 1).mentor.name == "Bilal"
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "reassign case")).one()
        assert (entry.username, entry.entity, entry.before, entry.after) == ("sam", "handoff:1", "Amal Haddad", "Bilal")
    assert "Moved." in client.get("/desk/cases/1?done=reassigned").text


def test_an_admin_links_a_supervisors_telegram_account_and_the_supervisor_takes_a_case_over(desk_db):
    client = desk_db
    log_in(client, "sam")
    token = csrf(client, "/desk/cases/2")
    refused = client.post("/desk/cases/2/take-over", data={"csrf_token": token})
    assert refused.status_code == 422 and "not linked" in refused.text
    client.post("/logout", data={"csrf_token": token})
    log_in(client, "ada")
    with client.app.state.sessions() as db:
        sam = db.scalar(select(StaffUser).where(StaffUser.username == "sam")).id
    token = csrf(client, "/users")
    wrong = client.post(f"/users/{sam}", data={"csrf_token": token, "action": "mentor", "mentor_id": "1"})  # a mentor, not a supervisor
    assert wrong.status_code == 422 and "only an active supervisor" in wrong.text
    assert client.post(f"/users/{sam}", data={"csrf_token": token, "action": "mentor", "mentor_id": "4"}).status_code == 303
    client.post("/logout", data={"csrf_token": token})
    log_in(client, "sam")
    page = client.get("/desk/cases/2").text
    assert "Take over with my Telegram account (Sara Supervisor)" in page
    taken = client.post("/desk/cases/2/take-over", data={"csrf_token": csrf(client, "/desk/cases/2")})
    assert taken.status_code == 303
    with client.app.state.sessions() as db:
        case = db.get(Handoff, 2)
        assert (case.status, case.mentor.name) == ("claimed", "Sara Supervisor")
    assert outbox_to(client, 504)[0].startswith("A supervisor has passed chat #2")
    assert outbox_to(client, 12)[-1] == translate("ar", m.MENTOR_JOINED, {"name": "Sara"})  # the first name only


def test_answering_a_flag_reaches_the_mentor_once_and_the_log_keeps_no_text(desk_db):
    client = desk_db
    with client.app.state.sessions.begin() as db:
        amal = db.get(Mentor, 1)
        desk_of(client).from_mentor(db, amal, Incoming(1, 501, 501, "command", "/flag is this a crisis?"))
        db.get(Handoff, 1).flagged_at = utcnow() - dt.timedelta(minutes=7)
    log_in(client, "sam")
    live = client.get("/desk/live").text
    assert re.search(r'id="flag-1".*?Amal Haddad.*?7 min', live, re.DOTALL)
    page = client.get("/desk/cases/1").text
    assert "is this a crisis?" in page  # the mentor's words to the supervisors, on the case page only
    assert "is this a crisis?" not in live
    token = csrf(client, "/desk/cases/1")
    empty = client.post("/desk/cases/1/answer-flag", data={"csrf_token": token, "text": "  "})
    assert empty.status_code == 422 and "Write the answer" in empty.text
    answer = "Give the numbers again and stay with them."
    assert client.post("/desk/cases/1/answer-flag", data={"csrf_token": token, "text": answer}).status_code == 303
    assert outbox_to(client, 501)[-1] == translate("en", m.M_FLAG_ANSWER, {"name": "sam", "case": 1, "text": answer})
    again = client.post("/desk/cases/1/answer-flag", data={"csrf_token": token, "text": "twice"})
    assert again.status_code == 422 and "no open flag" in again.text
    assert 'id="flag-1"' not in client.get("/desk/live").text
    with client.app.state.sessions() as db:
        entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "answer flag")).all()
        assert [(e.before, e.after) for e in entries] == [("flag open", "flag answered")]
        assert db.get(Handoff, 1).flag_answered_by == "sam"


def test_supervisors_log_sessions_without_persons_data_and_see_each_mentors_last_one(desk_db):
    client = desk_db
    log_in(client, "sam")
    token = csrf(client, "/supervision")
    today = utcnow().date()
    form = {"csrf_token": token, "held_on": (today - dt.timedelta(days=3)).isoformat(), "mentor_id": "2",
            "topics": ["role", "self_care"], "note": "talked about saying no"}
    for change, problem in (({"note": "about #12"}, "no person's data"), ({"note": "her number 20 30 40 50"}, "no person's data"),
                            ({"topics": []}, "at least one topic"), ({"topics": ["gossip"]}, "at least one topic"),
                            ({"held_on": (today + dt.timedelta(days=1)).isoformat()}, "between"),
                            ({"held_on": "yesterday"}, "Give the date"), ({"mentor_id": "99"}, "active mentors")):
        refused = client.post("/supervision", data={**form, **change})
        assert refused.status_code == 422 and problem in refused.text, change
    assert client.post("/supervision", data=form).status_code == 303
    assert client.post("/supervision", data={**form, "held_on": (today - dt.timedelta(days=10)).isoformat()}).status_code == 303
    page = client.get("/supervision?saved=1").text
    rows = re.findall(r'id="last-(\d+)"><td>([^<]+)</td><td>[^<]+</td>\s*<td>([^<]+)</td><td>([^<]+)</td>', page)
    assert rows[-1] == ("2", "Bilal", (today - dt.timedelta(days=3)).isoformat(), "3")  # the latest of the two
    assert {row[0]: row[2] for row in rows[:-1]} == {"1": "never", "3": "never", "4": "never"}
    assert "Role and boundaries, Self-care and stress" in page and "talked about saying no" in page
    with client.app.state.sessions() as db:
        assert len(db.scalars(select(SupervisionSession)).all()) == 2
        assert db.scalars(select(AuditEntry.action).where(AuditEntry.action == "record supervision")).all() == ["record supervision"] * 2

"""The staff admin against a careful attacker and a careless upload (issue #18): each finding of the security
probe reproduced over HTTP (Starlette's TestClient; a real uvicorn server where the network matters) and shown
fixed. One section per finding, in the issue's order."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.admin import security, service
from bot.admin.app import create_app
from bot.config import Settings
from common import content_store
from common.db import make_engine, migrate, session_factory
from common.db.models import AuditEntry, TranslationOverride
from common.i18n import translate
from common.strings import assistant as a
from tests.admin.test_app import PASSWORD, csrf, log_in

GOODBYE = "Goodbye, take care! You can write to me any time. In an emergency call 112."


def make_client(tmp_path: Path, **settings) -> TestClient:
    """The admin on a fresh SQLite database with an editor (eva), a supervisor (sam) and an admin (ada)."""
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        for name, role in (("eva", "editor"), ("sam", "supervisor"), ("ada", "admin")):
            security.create_user(db, name, PASSWORD, role)
    engine.dispose()
    app = create_app(Settings(database_url=url, admin_secret_key="test-secret", rasa_tracker_db=tmp_path / "tracker.db",
                              **settings))
    return TestClient(app, base_url="https://admin.test", follow_redirects=False)


@pytest.fixture
def admin(tmp_path):
    with make_client(tmp_path) as client:
        yield client


@pytest.fixture
def live_translations(admin):
    """translate() reading the admin's database, as the bot and the action server do."""
    content_store.configure(str(admin.app.state.engine.url), ttl=0)
    yield
    content_store.configure(None)


def upload(client: TestClient, language: str, data: bytes):
    return client.post(f"/translations/{language}", data={"csrf_token": csrf(client, "/translations")},
                       files={"file": (f"{language}.po", data, "text/x-gettext-translation")})


def exported_with(client: TestClient, language: str, msgid: str, msgstr: str) -> bytes:
    """The language's exported .po file with one entry's translation replaced (as a translator's tool writes it)."""
    po = read_po(io.BytesIO(client.get(f"/translations/{language}.po").content), locale=language)
    assert po[msgid].string
    po[msgid].string = msgstr
    out = io.BytesIO()
    write_po(out, po, width=0)
    return out.getvalue()


def line_of(po: bytes, msgid: str) -> int:
    return next(message.lineno for message in read_po(io.BytesIO(po)) if message.id == msgid)


# --- 1. numbers stay true ----------------------------------------------------------------------------------------
def test_a_po_import_that_changes_a_number_is_refused_naming_the_line_and_translate_is_unchanged(admin, live_translations):
    log_in(admin, "eva")
    before = translate("da", GOODBYE)
    assert "112" in before
    forged = exported_with(admin, "da", GOODBYE, before.replace("112", "911"))
    response = upload(admin, "da", forged)
    assert response.status_code == 422
    assert f"line {line_of(forged, GOODBYE)}: numbers not in the English text: 911; numbers of the English text missing: 112" in response.text
    assert translate("da", GOODBYE) == before  # the bot still gives the true number
    # a crisis text with placeholders only: a number written into the translation is refused as well
    crisis = translate("da", a.CRISIS_DK)
    refused = upload(admin, "da", exported_with(admin, "da", a.CRISIS_DK, crisis.replace("%(lifeline)s", "%(lifeline)s / 70 000 000")))
    assert refused.status_code == 422 and "numbers not in the English text: 70000000" in refused.text
    with admin.app.state.sessions() as db:
        assert db.scalars(select(TranslationOverride)).all() == []


def test_the_same_number_in_other_digits_or_grouping_is_accepted():
    assert service.number_problems("Call 112 or 70 201 201.", "Ring ١١٢ eller 70201201.") == []
    assert service.number_problems("Call 116117.", "Ruf 116 117 an.") == []
    assert service.number_problems("Call 116117.", "Ruf an.") == ["numbers of the English text missing: 116117"]


def test_an_answer_edit_that_changes_a_number_is_refused_naming_the_line(admin):
    log_in(admin, "eva")
    path = "/answers/find_gp/DE/de"
    english = service.built_in("find_gp", "DE", "en")[0]
    assert "116117" in english
    text = "Suchen Sie eine Hausarztpraxis.\nTermine über 116118."
    form = {"text": text, "source_name": "KBV", "source_url": "https://www.116117.de/", "csrf_token": csrf(admin, path),
            "action": "publish"}
    response = admin.post(path, data=form)
    assert response.status_code == 422
    assert "line 2: numbers not in the English text: 116118; numbers of the English text missing: 116117" in response.text
    left_out = admin.post(path, data={**form, "text": "Suchen Sie eine Hausarztpraxis."})
    line = next(n for n, text in enumerate(english.split("\n"), 1) if "116117" in text)
    assert f"line {line} of the English text: numbers of the English text missing: 116117" in left_out.text
    assert admin.post(path, data={**form, "text": "Suchen Sie eine Hausarztpraxis.\nTermine über 116 117."}).status_code == 303
    # the English source itself keeps the shipped numbers too
    english_path = "/answers/find_gp/DE/en"
    changed = admin.post(english_path, data={**form, "text": english.replace("116117", "116000"), "csrf_token": csrf(admin, english_path)})
    assert changed.status_code == 422 and "116000" in changed.text


def test_a_po_import_is_reverted_from_the_audit_log(admin, live_translations):
    question = "Which country do you live in?"
    shipped = translate("da", question)
    log_in(admin, "eva")
    assert upload(admin, "da", exported_with(admin, "da", question, "Hvor bor du?")).status_code == 200
    assert upload(admin, "da", exported_with(admin, "da", question, "I hvilket land bor du?")).status_code == 200
    assert translate("da", question) == "I hvilket land bor du?"
    admin.post("/logout", data={"csrf_token": csrf(admin, "/answers")})
    log_in(admin, "ada")
    with admin.app.state.sessions() as db:
        first, second = db.scalars(select(AuditEntry.id).where(AuditEntry.action == "import .po").order_by(AuditEntry.id)).all()
    token = csrf(admin, "/audit")
    assert f'action="/audit/{second}/revert"' in admin.get("/audit").text
    assert admin.post(f"/audit/{second}/revert", data={"csrf_token": token}).status_code == 303
    assert translate("da", question) == "Hvor bor du?"
    assert admin.post(f"/audit/{first}/revert", data={"csrf_token": token}).status_code == 303
    assert translate("da", question) == shipped  # before the first import: the shipped translation
    with admin.app.state.sessions() as db:
        assert db.scalars(select(TranslationOverride)).all() == []


def test_reverting_a_missing_entry_or_one_of_another_kind_is_a_clean_4xx(admin):
    log_in(admin, "ada")
    token = csrf(admin, "/users")
    admin.post("/users", data={"csrf_token": token, "username": "nina", "password": PASSWORD, "role": "editor"})
    with admin.app.state.sessions() as db:
        account = db.scalar(select(AuditEntry.id).where(AuditEntry.action == "create account"))
    missing = admin.post("/audit/999999/revert", data={"csrf_token": token})
    assert missing.status_code == 404 and "no audit entry #999999" in missing.text
    other = admin.post(f"/audit/{account}/revert", data={"csrf_token": token})
    assert other.status_code == 422 and "can be reverted" in other.text
    assert 'action="/logout"' in other.text  # a page in the admin's style, with its header


# --- 4. CSV cells are safe ---------------------------------------------------------------------------------------
FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


def tracker_with(path: Path, said: list[str]) -> None:
    """Rasa's tracker store (the columns of its `events` table) with these messages the bot did not understand."""
    import datetime as dt
    import json

    from sqlalchemy import text

    tracker = make_engine(f"sqlite:///{path}")
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    with tracker.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                                "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"))
        for n, message in enumerate(said):
            connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
                                    "VALUES ('p', 'user', :t, 'nlu_fallback', :d)"), {"t": now - n, "d": json.dumps({"text": message})})
    tracker.dispose()


def test_formula_cells_in_insight_csv_are_escaped(tmp_path):
    import csv

    tracker_with(tmp_path / "tracker.db", [*FORMULAS, "where is a doctor?"])
    with make_client(tmp_path) as client:
        log_in(client, "sam")
        response = client.get("/insight.csv?table=not_understood")
    assert response.status_code == 200
    cells = [row[2] for row in csv.reader(io.StringIO(response.text))][1:]
    assert sorted(cells) == sorted(["'" + formula for formula in FORMULAS] + ["where is a doctor?"])
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_every_csv_cell_goes_through_the_escaping():
    from bot.admin import insight

    assert insight.safe_cell("=1+1") == "'=1+1" and insight.safe_cell(-5) == -5 and insight.safe_cell("a=b") == "a=b"
    data = insight.Insight(start=None, end=None, handoffs_per_week=[("=2026-W01", 1)])  # type: ignore[arg-type]
    data.topics = {"@da": __import__("collections").Counter({"-find_gp": 2})}
    assert insight.to_csv(data, "handoffs").splitlines()[1] == "'=2026-W01,1"
    assert insight.to_csv(data, "topics").splitlines()[1] == "'@da,'-find_gp,2"


# --- 5. staff lifecycle ------------------------------------------------------------------------------------------
def cookie(client: TestClient) -> str:
    return client.cookies["brobygger_admin"]


def with_cookie(client: TestClient, value: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("brobygger_admin", value, domain="admin.test")
    return client


def account_id(client: TestClient, username: str) -> int:
    from common.db.models import StaffUser

    with client.app.state.sessions() as db:
        return db.scalar(select(StaffUser.id).where(StaffUser.username == username))


def test_a_copy_of_the_session_cookie_stops_working_at_logout(admin):
    log_in(admin, "eva")
    copy = cookie(admin)
    assert admin.get("/answers").status_code == 200
    admin.post("/logout", data={"csrf_token": csrf(admin, "/answers")})
    response = with_cookie(admin, copy).get("/answers")  # e.g. a cookie stolen before the logout
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_an_admin_deactivates_resets_and_reroles_staff_and_their_sessions_end_at_once(tmp_path):
    with make_client(tmp_path) as ada, TestClient(ada.app, base_url="https://admin.test", follow_redirects=False) as eva:
        log_in(eva, "eva")
        assert eva.get("/answers").status_code == 200
        log_in(ada, "ada")
        token = csrf(ada, "/users")
        target = f"/users/{account_id(ada, 'eva')}"
        # a new role: in force at the next request, the session goes on
        assert ada.post(target, data={"csrf_token": token, "action": "role", "role": "supervisor"}).status_code == 303
        assert eva.get("/mentors").status_code == 200
        # a new password: the old session ends, the old password no longer works, the new one does
        new_password = "a fresh staff passphrase"
        assert ada.post(target, data={"csrf_token": token, "action": "password", "password": new_password}).status_code == 303
        assert eva.get("/answers").headers.get("location") == "/login"
        assert log_in(eva, "eva").status_code == 401
        assert log_in(eva, "eva", new_password).status_code == 303
        # deactivation: the session ends at once, and no login until reactivated
        assert ada.post(target, data={"csrf_token": token, "action": "deactivate"}).status_code == 303
        assert eva.get("/answers").headers.get("location") == "/login"
        assert log_in(eva, "eva", new_password).status_code == 401
        assert ada.post(target, data={"csrf_token": token, "action": "reactivate"}).status_code == 303
        assert log_in(eva, "eva", new_password).status_code == 303
        page = ada.get("/users").text
        assert "eva</td><td>supervisor</td><td>active" in page
        with ada.app.state.sessions() as db:
            actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity == "staff:eva").order_by(AuditEntry.id)).all()
        assert actions == ["change role", "reset password", "deactivate account", "reactivate account"]
        # the last admin cannot lock everybody out
        own = f"/users/{account_id(ada, 'ada')}"
        assert ada.post(own, data={"csrf_token": token, "action": "deactivate"}).status_code == 422
        refused = ada.post(own, data={"csrf_token": token, "action": "role", "role": "editor"})
        assert refused.status_code == 422 and "own role" in refused.text
        assert ada.post("/users/424242", data={"csrf_token": token, "action": "deactivate"}).status_code == 404


def test_the_command_line_manages_staff_accounts(tmp_path, monkeypatch, capsys):
    from bot.__main__ import main
    from common.db.models import StaffUser

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["admin", "create-user", "--username", "Nina", "--role", "editor", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("nina-password-1\n"))
    assert main(["admin", "reset-password", "--username", "nina", "--password-stdin"]) == 2  # contains the user name
    assert "user name" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("a completely new passphrase\n"))
    assert main(["admin", "reset-password", "--username", "nina", "--password-stdin"]) == 0
    assert main(["admin", "set-role", "--username", "nina", "--role", "supervisor"]) == 0
    assert main(["admin", "deactivate", "--username", "nina"]) == 0
    assert main(["admin", "deactivate", "--username", "nobody"]) == 2
    capsys.readouterr()
    assert main(["admin", "list-users"]) == 0
    assert capsys.readouterr().out.splitlines() == ["nina\tsupervisor\tdeactivated"]
    engine = make_engine(url)
    with session_factory(engine)() as db:
        nina = db.scalar(select(StaffUser).where(StaffUser.username == "nina"))
        assert nina.session_version == 2  # the new password and the deactivation each ended its sessions
        assert db.scalars(select(AuditEntry.username).distinct()).all() == ["cli"]
    engine.dispose()


@pytest.mark.parametrize("key", ["", "dev-only-admin-secret"])
def test_the_admin_does_not_start_with_a_missing_or_default_secret_outside_development(tmp_path, key):
    from bot.admin.app import InsecureSecret

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", admin_secret_key=key)
    with pytest.raises(InsecureSecret):
        create_app(settings)
    assert create_app(Settings(database_url=settings.database_url, admin_secret_key=key, admin_dev=True))


def test_settings_from_the_environment_need_the_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("ADMIN_SECRET_KEY", "")
    monkeypatch.setenv("ADMIN_DEV", "false")
    assert Settings.from_env().admin_secret_key == "" and not Settings.from_env().admin_dev
    monkeypatch.setenv("ADMIN_DEV", "true")
    assert Settings.from_env().admin_dev


@pytest.mark.parametrize("username, password, problem", [
    ("eva", "eva-eva-eva-eva", "user name"),
    ("evelyn", "EVELYN 2026 !!", "user name"),
    ("eva", " " * 12, "only spaces"),
    ("eva", "password1234", "common"),
    ("eva", "qwertyuiop123", "common"),
    ("eva", "Iloveyou Iloveyou", "common"),
    ("eva", "aaaaaaaaaaaaaaaa", "common"),
    ("eva", "short", "at least 12"),
    ("eva", "x" * 300, "at most 256"),
    ("аdm", PASSWORD, "a-z"),  # a Cyrillic а
    ("adm\u0131n", PASSWORD, "a-z"),  # a dotless ı
    ("n" * 5000, PASSWORD, "2-64"),
    ("", PASSWORD, "2-64"),
])
def test_weak_passwords_and_look_alike_user_names_are_refused(tmp_path, username, password, problem):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        with pytest.raises(ValueError) as refused:
            security.create_user(db, username, password, "editor")
    engine.dispose()
    assert problem in str(refused.value)


def test_user_names_are_normalised_and_log_in_as_typed(admin):
    with admin.app.state.sessions.begin() as db:
        created = security.create_user(db, "Ｅva.Berg", PASSWORD, "editor")  # full-width Ｅ: NFKC makes it E
        assert created.username == "eva.berg"
    assert log_in(admin, "EVA.BERG").status_code == 303


# --- 6. clean errors ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method, path, status", [
    ("GET", "/answers/emergency/DK/xx", 404),
    ("GET", "/answers/nope/DK/da", 404),
    ("GET", "/answers/find_gp/SE/da", 404),
    ("POST", "/answers/emergency/DK/xx", 404),
    ("GET", "/translations/xx.po", 404),
    ("GET", "/translations/en.po", 404),
    ("POST", "/translations/xx", 404),
    ("GET", "/services?edit=%C2%B2", 422),
    ("GET", "/services?edit=99999999999999999999", 422),
    ("GET", "/services?edit=4242", 404),
    ("POST", "/services", 422),  # with id=²
    ("POST", "/audit/99999999999999999999/revert", 422),
    ("POST", "/audit/%C2%B2/revert", 422),
    ("POST", "/mentors/99999999999999999999/deactivate", 422),
    ("POST", "/mentors/4242/deactivate", 404),
    ("POST", "/users/99999999999999999999", 422),
    ("GET", "/insight?start=2026-01-01&end=9999-12-31", 422),
    ("GET", "/insight.csv?table=topics&start=0001-01-01", 422),
    ("GET", "/insight.csv?table=../../etc/passwd", 404),
    ("GET", "/no-such-page", 404),
    ("PUT", "/answers", 405),
])
def test_unknown_or_out_of_range_values_give_a_clean_4xx_page(admin, method, path, status):
    log_in(admin, "ada")
    form = {"csrf_token": csrf(admin, "/answers"), "id": "²", "kind": "gp", "name": "X", "country": "DK", "city": "Y",
            "text": "x", "source_name": "s", "source_url": "https://a.dk"}
    response = admin.request(method, path, data=form if method != "GET" else None)
    assert response.status_code == status, response.text[-500:]
    assert response.headers["content-type"].startswith("text/html") and "<h1>" in response.text
    assert 'action="/logout"' in response.text  # the admin's own page, with its header


def test_a_po_with_an_unknown_charset_is_a_422(admin):
    log_in(admin, "eva")
    data = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=no-such-charset\\n"\n\nmsgid "Costs"\nmsgstr "x"\n'
    response = upload(admin, "da", data)
    assert response.status_code == 422 and "cannot be read as a .po file" in response.text


# --- 7. headers --------------------------------------------------------------------------------------------------
def test_every_page_has_the_security_headers_and_no_inline_script_or_style(admin):
    log_in(admin, "ada")
    paths = ["/login", "/answers", "/answers/find_gp/DK/da", "/translations", "/services", "/mentors", "/insight",
             "/audit", "/users", "/no-such-page"]
    for path in paths:
        response = admin.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp, path
        assert "script-src" not in csp  # default-src 'none': no script at all
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store", path
        assert not re.search(r"<script|<style|\sstyle=|\son\w+=", response.text, re.IGNORECASE), path
    css = admin.get("/static/admin.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ".badge" in css.text
    for path in ("/insight.csv?table=topics", "/translations/da.po"):
        assert admin.get(path).headers["cache-control"] == "no-store"


def test_download_file_names_come_from_an_allow_list(admin):
    log_in(admin, "ada")
    evil = admin.get('/insight.csv?table=topics"; filename="evil.exe')
    assert evil.status_code == 404 and "evil" not in evil.headers.get("content-disposition", "")
    good = admin.get("/insight.csv?table=not_understood&start=2026-01-01")
    assert good.headers["content-disposition"] == 'attachment; filename="brobygger-not_understood-2026-01-01.csv"'
    assert admin.get("/translations/da.po").headers["content-disposition"] == 'attachment; filename="brobygger-da.po"'


# --- 8. input bounds ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fields, problem", [
    ({"max_cases": "-5"}, "1 to 20"),
    ({"max_cases": "1000000"}, "1 to 20"),
    ({"max_cases": "²"}, "1 to 20"),
    ({"name": "N" * 5000}, "1-64 characters"),
    ({"name": "   "}, "1-64 characters"),
])
def test_mentor_invites_are_bounded(admin, fields, problem):
    from common.db.models import Invite

    log_in(admin, "sam")
    form = {"csrf_token": csrf(admin, "/mentors"), "name": "Bilal", "languages": "ar", "max_cases": "3", **fields}
    response = admin.post("/mentors/invite", data=form)
    assert response.status_code == 422 and problem in response.text
    with admin.app.state.sessions() as db:
        assert db.scalars(select(Invite)).all() == []


def test_answers_and_directory_entries_are_bounded_to_their_columns(admin):
    log_in(admin, "eva")
    path = "/answers/find_gp/DK/da"
    form = {"csrf_token": csrf(admin, path), "source_name": "sundhed.dk", "source_url": "https://www.sundhed.dk/",
            "action": "publish"}
    huge = admin.post(path, data={**form, "text": "Ring til din laege. " * 45_000})  # 900,000 characters
    assert huge.status_code == 422 and "at most 3,000" in huge.text
    over_a_megabyte = admin.post(path, data={**form, "text": "Ring til lægen. " * 60_000})  # one form field over 1 MB
    assert over_a_megabyte.status_code == 400 and "maximum size" in over_a_megabyte.text
    over_the_limit = admin.post(path, data={**form, "text": "Ring til lægen. " * 100_000})  # the body over 2 MB
    assert over_the_limit.status_code == 413 and "too large" in over_the_limit.text
    long_source = admin.post(path, data={**form, "text": "Ring til lægen.", "source_name": "s" * 201})
    assert long_source.status_code == 422
    place = {"csrf_token": csrf(admin, "/services"), "kind": "gp", "name": "Lægehuset", "country": "DK", "city": "Odense"}
    for name, value in (("name", "N" * 201), ("city", "C" * 81), ("address", "A" * 301), ("opening_hours", "H" * 201),
                        ("url", "https://" + "u" * 500), ("languages", ",".join(["ar"] * 40))):
        response = admin.post("/services", data={**place, name: value})
        assert response.status_code == 422 and "Too long" in response.text or "Unknown" in response.text, name
    assert admin.post("/services", data=place).status_code == 303

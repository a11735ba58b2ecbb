"""The mentor roster for supervisors: who is active and on duty, their open chats, the queue; one-time invite
links; deactivation (through the hand-off desk: their open chats go back to the queue; the mentor and the people
are told through the outbox, which the bot delivers)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from bot import outbox
from bot.admin import service
from bot.admin.deps import DeskDep, RowId, SessionDep, SettingsDep, SupervisorUser
from bot.admin.pages import error_page, render
from common.db.models import Handoff, Mentor

router = APIRouter(tags=["mentors"])
MAX_CASES = 20  # the most chats a mentor can take at a time (a cap, not a target)
MAX_NAME = 64  # invite.name / mentor.name


def invite_problems(name: str, languages: str, countries: str, max_cases: str) -> list[str]:
    """What is wrong with an invite form, against the columns it goes into (the hand-off desk checks the codes)."""
    problems = []
    if not name.strip() or len(name.strip()) > MAX_NAME:
        problems.append(f"A name of 1-{MAX_NAME} characters is needed.")
    if len(languages) > 200 or len(countries) > 50:
        problems.append("Too many language or country codes.")
    if not (max_cases.strip().isascii() and max_cases.strip().isdigit() and 1 <= int(max_cases) <= MAX_CASES):
        problems.append(f"Most chats at a time: a whole number from 1 to {MAX_CASES}.")
    return problems


@router.get("/mentors", response_class=HTMLResponse)
def mentors(request: Request, db: SessionDep, user: SupervisorUser) -> Response:
    rows = []
    for mentor in db.scalars(select(Mentor).order_by(Mentor.active.desc(), Mentor.name)):
        load = db.scalar(select(func.count(Handoff.id)).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed")) or 0
        rows.append((mentor, load))
    waiting = db.scalar(select(func.count(Handoff.id)).where(Handoff.status == "waiting")) or 0
    return render(request, "mentors.html", rows=rows, waiting=waiting, link=request.session.pop("invite_link", None))


@router.post("/mentors/invite")
def mentors_invite(
    request: Request, db: SessionDep, desk: DeskDep, settings: SettingsDep, user: SupervisorUser,
    name: Annotated[str, Form()] = "", languages: Annotated[str, Form()] = "", countries: Annotated[str, Form()] = "",
    supervisor: Annotated[str, Form()] = "", max_cases: Annotated[str, Form()] = "",
) -> Response:
    from bot.handoff.cli import bot_username

    problems = invite_problems(name, languages, countries, max_cases or "3")
    codes = list(dict.fromkeys(code.strip() for code in languages.split(",")))  # "ar,ar,ar" is one language
    places = list(dict.fromkeys(code.strip() for code in countries.split(",")))
    try:
        if problems:
            raise ValueError(" ".join(problems))
        invite = desk.create_invite(db, name, codes, places, supervisor=supervisor == "on", max_cases=int(max_cases or 3))
    except ValueError as error:
        db.rollback()
        return render(request, "mentors.html", status_code=422, rows=[], waiting=0, problems=[str(error)])
    service.audit(db, user.username, "invite mentor", f"invite:{invite.id}", None, invite.name)
    db.commit()
    username = bot_username(settings) or "<bot_username>"  # may ask Telegram (getMe): fine in the thread pool
    request.session["invite_link"] = f"https://t.me/{username}?start={invite.code}"
    return RedirectResponse("/mentors", status_code=303)


@router.post("/mentors/{mentor_id}/deactivate")
def mentors_deactivate(request: Request, db: SessionDep, desk: DeskDep, user: SupervisorUser, mentor_id: RowId) -> Response:
    mentor = db.get(Mentor, mentor_id)
    if mentor is None:
        return error_page(request, 404, "There is no such mentor.")
    if mentor.active:
        outbox.put(db, desk.deactivate(db, mentor))  # the mentor and their people are told: in this transaction
        service.audit(db, user.username, "deactivate mentor", f"mentor:{mentor_id}", "active", "inactive")
        db.commit()
    return RedirectResponse("/mentors", status_code=303)

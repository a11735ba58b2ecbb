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
from bot.admin.deps import DeskDep, SessionDep, SettingsDep, SupervisorUser
from bot.admin.pages import render
from common.db.models import Handoff, Mentor

router = APIRouter(tags=["mentors"])


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

    try:
        invite = desk.create_invite(db, name, languages.split(","), countries.split(","), supervisor=supervisor == "on",
                                    max_cases=int(max_cases or 3))
    except ValueError as error:
        return render(request, "mentors.html", status_code=422, rows=[], waiting=0, problems=[str(error)])
    service.audit(db, user.username, "invite mentor", f"invite:{invite.id}", None, invite.name)
    db.commit()
    username = bot_username(settings) or "<bot_username>"  # may ask Telegram (getMe): fine in the thread pool
    request.session["invite_link"] = f"https://t.me/{username}?start={invite.code}"
    return RedirectResponse("/mentors", status_code=303)


@router.post("/mentors/{mentor_id}/deactivate")
def mentors_deactivate(db: SessionDep, desk: DeskDep, user: SupervisorUser, mentor_id: int) -> Response:
    mentor = db.get(Mentor, mentor_id)
    if mentor is not None:
        outbox.put(db, desk.deactivate(db, mentor))  # the mentor and their people are told: in this transaction
        service.audit(db, user.username, "deactivate mentor", f"mentor:{mentor_id}", "active", "inactive")
        db.commit()
    return RedirectResponse("/mentors", status_code=303)

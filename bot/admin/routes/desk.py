"""The supervisors' live desk: the waiting queue, open chats per mentor, open flags and the mentors on duty
(bot.handoff.overview), refreshed in place every few seconds by /static/desk.js, which fetches /desk/live (the same
template the page includes) — no reload. A case's page lets a supervisor reassign it, take it over, or answer its
flag; the mentors and the person are told in Telegram through the outbox, written in the same transaction."""
from __future__ import annotations

from typing import Annotated, Callable, List

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot import outbox
from bot.admin import service
from bot.admin.deps import DeskDep, RowId, SessionDep, SupervisorUser
from bot.admin.pages import error_page, render
from bot.exchange import Outgoing
from bot.handoff import flags, reassign
from bot.handoff.figures import unanswered_since
from bot.handoff.matching import REASONS, risk
from common.db.models import Handoff, Mentor, StaffUser, as_utc, utcnow

router = APIRouter(tags=["desk"])
REFRESH_SECONDS = 2  # how often the open desk asks for /desk/live
DONE = {"reassigned": "Moved. Both mentors and the person are told in Telegram.",
        "taken": "The case is yours now: your Telegram supervisor account has its summary.",
        "answered": "Answer sent to the mentor in Telegram."}


@router.get("/desk", response_class=HTMLResponse)
def desk_page(request: Request, db: SessionDep, desk: DeskDep, user: SupervisorUser) -> Response:
    return render(request, "desk.html", view=desk.view(db, utcnow()), refresh=REFRESH_SECONDS)


@router.get("/desk/live", response_class=HTMLResponse)
def desk_live(request: Request, db: SessionDep, desk: DeskDep, user: SupervisorUser) -> Response:
    """The live part of the desk alone, for desk.js to put in place."""
    return render(request, "desk_live.html", view=desk.view(db, utcnow()))


def case_page(request: Request, db: Session, user: StaffUser, case: Handoff, status_code: int = 200,
              problems: list[str] | None = None, done: str = "", text: str = "") -> Response:
    now = utcnow()
    unanswered = unanswered_since(db, [case.id]).get(case.id) if case.status == "claimed" else None
    return render(
        request, "desk_case.html", status_code=status_code, problems=problems, case=case, now=now,
        risk=risk(case), reason=REASONS.get(case.reason, case.reason), created=as_utc(case.created_at),
        claimed=as_utc(case.claimed_at) if case.claimed_at else None, unanswered=unanswered,
        flagged_at=as_utc(case.flagged_at) if case.flagged_at else None,
        eligible=reassign.eligible(db, case) if case.status != "closed" else [],
        own=reassign.supervisor_account(db, user), done=DONE.get(done, ""), text=text,
    )


@router.get("/desk/cases/{case_id}", response_class=HTMLResponse)
def desk_case(request: Request, db: SessionDep, user: SupervisorUser, case_id: RowId, done: str = "") -> Response:
    case = db.get(Handoff, case_id)
    if case is None:
        return error_page(request, 404, "There is no such case.")
    return case_page(request, db, user, case, done=done)


def act(request: Request, db: Session, user: StaffUser, case_id: int, change: Callable[[Handoff], List[Outgoing]],
        action: str, done: str, text: str = "") -> Response:
    """One supervisor action on a case: its messages go to the outbox and its audit entry to the log, in one
    transaction; a refusal (reassign.NotPossible, flags.NotPossible) shows the case page again with the reason."""
    case = db.get(Handoff, case_id)
    if case is None:
        return error_page(request, 404, "There is no such case.")
    before = case.mentor.name if case.mentor else None
    try:
        outbox.put(db, change(case))  # the mentors and the person are told by the bot: in this transaction
    except (reassign.NotPossible, flags.NotPossible) as problem:
        db.rollback()
        return case_page(request, db, user, case, 422, [str(problem)], text=text)
    if action == "answer flag":  # the answer itself is not logged: it may speak of the person
        service.audit(db, user.username, action, f"handoff:{case.id}", "flag open", "flag answered")
    else:
        service.audit(db, user.username, action, f"handoff:{case.id}", before, case.mentor.name if case.mentor else None)
    db.commit()
    return RedirectResponse(f"/desk/cases/{case.id}?done={done}", status_code=303)


@router.post("/desk/cases/{case_id}/reassign")
def desk_reassign(request: Request, db: SessionDep, desk: DeskDep, user: SupervisorUser, case_id: RowId,
                  mentor_id: Annotated[str, Form()] = "") -> Response:
    to = db.get(Mentor, int(mentor_id)) if mentor_id.isascii() and mentor_id.isdigit() and len(mentor_id) < 10 else None

    def move(case: Handoff) -> List[Outgoing]:
        if to is None:
            raise reassign.NotPossible("Choose one of the mentors listed.")
        return desk.reassign(db, case, to)

    return act(request, db, user, case_id, move, "reassign case", "reassigned")


@router.post("/desk/cases/{case_id}/take-over")
def desk_take_over(request: Request, db: SessionDep, desk: DeskDep, user: SupervisorUser, case_id: RowId) -> Response:
    return act(request, db, user, case_id, lambda case: desk.take_over(db, case, user), "take over case", "taken")


@router.post("/desk/cases/{case_id}/answer-flag")
def desk_answer_flag(request: Request, db: SessionDep, desk: DeskDep, user: SupervisorUser, case_id: RowId,
                     text: Annotated[str, Form()] = "") -> Response:
    own = reassign.supervisor_account(db, user)  # the mentor sees the supervisor's Telegram name, or the user name
    return act(request, db, user, case_id, lambda case: desk.answer_flag(db, case, own.name if own else user.username, text),
               "answer flag", "answered", text[:flags.MAX_ANSWER])

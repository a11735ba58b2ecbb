"""The supervision record (bot.admin.supervision): supervisors log a supervision session with a mentor and see
when each mentor last had one."""
from __future__ import annotations

from typing import Annotated, List

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.admin import service, supervision
from bot.admin.deps import SessionDep, SupervisorUser
from bot.admin.pages import render
from common.db.models import utcnow

router = APIRouter(tags=["supervision"])


def page(request: Request, db: Session, status_code: int = 200, **values: object) -> Response:
    today = utcnow().date()
    return render(request, "supervision.html", status_code=status_code, today=today, topics=supervision.TOPICS,
                  last=supervision.last_sessions(db), recent=supervision.recent(db),
                  topic_titles=supervision.topic_titles, **values)


@router.get("/supervision", response_class=HTMLResponse)
def supervision_page(request: Request, db: SessionDep, user: SupervisorUser, saved: str = "") -> Response:
    return page(request, db, saved=saved == "1")


@router.post("/supervision")
def supervision_record(
    request: Request, db: SessionDep, user: SupervisorUser, held_on: Annotated[str, Form()] = "",
    mentor_id: Annotated[str, Form()] = "", topics: Annotated[List[str], Form()] = [],  # noqa: B006 - FastAPI copies it
    note: Annotated[str, Form()] = "",
) -> Response:
    try:
        entry = supervision.record(db, user.username, held_on, mentor_id, topics, note, utcnow().date())
    except ValueError as error:
        db.rollback()
        return page(request, db, 422, problems=[str(error)], form={"held_on": held_on[:10], "mentor_id": mentor_id,
                                                                    "topics": topics, "note": note[:supervision.MAX_NOTE]})
    service.audit(db, user.username, "record supervision", f"supervision:{entry.id}", None,
                  f"{entry.held_on.isoformat()} mentor:{entry.mentor_id} {entry.topics}")
    db.commit()
    return RedirectResponse("/supervision?saved=1", status_code=303)

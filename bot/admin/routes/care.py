"""What staff keep for mentors: saved replies per language (editors and supervisors) and the boundaries guide per
language (supervisors). The logic is in bot.admin.care."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.admin import care
from bot.admin.deps import MAX_ID, EditorUser, SessionDep, SupervisorUser
from bot.admin.pages import error_page, render
from bot.admin.service import ValidationError
from bot.handoff import guide
from common import content
from common.db.models import SavedReply

router = APIRouter(tags=["care"])


@router.get("/replies", response_class=HTMLResponse)
def replies(request: Request, db: SessionDep, user: EditorUser, edit: int | None = None) -> Response:
    editing = db.get(SavedReply, edit) if edit and 0 < edit <= MAX_ID else None
    if edit and editing is None:
        return error_page(request, 404, "There is no such saved reply.")
    return render(request, "replies.html", rows=care.replies(db), editing=editing)


@router.post("/replies")
def replies_save(
    request: Request, db: SessionDep, user: EditorUser, id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "", language: Annotated[str, Form()] = "", text: Annotated[str, Form()] = "",
    active: Annotated[str, Form()] = "",
) -> Response:
    reply_id = int(id) if id.isascii() and id.isdigit() and 0 < int(id) <= MAX_ID else None
    if id and (reply_id is None or db.get(SavedReply, reply_id) is None):
        return error_page(request, 404, "There is no such saved reply.")
    try:
        care.save_reply(db, user.username, reply_id, name, language, text, active == "on")
    except ValidationError as error:
        db.rollback()
        return render(request, "replies.html", status_code=422, rows=care.replies(db), editing=None,
                      problems=error.problems, entered={"id": id, "name": name, "language": language, "text": text})
    db.commit()
    return RedirectResponse("/replies?saved=1", status_code=303)


@router.get("/guide", response_class=HTMLResponse)
def guide_page(request: Request, db: SessionDep, user: SupervisorUser) -> Response:
    return render(request, "guide.html", views=care.guide_views(db), version=guide.current_version(db))


@router.post("/guide/{language}")
def guide_save(
    request: Request, db: SessionDep, user: SupervisorUser, language: str, text: Annotated[str, Form()] = "",
    new_version: Annotated[str, Form()] = "",
) -> Response:
    if language not in content.languages():
        return error_page(request, 404, "There is no such language.")
    try:
        care.save_guide(db, user.username, language, text, new_version == "on")
    except ValidationError as error:
        db.rollback()
        return render(request, "guide.html", status_code=422, views=care.guide_views(db),
                      version=guide.current_version(db), problems=error.problems)
    db.commit()
    return RedirectResponse(f"/guide?saved={language}#guide-{language}", status_code=303)

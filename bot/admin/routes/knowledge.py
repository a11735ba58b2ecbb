"""The knowledge base: list and search entries, create, edit (all languages), publish, retire and restore, preview
the answer as a person gets it, and the stale-facts list (bot.admin.knowledge). Editor role and above.

The edit form has a field per language and variant, so the save routes read the form as posted (already parsed
by the CSRF check) and run the database work in the thread pool."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Dict

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.admin import knowledge as kb
from bot.admin import service
from bot.admin.deps import EditorUser, SessionDep
from bot.admin.pages import error_page, render
from common import content, knowledge, places
from common.db.models import StaffUser

router = APIRouter(tags=["knowledge"])
NO_ENTRY = "There is no such knowledge entry: check its id."


def _today() -> dt.date:
    return dt.date.today()


def _choices() -> Dict[str, Any]:
    return {"countries": content.COUNTRIES, "topics": sorted(content.topics()), "residences": knowledge.RESIDENCES,
            "regions": {c: [a.code for a in places.region_areas(c)] for c in content.COUNTRIES},
            "numbers": {c: content.numbers(c) for c in content.COUNTRIES}, "area_placeholders": places.AREA_PLACEHOLDERS}


@router.get("/knowledge", response_class=HTMLResponse)
def entries(request: Request, db: SessionDep, user: EditorUser, country: str = "", topic: str = "", q: str = "",
            status: str = "") -> Response:
    everything = kb.views(db)
    found = kb.search(everything, country, topic, q[:200], status)
    today = _today()
    return render(request, "knowledge_list.html", entries=found, total=len(everything), country=country, topic=topic,
                  q=q[:200], status=status, stale=sum(1 for v in kb.stale(db, today)), today=today, **_choices())


@router.get("/knowledge/stale", response_class=HTMLResponse)
def stale(request: Request, db: SessionDep, user: EditorUser) -> Response:
    today = _today()
    return render(request, "knowledge_stale.html", entries=kb.stale(db, today), today=today,
                  before=today - knowledge.STALE_AFTER)


def _entry_page(request: Request, db: Session, entry_id: str | None, doc: knowledge.Document | None,
                status_code: int = 200, problems: list[str] | None = None, lang: str = "en", new_id: str = "") -> Response:
    """The entry's page (entry_id None: the form of a new entry, `new_id` the id typed into it)."""
    row_view = next((v for v in kb.views(db) if v.entry_id == entry_id), None) if entry_id else None
    previews = {}
    if doc is not None and doc.country in content.COUNTRIES:
        lang = lang if lang in content.languages() else "en"
        texts = doc.texts.get(lang)
        previews = {"general": kb.preview(doc, lang)}
        if texts is not None and texts.child:
            previews["about a child"] = kb.preview(doc, lang, about_child=True)
        for key in (texts.residence if texts else {}):
            previews[f"residence: {key}"] = kb.preview(doc, lang, residence=key)
    return render(request, "knowledge_entry.html", status_code=status_code, entry_id=entry_id, doc=doc, view=row_view,
                  problems=problems, lang=lang, previews=previews, residence_keys=kb.residence_keys(), new_id=new_id,
                  **_choices())


@router.get("/knowledge/new", response_class=HTMLResponse)
def new(request: Request, db: SessionDep, user: EditorUser) -> Response:
    return _entry_page(request, db, None, None)


@router.get("/knowledge/{entry_id}", response_class=HTMLResponse)
def entry(request: Request, db: SessionDep, user: EditorUser, entry_id: str,
          lang: Annotated[str, Query(max_length=8)] = "en") -> Response:
    doc = kb.document(db, entry_id) if len(entry_id) <= kb.MAX_ID else None
    if doc is None:
        return error_page(request, 404, NO_ENTRY)
    return _entry_page(request, db, entry_id, doc, lang=lang)


def _save(request: Request, db: Session, user: StaffUser, entry_id: str | None, fields: Dict[str, str]) -> Response:
    """Save the posted entry as a draft, and publish it when the form's `action` is publish."""
    new = entry_id is None
    key = (fields.get("entry_id") or "").strip() if new else entry_id
    assert key is not None
    if not new and not kb.exists(db, key):
        return error_page(request, 404, NO_ENTRY)
    doc = kb.from_form(fields)
    try:
        kb.save_draft(db, user.username, key, doc, _today(), new=new)
        if fields.get("action") == "publish":
            kb.publish(db, user.username, key, _today())
    except service.ValidationError as error:
        db.rollback()
        return _entry_page(request, db, None if new else key, doc, 422, error.problems, new_id=key[:kb.MAX_ID + 20])
    except IntegrityError:  # another editor created the same id at the same moment
        db.rollback()
        return _entry_page(request, db, None, doc, 409, [f"Someone else created {key} just now: open it to change it."],
                           new_id=key)
    db.commit()
    done = "publish" if fields.get("action") == "publish" else "save"
    return RedirectResponse(f"/knowledge/{key}?done={done}", status_code=303)


async def _posted(request: Request) -> Dict[str, str]:
    return {name: value for name, value in (await request.form()).items() if isinstance(value, str)}


@router.post("/knowledge/new")
async def create(request: Request, db: SessionDep, user: EditorUser) -> Response:
    return await run_in_threadpool(_save, request, db, user, None, await _posted(request))


@router.post("/knowledge/{entry_id}")
async def save(request: Request, db: SessionDep, user: EditorUser, entry_id: str) -> Response:
    return await run_in_threadpool(_save, request, db, user, entry_id, await _posted(request))


def _change(request: Request, db: Session, user: StaffUser, entry_id: str, change: str) -> Response:
    """Publish the pending draft, retire or restore; back to the entry's page."""
    changes = {"publish": lambda: kb.publish(db, user.username, entry_id, _today()),
               "retire": lambda: kb.retire(db, user.username, entry_id),
               "restore": lambda: kb.restore(db, user.username, entry_id)}
    if not kb.exists(db, entry_id):
        return error_page(request, 404, NO_ENTRY)
    try:
        changes[change]()
    except service.ValidationError as error:
        db.rollback()
        return _entry_page(request, db, entry_id, kb.document(db, entry_id), 422, error.problems)
    db.commit()
    return RedirectResponse(f"/knowledge/{entry_id}?done={change}", status_code=303)


@router.post("/knowledge/{entry_id}/publish")
def publish(request: Request, db: SessionDep, user: EditorUser, entry_id: str) -> Response:
    return _change(request, db, user, entry_id, "publish")


@router.post("/knowledge/{entry_id}/retire")
def retire(request: Request, db: SessionDep, user: EditorUser, entry_id: str) -> Response:
    return _change(request, db, user, entry_id, "retire")


@router.post("/knowledge/{entry_id}/restore")
def restore(request: Request, db: SessionDep, user: EditorUser, entry_id: str) -> Response:
    return _change(request, db, user, entry_id, "restore")

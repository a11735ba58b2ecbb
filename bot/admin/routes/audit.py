"""The audit log (admins): the newest 200 changes with the state before and after; revert an answer or a
directory entry to the state before a change (itself audited)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from bot.admin import service
from bot.admin.deps import AdminUser, Forbidden, SessionDep
from bot.admin.pages import render
from common.db.models import AuditEntry

router = APIRouter(tags=["audit"])


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, db: SessionDep, user: AdminUser) -> Response:
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).all()
    return render(request, "audit.html", entries=entries)


@router.post("/audit/{entry_id}/revert")
def audit_revert(db: SessionDep, user: AdminUser, entry_id: int) -> Response:
    try:
        service.revert(db, user.username, entry_id)
    except service.ValidationError:
        raise Forbidden() from None  # nothing is kept: the session is rolled back
    db.commit()
    return RedirectResponse("/audit", status_code=303)

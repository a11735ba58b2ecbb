"""The audit log (admins): the newest 200 changes with the state before and after; revert an answer, a
directory entry or a .po import to the state before a change (itself audited). A missing entry is 404, an entry
of a kind that cannot be reverted 422."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from bot.admin import service
from bot.admin.deps import AdminUser, RowId, SessionDep
from bot.admin.pages import error_page, render
from common.db.models import AuditEntry

router = APIRouter(tags=["audit"])


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, db: SessionDep, user: AdminUser) -> Response:
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).all()
    return render(request, "audit.html", entries=entries, revertable=service.REVERTABLE)


@router.post("/audit/{entry_id}/revert")
def audit_revert(request: Request, db: SessionDep, user: AdminUser, entry_id: RowId) -> Response:
    try:
        service.revert(db, user.username, entry_id)
    except service.NotFound as missing:
        db.rollback()
        return error_page(request, 404, str(missing))
    except service.ValidationError as refused:
        db.rollback()  # nothing is kept
        return error_page(request, 422, " ".join(refused.problems))
    db.commit()
    return RedirectResponse("/audit", status_code=303)

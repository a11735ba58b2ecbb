"""Staff accounts (admins): list them, create one, and manage its life cycle: deactivate or reactivate, set a new
password, change the role, link the holder's Telegram supervisor account (bot.admin.security; every change
audited). Deactivation and a new password end the
account's sessions at once. The last active admin cannot be deactivated or demoted."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin import security, service
from bot.admin.deps import AdminUser, RowId, SessionDep
from bot.admin.pages import error_page, render
from common.db.models import Mentor, StaffUser

router = APIRouter(tags=["accounts"])
ACTIONS = ("deactivate", "reactivate", "password", "role", "mentor")


def _accounts(db: Session) -> list[StaffUser]:
    return list(db.scalars(select(StaffUser).order_by(StaffUser.username)).all())


def _page(request: Request, db: Session, status_code: int = 200, problems: list[str] | None = None) -> Response:
    supervisors = db.scalars(select(Mentor).where(Mentor.active.is_(True), Mentor.role == "supervisor").order_by(Mentor.name)).all()
    return render(request, "users.html", status_code=status_code, accounts=_accounts(db), roles=security.ROLES,
                  supervisors=supervisors, problems=problems)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, db: SessionDep, user: AdminUser) -> Response:
    return _page(request, db)


@router.post("/users")
def users_create(
    request: Request, db: SessionDep, user: AdminUser,
    username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "editor",
) -> Response:
    try:
        created = security.create_user(db, username, password, role)
    except ValueError as error:
        db.rollback()
        return _page(request, db, 422, [str(error)])
    service.audit(db, user.username, "create account", f"staff:{created.username}", None, created.role)
    db.commit()
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{account_id}")
def users_change(
    request: Request, db: SessionDep, user: AdminUser, account_id: RowId,
    action: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
    mentor_id: Annotated[str, Form()] = "",
) -> Response:
    """One change to an account: `action` is deactivate, reactivate, password (a new one), role (a new one) or
    mentor (its holder's Telegram supervisor account, for "take over" on the live desk; empty unlinks)."""
    account = db.get(StaffUser, account_id)
    if account is None:
        return error_page(request, 404, "There is no such account.")
    if action not in ACTIONS:
        return error_page(request, 422, f"Unknown change: choose one of {', '.join(ACTIONS)}.")
    try:
        if action in ("deactivate", "reactivate"):
            if account.id == user.id:
                raise ValueError("you cannot deactivate your own account")
            security.set_active(db, user.username, account, action == "reactivate")
        elif action == "password":
            security.set_password(db, user.username, account, password)
        elif action == "mentor":
            security.link_mentor(db, user.username, account, mentor_id)
        else:
            if account.id == user.id and role != account.role:
                raise ValueError("you cannot change your own role")
            security.set_role(db, user.username, account, role)
    except ValueError as error:
        db.rollback()
        return _page(request, db, 422, [str(error)])
    db.commit()
    if account.id == user.id:  # a new password of one's own: the other sessions ended, this one goes on
        security.start_session(request.session, account)
    return RedirectResponse("/users", status_code=303)

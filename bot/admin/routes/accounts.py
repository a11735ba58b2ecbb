"""Staff accounts (admins): list them and create one (Argon2-hashed password, audited)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from bot.admin import security, service
from bot.admin.deps import AdminUser, SessionDep
from bot.admin.pages import render
from common.db.models import StaffUser

router = APIRouter(tags=["accounts"])


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, db: SessionDep, user: AdminUser) -> Response:
    accounts = db.scalars(select(StaffUser).order_by(StaffUser.username)).all()
    return render(request, "users.html", accounts=accounts)


@router.post("/users")
def users_create(
    request: Request, db: SessionDep, user: AdminUser,
    username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "editor",
) -> Response:
    try:
        created = security.create_user(db, username, password, role)
    except ValueError as error:
        db.rollback()
        accounts = db.scalars(select(StaffUser).order_by(StaffUser.username)).all()
        return render(request, "users.html", status_code=422, accounts=accounts, problems=[str(error)])
    service.audit(db, user.username, "create account", f"staff:{created.username}", None, created.role)
    db.commit()
    return RedirectResponse("/users", status_code=303)

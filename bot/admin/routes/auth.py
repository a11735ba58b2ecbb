"""Logging in and out. Logins are rate limited per user name and address (security.too_many_failures)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.admin import security
from bot.admin.deps import SessionDep
from bot.admin.pages import render

router = APIRouter(tags=["auth"])


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, db: SessionDep, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
    address = request.client.host if request.client else "?"
    if security.too_many_failures(db, username, address):
        return render(request, "login.html", status_code=429, error="Too many failed attempts. Wait 15 minutes and try again.")
    user = security.authenticate(db, username, password, address)  # Argon2: in the thread pool, as the route is def
    db.commit()  # the attempt counts for the rate limit, failed or not
    if user is None:
        return render(request, "login.html", status_code=401, error="Wrong user name or password.")
    security.start_session(request.session, user)  # a new session at login (no fixation)
    return RedirectResponse("/answers", status_code=303)


@router.post("/logout")
def logout(request: Request, db: SessionDep) -> Response:
    """Ends the session at once, everywhere: a copy of the cookie (another tab, a stolen one) stops working too,
    as the account's session version moves on."""
    user = security.session_user(db, request.session)
    if user is not None:
        security.end_sessions(user)
        db.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/answers", status_code=303)

"""The web admin (FastAPI + Jinja2): answers, translations, the mentor roster, the audit log, staff accounts.

Started by `python -m bot run` on 127.0.0.1:ADMIN_PORT (put a TLS reverse proxy in front in production).
Thin routes over bot.admin.service and bot.admin.security; sessions are signed cookies (Starlette's
SessionMiddleware: HttpOnly, SameSite=strict, Secure unless ADMIN_COOKIE_SECURE=false); every form carries a
CSRF token; logins are rate limited per user name and address.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from bot.admin import pages, security, service
from bot.admin.deps import CsrfChecked, Forbidden, LoginNeeded
from bot.admin.pages import render
from bot.admin.routes import ROUTERS
from bot.config import Settings
from bot.handoff.desk import Desk
from common.db import make_engine, session_factory
from common.db.models import AuditEntry, Handoff, Mentor, StaffUser

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    tracker = make_engine(settings.tracker_url)  # Rasa's tracker store, read for insight

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()
        tracker.dispose()

    app = FastAPI(title="Brobygger admin", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan,
                  dependencies=[CsrfChecked])  # every POST of every router carries the session's CSRF token
    app.add_middleware(
        SessionMiddleware, secret_key=settings.admin_secret_key, session_cookie="brobygger_admin",
        max_age=8 * 3600, same_site="strict", https_only=settings.admin_cookie_secure,
    )
    sessions: sessionmaker[Session] = session_factory(engine)
    desk = Desk.from_settings(settings)
    # what the dependencies (bot.admin.deps) and pages (bot.admin.pages) reach through request.app.state
    app.state.settings, app.state.sessions, app.state.tracker = settings, sessions, tracker
    app.state.desk, app.state.templates = desk, pages.templates()

    @app.exception_handler(LoginNeeded)
    async def _login(request: Request, exc: LoginNeeded) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "forbidden.html", status_code=403)

    for router in ROUTERS:
        app.include_router(router)

    def user_of(request: Request, db: Session, needed: str = "editor") -> StaffUser:
        user_id = request.session.get("user_id")
        user = db.get(StaffUser, user_id) if user_id else None
        if user is None or not user.active:
            raise LoginNeeded()
        request.state.user = user  # the page header (and "Log out") also on a refusal
        if not security.role_at_least(user.role, needed):
            raise Forbidden()
        return user

    page = render

    async def form(request: Request) -> Any:
        """The posted form, after checking its CSRF token."""
        data = await request.form()
        if not security.csrf_ok(request.session, data.get("csrf_token")):
            raise Forbidden()
        return data

    # --- mentors --------------------------------------------------------------------------------------------------
    @app.get("/mentors", response_class=HTMLResponse)
    async def mentors(request: Request) -> Response:
        with sessions() as db:
            user_of(request, db, "supervisor")
            rows = []
            for mentor in db.scalars(select(Mentor).order_by(Mentor.active.desc(), Mentor.name)):
                load = db.scalar(select(func.count(Handoff.id)).where(
                    Handoff.mentor_id == mentor.id, Handoff.status == "claimed")) or 0
                rows.append((mentor, load))
            waiting = db.scalar(select(func.count(Handoff.id)).where(Handoff.status == "waiting")) or 0
        return page(request, "mentors.html", rows=rows, waiting=waiting, link=request.session.pop("invite_link", None))

    @app.post("/mentors/invite")
    async def mentors_invite(request: Request) -> Response:
        from bot.handoff.cli import bot_username

        data = await form(request)
        with sessions.begin() as db:
            user = user_of(request, db, "supervisor")
            try:
                invite = desk.create_invite(
                    db, str(data.get("name", "")), str(data.get("languages", "")).split(","),
                    str(data.get("countries", "")).split(","), supervisor=data.get("supervisor") == "on",
                    max_cases=int(str(data.get("max_cases") or 3)),
                )
            except ValueError as error:
                return page(request, "mentors.html", status_code=422, rows=[], waiting=0, problems=[str(error)])
            service.audit(db, user.username, "invite mentor", f"invite:{invite.id}", None, invite.name)
            code = invite.code
        username = bot_username(settings) or "<bot_username>"
        request.session["invite_link"] = f"https://t.me/{username}?start={code}"
        return RedirectResponse("/mentors", status_code=303)

    @app.post("/mentors/{mentor_id}/deactivate")
    async def mentors_deactivate(request: Request, mentor_id: int) -> Response:
        await form(request)
        with sessions.begin() as db:
            user = user_of(request, db, "supervisor")
            mentor = db.get(Mentor, mentor_id)
            if mentor is not None:
                desk.deactivate(db, mentor)
                service.audit(db, user.username, "deactivate mentor", f"mentor:{mentor_id}", "active", "inactive")
        return RedirectResponse("/mentors", status_code=303)

    # --- audit log and accounts (admin only) --------------------------------------------------------------------------
    @app.get("/audit", response_class=HTMLResponse)
    async def audit_log(request: Request) -> Response:
        with sessions() as db:
            user_of(request, db, "admin")
            entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).all()
        return page(request, "audit.html", entries=entries)

    @app.post("/audit/{entry_id}/revert")
    async def audit_revert(request: Request, entry_id: int) -> Response:
        await form(request)
        with sessions.begin() as db:
            user = user_of(request, db, "admin")
            try:
                service.revert(db, user.username, entry_id)
            except service.ValidationError:
                raise Forbidden() from None
        return RedirectResponse("/audit", status_code=303)

    @app.get("/users", response_class=HTMLResponse)
    async def users(request: Request) -> Response:
        with sessions() as db:
            user_of(request, db, "admin")
            accounts = db.scalars(select(StaffUser).order_by(StaffUser.username)).all()
        return page(request, "users.html", accounts=accounts)

    @app.post("/users")
    async def users_create(request: Request) -> Response:
        data = await form(request)
        with sessions() as db:
            user = user_of(request, db, "admin")
            try:
                created = security.create_user(db, str(data.get("username", "")), str(data.get("password", "")),
                                               str(data.get("role", "editor")))
            except ValueError as error:
                db.rollback()
                accounts = db.scalars(select(StaffUser).order_by(StaffUser.username)).all()
                return page(request, "users.html", status_code=422, accounts=accounts, problems=[str(error)])
            service.audit(db, user.username, "create account", f"staff:{created.username}", None, created.role)
            db.commit()
        return RedirectResponse("/users", status_code=303)

    return app

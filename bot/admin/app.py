"""The web admin (FastAPI + Jinja2): answers, translations, the service directory, insight, the mentor roster,
the audit log, staff accounts.

Started by `python -m bot run` on 127.0.0.1:ADMIN_PORT (put a TLS reverse proxy in front in production), as
the uvicorn factory `bot.admin.app:create_app`. Laid out like fastapi/full-stack-fastapi-template: one
APIRouter per area in bot/admin/routes/, each route stating in its signature what it needs (bot/admin/deps.py:
the database session, the logged-in staff member and their role); the logic is in bot.admin.service and
bot.admin.security. Sessions are signed cookies (Starlette's SessionMiddleware: HttpOnly, SameSite=strict,
Secure unless ADMIN_COOKIE_SECURE=false); every form carries a CSRF token, checked on every POST by an
app-wide dependency; logins are rate limited per user name and address.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from bot.admin import pages
from bot.admin.deps import CsrfChecked, Forbidden, LoginNeeded
from bot.admin.routes import ROUTERS
from bot.config import Settings
from bot.handoff.desk import Desk
from common.db import make_engine, session_factory


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.engine.dispose()
    app.state.tracker.dispose()


async def login_needed(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


async def forbidden(request: Request, exc: Exception) -> Response:
    return pages.render(request, "forbidden.html", status_code=403)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(title="Brobygger admin", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan,
                  dependencies=[CsrfChecked])  # runs before every route of every router: no POST without the token
    app.add_middleware(
        SessionMiddleware, secret_key=settings.admin_secret_key, session_cookie="brobygger_admin",
        max_age=8 * 3600, same_site="strict", https_only=settings.admin_cookie_secure,
    )
    # what the dependencies (bot.admin.deps) and bot.admin.pages reach through request.app.state
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessions = session_factory(app.state.engine)
    app.state.tracker = make_engine(settings.tracker_url)  # Rasa's tracker store, read for insight
    app.state.desk = Desk.from_settings(settings)  # invites and deactivation go through the hand-off desk
    app.state.templates = pages.templates()
    app.add_exception_handler(LoginNeeded, login_needed)
    app.add_exception_handler(Forbidden, forbidden)
    for router in ROUTERS:
        app.include_router(router)
    return app

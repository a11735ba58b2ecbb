"""The web admin (FastAPI + Jinja2): answers, translations, the service directory, insight, the mentor roster,
the audit log, staff accounts.

Started by `python -m bot run` on 127.0.0.1:ADMIN_PORT (put a TLS reverse proxy in front in production), as
the uvicorn factory `bot.admin.app:create_app`. Laid out like fastapi/full-stack-fastapi-template: one
APIRouter per area in bot/admin/routes/, each route stating in its signature what it needs (bot/admin/deps.py:
the database session, the logged-in staff member and their role); the logic is in bot.admin.service and
bot.admin.security. Sessions are signed cookies (Starlette's SessionMiddleware: HttpOnly, SameSite=strict,
Secure unless ADMIN_COOKIE_SECURE=false); every form carries a CSRF token, checked on every POST by an
app-wide dependency; logins are rate limited per user name and address. bot.admin.middleware refuses a POST
nobody may make, or an oversized body, before the body is read, and puts the security headers on every response.
Errors are pages in the admin's style with a 4xx status (404, 405, 422, ...), never a framework's JSON.
"""
from __future__ import annotations

import logging
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from bot.admin import pages
from bot.admin.deps import CsrfChecked, Forbidden, LoginNeeded
from bot.admin.middleware import RequestGate, SecurityHeaders
from bot.admin.routes import ROUTERS
from bot.config import Settings
from bot.handoff.desk import Desk
from common.db import make_engine, session_factory

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
KNOWN_SECRETS = frozenset({"", "dev-only-admin-secret", "changeme", "change-me", "secret"})  # never sign cookies with these


class InsecureSecret(RuntimeError):
    """ADMIN_SECRET_KEY is missing or a well-known value outside development (ADMIN_DEV)."""


def session_secret(settings: Settings) -> str:
    """The key that signs the session cookies. Outside development (ADMIN_DEV=true) a missing or well-known key
    stops the start: anybody knowing it could forge a session. `make run`'s setup writes a random key into .env;
    in development without one, every start gets a random key (sessions end at a restart)."""
    if settings.admin_secret_key not in KNOWN_SECRETS:
        return settings.admin_secret_key
    if settings.admin_dev:
        logger.warning("ADMIN_DEV: the admin signs its sessions with a random key of this start")
        return secrets.token_urlsafe(32)
    raise InsecureSecret("ADMIN_SECRET_KEY is missing or a well-known value: set a long random one "
                         "(`make setup` writes one into .env), or ADMIN_DEV=true for development only")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.engine.dispose()
    app.state.tracker.dispose()


async def login_needed(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


async def forbidden(request: Request, exc: Exception) -> Response:
    return pages.render(request, "forbidden.html", status_code=403)


async def _know_user(request: Request) -> None:
    """The logged-in staff member for the page header, when no dependency found them (an unknown page)."""
    if getattr(request.state, "user", None) is None and "session" in request.scope:
        request.state.user = await anyio.to_thread.run_sync(RequestGate.user_of, request)


async def http_error(request: Request, exc: Exception) -> Response:
    """404 (no such page), 405 (wrong method), 400 (an unreadable body) and the like: a page in the admin's style."""
    assert isinstance(exc, StarletteHTTPException)
    await _know_user(request)
    status = exc.status_code if 400 <= exc.status_code < 500 else 400
    detail = exc.detail if status == 400 and isinstance(exc.detail, str) else ""  # e.g. "Part exceeded maximum size"
    response = pages.error_page(request, status, detail[:200])
    for name, value in (exc.headers or {}).items():  # e.g. Allow on a 405
        response.headers[name] = value
    return response


async def invalid_request(request: Request, exc: Exception) -> Response:
    """A path, query or form value of the wrong type or out of range (a 20-digit id, `id=²`): 422."""
    assert isinstance(exc, RequestValidationError)
    await _know_user(request)
    fields = sorted({str(error["loc"][-1]) for error in exc.errors() if error.get("loc")})
    return pages.error_page(request, 422, f"Not a valid value: {', '.join(fields)[:200]}." if fields else "")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    secret = session_secret(settings)
    app = FastAPI(title="Brobygger admin", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan,
                  dependencies=[CsrfChecked])  # runs before every route of every router: no POST without the token
    # the last added is the outermost: headers on every response, then the session, then the gate before the body
    app.add_middleware(RequestGate, routes=[route for router in ROUTERS for route in router.routes],
                       max_body=settings.admin_max_upload_bytes)
    app.add_middleware(
        SessionMiddleware, secret_key=secret, session_cookie="brobygger_admin",
        max_age=8 * 3600, same_site="strict", https_only=settings.admin_cookie_secure,
    )
    app.add_middleware(SecurityHeaders)
    # what the dependencies (bot.admin.deps) and bot.admin.pages reach through request.app.state
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessions = session_factory(app.state.engine)
    app.state.tracker = make_engine(settings.tracker_url)  # Rasa's tracker store, read for insight
    app.state.desk = Desk.from_settings(settings)  # invites and deactivation go through the hand-off desk
    app.state.templates = pages.templates()
    app.add_exception_handler(LoginNeeded, login_needed)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")  # the CSS (CSP: no inline style)
    return app

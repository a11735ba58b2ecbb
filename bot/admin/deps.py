"""What the admin's routes depend on, stated in their signatures as `Annotated[..., Depends(...)]` types.

The layout of fastapi/full-stack-fastapi-template (backend/app/api/deps.py): a route that takes
`db: SessionDep, user: AdminUser` gets the request's database session and the logged-in admin, or never runs:
a visitor who is not logged in is sent to /login (`LoginNeeded`), a staff member whose role is too low gets the
"Not available" page with 403 (`Forbidden`). `check_csrf` runs before every route of the app (create_app
installs it on the app), so no POST is handled without the session's CSRF token.

The app's shared state (settings, session factory, templates, the hand-off desk, Rasa's tracker store) is set on
`app.state` by create_app and reached here through `request.app.state`, not through closures.
"""
from __future__ import annotations

from functools import cache
from typing import Annotated, Callable, Iterator

from fastapi import Depends, Path, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.admin import security
from bot.config import Settings
from bot.handoff.desk import Desk
from common.db.models import StaffUser

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginNeeded(Exception):
    """Nobody (or a deactivated account) is logged in: the app redirects to /login."""


class Forbidden(Exception):
    """The staff member's role does not allow this, or a POST lacks the CSRF token: the app answers 403."""


# --- the app's shared state --------------------------------------------------------------------------------------
def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_desk(request: Request) -> Desk:
    return request.app.state.desk


def get_tracker(request: Request) -> Engine:
    return request.app.state.tracker


SettingsDep = Annotated[Settings, Depends(get_settings)]
DeskDep = Annotated[Desk, Depends(get_desk)]  # invites and deactivation go through the hand-off desk
TrackerDep = Annotated[Engine, Depends(get_tracker)]  # Rasa's tracker store, read for insight


# --- path parameters ---------------------------------------------------------------------------------------------
MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds (PostgreSQL); a 20-digit id is a 422, not a 500
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


# --- the database session ----------------------------------------------------------------------------------------
def get_db(request: Request) -> Iterator[Session]:
    """One session per request. Routes commit what they change; anything not committed is rolled back.
    A plain generator: FastAPI opens and closes it in its thread pool, off the event loop."""
    with request.app.state.sessions() as session:
        yield session


# scope="function": the session is closed (its connection back in the pool) before the response is sent
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


# --- who is asking -----------------------------------------------------------------------------------------------
def current_user(request: Request, db: SessionDep) -> StaffUser:
    """The logged-in, active staff member whose session has not been ended since (logout, deactivation, a new
    password: security.session_user), or LoginNeeded."""
    user = security.session_user(db, request.session)
    if user is None:
        request.session.pop("user_id", None)
        raise LoginNeeded()
    request.state.user = user  # the page header (and "Log out") also on a refusal
    return user


CurrentUser = Annotated[StaffUser, Depends(current_user)]


@cache  # one function per role, so FastAPI's per-request dependency cache sees the same dependency
def require_role(needed: str) -> Callable[[StaffUser], StaffUser]:
    """A dependency: the current user if their role is `needed` or above (security.ROLES), else Forbidden."""
    if needed not in security.ROLES:
        raise ValueError(f"unknown role {needed!r}")

    def user_with_role(user: CurrentUser) -> StaffUser:
        if not security.role_at_least(user.role, needed):
            raise Forbidden()
        return user

    user_with_role.__name__ = f"require_{needed}"
    user_with_role.needed_role = needed  # type: ignore[attr-defined]  # read by bot.admin.middleware.RequestGate
    return user_with_role


EditorUser = Annotated[StaffUser, Depends(require_role("editor"))]  # answers, translations, service directory
SupervisorUser = Annotated[StaffUser, Depends(require_role("supervisor"))]  # + mentors, insight
AdminUser = Annotated[StaffUser, Depends(require_role("admin"))]  # + audit log, staff accounts


# --- CSRF --------------------------------------------------------------------------------------------------------
async def check_csrf(request: Request) -> None:
    """Every POST (anything but GET/HEAD/OPTIONS) carries the session's CSRF token in its form (synchronizer token
    pattern: security.csrf_token puts it in every page's forms). The form is parsed once: Starlette keeps it for
    the route's Form() parameters."""
    if request.method in SAFE_METHODS:
        return
    submitted = (await request.form()).get("csrf_token")
    if not isinstance(submitted, str) or not security.csrf_ok(request.session, submitted):
        raise Forbidden()


CsrfChecked = Depends(check_csrf)

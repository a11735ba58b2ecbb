"""The admin's two ASGI middlewares (plain ASGI, so they act before FastAPI reads a request's body).

`RequestGate`: before any body is read, a POST to a route that needs a login is refused when nobody (or a staff
member whose role is too low) is logged in, and a body larger than ADMIN_MAX_UPLOAD_BYTES is refused from its
Content-Length. FastAPI parses a route's form (and an upload's multipart body) before it runs the route's
dependencies, so without this an anonymous 300 MB POST was read (into memory and temporary files) before the
login check in bot.admin.deps refused it. The gate reads what each route needs from the route's own dependencies
(`CurrentUser`, `require_role(...)`), so deps.py stays the one place that says who may do what.

`SecurityHeaders`: on every response, a Content-Security-Policy without inline script or style (the CSS is
/static/admin.css; no script at all, except /static/desk.js on the live desk's page), no framing, nosniff, no
Referer, and `Cache-Control: no-store` on everything but /static: the pages show staff and people's data, and a
shared computer's browser cache must not keep them.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import anyio
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.admin import deps, pages, security
from common.db.models import StaffUser

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
# the live desk's page is the only one with a script: /static/desk.js, which fetches /desk/live (same origin)
SCRIPTED_PAGES = frozenset({"/desk"})
CSP_SCRIPTED = f"{CSP}; script-src 'self'; connect-src 'self'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
LOGIN = "login"  # a route that needs someone logged in, whatever their role


def _walk(dependant: Any) -> list[Callable[..., Any]]:
    calls = [dependant.call] if dependant.call is not None else []
    for sub in dependant.dependencies:
        calls.extend(_walk(sub))
    return calls


def requirement(route: APIRoute) -> str | None:
    """What a route's dependencies ask for: None (public), LOGIN, or the lowest role (security.ROLES)."""
    needed: str | None = None
    for call in _walk(route.dependant):
        role = getattr(call, "needed_role", None)
        if role is not None and (needed in (None, LOGIN) or security.ROLES.index(role) > security.ROLES.index(needed)):
            needed = role
        elif call is deps.current_user and needed is None:
            needed = LOGIN
    return needed


class RequestGate:
    """Refuses, before the body is read: a POST nobody may make (303 to /login, or the 403 page), a body over
    `max_body` bytes (413) and a body of unknown length (411)."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute], max_body: int) -> None:
        """`routes`: the admin's routes (those of bot.admin.routes.ROUTERS, included without a prefix)."""
        self.app = app
        self.routes = [(route, requirement(route)) for route in routes if isinstance(route, APIRoute)]
        self.max_body = max_body

    def needed(self, scope: Scope) -> str | None:
        """What the route that will handle this request (path and method) needs: None, LOGIN or a role."""
        for route, needed in self.routes:
            if route.matches(scope)[0] == Match.FULL:
                return needed
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in deps.SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        refusal = await self.refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)  # the body is never read
            return
        await self.app(scope, receive, send)

    async def refusal(self, scope: Scope) -> Response | None:
        request = Request(scope)
        needed = self.needed(scope)
        if needed is not None:
            user = await anyio.to_thread.run_sync(self.user_of, request)  # the database: off the event loop
            if user is None:
                return RedirectResponse("/login", status_code=303)
            if needed != LOGIN and not security.role_at_least(user.role, needed):
                request.state.user = user
                return pages.render(request, "forbidden.html", status_code=403)
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is None:
            if "transfer-encoding" in headers:
                return pages.error_page(request, 411, "Send the form again: its length was not given.")
            return None
        if not (length.isascii() and length.isdigit()) or int(length) > self.max_body:
            return pages.error_page(request, 413, f"The upload is too large: at most {self.max_body // 1000:,} kB.")
        return None

    @staticmethod
    def user_of(request: Request) -> StaffUser | None:
        """The session's staff member (security.session_user), looked up in a session of its own."""
        with request.app.state.sessions() as db:
            return security.session_user(db, request.session)


class SecurityHeaders:
    """Adds HEADERS and Cache-Control to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        scripted = scope["path"] in SCRIPTED_PAGES

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if scripted:
                    headers["Content-Security-Policy"] = CSP_SCRIPTED
                headers["Cache-Control"] = "no-cache" if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""Rendering a page: the Jinja2 templates (bot/admin/templates, on `app.state.templates`) with what every page
needs: the logged-in user for the header, the session's CSRF token for its forms, the role check and the languages."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.admin import security
from common import content

TEMPLATE_DIR = Path(__file__).parent / "templates"


def duration(value: dt.timedelta | None) -> str:
    """A waiting time as staff read it at a glance: "45 s", "12 min", "1 h 05 min", "2 d 3 h"; "–" for none."""
    if value is None:
        return "–"
    seconds = max(0, int(value.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=str(TEMPLATE_DIR))
    found.env.filters["duration"] = duration
    return found


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    values.setdefault("user", getattr(request.state, "user", None))  # set by deps.current_user
    return request.app.state.templates.TemplateResponse(
        request, template, {"csrf": security.csrf_token(request.session), "role_at_least": security.role_at_least,
                            "languages": content.languages(), **values},
        status_code=status_code,
    )


TITLES = {400: "Bad request", 404: "Not found", 405: "Not allowed", 411: "Length required", 413: "Too large",
          422: "Not understood", 429: "Too many requests"}


def error_page(request: Request, status_code: int, message: str = "") -> HTMLResponse:
    """A 4xx page in the admin's style (never a stack trace, never a framework's JSON)."""
    title = TITLES.get(status_code, "Not available")
    return render(request, "error.html", status_code=status_code, title=title,
                  message=message or "The admin cannot do that. Check the address or go back and try again.")

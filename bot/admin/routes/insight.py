"""Insight for supervisors (bot.admin.insight): hand-off figures, topics per language, messages the bot did not
understand, for a date range; each table also as CSV."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bot.admin import insight
from bot.admin.deps import SessionDep, SupervisorUser, TrackerDep
from bot.admin.pages import error_page, render
from common.strings.assistant import TOPIC_TITLES

router = APIRouter(tags=["insight"])


EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2199, 12, 31)  # days the insight can be asked for


class OutOfRange(ValueError):
    """A readable date outside EARLIEST..LATEST (e.g. 9999-12-31: the day after it cannot even be computed)."""


def period(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """The first day and the day after the last (the end day is included); the last 30 days if unreadable;
    OutOfRange for a day before EARLIEST or after LATEST."""
    today = dt.datetime.now(dt.timezone.utc).date()
    try:
        first = dt.date.fromisoformat(start) if start else today - dt.timedelta(days=30)
        last = dt.date.fromisoformat(end) if end else today
    except ValueError:
        first, last = today - dt.timedelta(days=30), today
    for day in (first, last):
        if not EARLIEST <= day <= LATEST:
            raise OutOfRange(f"Dates must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}.")
    return first, last + dt.timedelta(days=1)


@router.get("/insight", response_class=HTMLResponse)
def insight_page(request: Request, db: SessionDep, tracker: TrackerDep, user: SupervisorUser,
                 start: str | None = None, end: str | None = None) -> Response:
    try:
        first, after = period(start, end)
    except OutOfRange as refused:
        return error_page(request, 422, str(refused))
    data = insight.collect(db, tracker, first, after)
    return render(request, "insight.html", data=data, start=first.isoformat(),
                  end=(after - dt.timedelta(days=1)).isoformat(), titles=TOPIC_TITLES)


@router.get("/insight.csv")
def insight_csv(request: Request, db: SessionDep, tracker: TrackerDep, user: SupervisorUser, table: str = "topics",
                start: str | None = None, end: str | None = None) -> Response:
    if table not in insight.TABLES:
        return error_page(request, 404, f"There is no such table; the tables are {', '.join(insight.TABLES)}.")
    try:
        first, after = period(start, end)
    except OutOfRange as refused:
        return error_page(request, 422, str(refused))
    data = insight.collect(db, tracker, first, after)
    name = insight.TABLES[insight.TABLES.index(table)]  # the file name comes from the allow-list, not from the URL
    return Response(insight.to_csv(data, name), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="brobygger-{name}-{first.isoformat()}.csv"'})
